package org.okrtrl.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a series CSV: columns, calendar features, skipped rows; scoring against naive forecasts. */
class SeriesFileTest {

    @Test
    void numericColumnsBecomeInputsAndDatesBecomeCalendarFeatures(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("daily.csv");
        Files.writeString(csv, "date,\"sales, units\",weather,price\n"
                + "2024-01-01,10,rain,1.5\n"
                + "2024-01-02,,sun,1.5\n"
                + "2024-01-03,12,sun,NaN\n"
                + "2024-01-04,13,\"sun, windy\",1.75\n");
        SeriesFile.Series s = SeriesFile.read(csv, "sales, units", null, null, true);
        assertEquals(List.of("sales, units", "price", "day_of_week_sin", "day_of_week_cos", "day_of_year_sin",
                "day_of_year_cos"), s.inputNames());
        assertEquals("date", s.dateColumn());
        assertEquals(2, s.skippedRows(), "an empty cell and a NaN");
        assertArrayEquals(new long[] {0, 3}, s.seq(), "sequence numbers keep the gap");
        assertArrayEquals(new double[] {10, 13}, s.y());
        // 2024-01-01 is a Monday, day 1 of the year: both angles are 0.
        assertArrayEquals(new double[] {10, 1.5, 0, 1, 0, 1}, s.x()[0], 1e-12);
        double thursday = 2 * Math.PI * 3 / 7;
        assertEquals(Math.sin(thursday), s.x()[1][2], 1e-12);
    }

    @Test
    void hoursAreFeaturesWhenTheTimeOfDayVaries(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("hourly.csv");
        Files.writeString(csv, "time,t\n2010-01-01T00:00:00,4\n2010-01-01T06:00:00,5\n2010-01-01 12:00:00,6\n");
        SeriesFile.Series s = SeriesFile.read(csv, "t", List.of("t"), null, true);
        assertEquals(List.of("t", "day_of_week_sin", "day_of_week_cos", "day_of_year_sin", "day_of_year_cos",
                "hour_sin", "hour_cos"), s.inputNames());
        assertEquals(1.0, s.x()[1][5], 1e-12, "06:00 is a quarter of the day");
        assertEquals(-1.0, s.x()[2][6], 1e-12, "noon");
        SeriesFile.Series plain = SeriesFile.read(csv, "t", null, null, false);
        assertEquals(List.of("t"), plain.inputNames());
    }

    @Test
    void unknownColumnsAreNamed(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeriesFile.read(csv, "c", null, null, true));
        assertEquals("--target c: no such column (columns: [a, b])", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SeriesFile.read(csv, "a", List.of("z"), null, true));
    }

    @Test
    void naiveForecastsAreScoredOnTheSameSteps() {
        ForecastScore score = new ForecastScore(2, 2, 3);
        score.addKey("k", new long[] {10, 11, 12, 13, 15}, new double[] {1, 3, 2, 6, 4});
        score.observe("k", 11, 0.5);
        score.observe("k", 12, 1.5);
        score.observe("k", 13, 2.5);
        score.observe("k", 15, 3.5);
        ForecastScore.Figures f = score.figures();
        assertEquals(4, f.scored());
        assertEquals(3, f.tailSteps());
        assertEquals((0.5 + 1.5) / 2, f.model().start(), 1e-12);
        assertEquals((2.5 + 3.5) / 2, f.model().end(), 1e-12);
        assertEquals((1.5 + 2.5 + 3.5) / 3, f.model().tail(), 1e-12);
        // Persistence: (3-1)^2, (2-3)^2, (6-2)^2, (4-6)^2 (the previous kept row before a gap).
        assertEquals((1 + 16 + 4) / 3.0, f.persistence().tail(), 1e-12);
        // The mean so far: 2, 2, 3 before steps 12, 13, 15.
        assertEquals((0 + 16 + 1) / 3.0, f.mean().tail(), 1e-12);
        // Seasonal, two steps back by sequence number: 12 <- 10, 13 <- 11, 15 <- 13.
        assertEquals(((2 - 1.0) * (2 - 1) + 9 + 4) / 3.0, f.seasonal().tail(), 1e-12);
    }
}
