package org.okrtrl.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.okrtrl.cli.Okrtrl;

/**
 * {@code bin/okrtrl local --series}: a CSV through broker, MiniCluster and monitor, forecasts
 * scored against the naive ones; and a run that produced nothing fails, naming the reason.
 */
class SeriesPipelineITCase {
    @TempDir
    Path tmp;

    private Path weeklySeries(int days) throws Exception {
        double[] week = {1.0, 0.8, 0.7, 0.75, 0.9, -1.6, -1.9};
        SplittableRandom rng = new SplittableRandom(11);
        StringBuilder csv = new StringBuilder("date,value\n");
        LocalDate start = LocalDate.of(2000, 1, 3);
        for (int t = 0; t < days; t++) {
            double v = 10 + week[t % 7] + 0.8 * Math.sin(2 * Math.PI * t / 365.25) + 0.3 * rng.nextGaussian();
            csv.append(start.plusDays(t)).append(',').append(String.format(java.util.Locale.ROOT, "%.4f", v)).append('\n');
        }
        Path file = tmp.resolve("weekly.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void aSeriesIsForecastAndScoredAgainstTheNaiveForecasts() throws Exception {
        Path summary = tmp.resolve("summary.json");
        int code = Okrtrl.commandLine().execute("local", "--series", weeklySeries(4000).toString(), "--target", "value",
                "--keys", "2", "--season", "7", "--bad-record-rate", "0.01", "--checkpoint-interval", "1s",
                "--summary-json", summary.toString());
        assertEquals(0, code);
        JsonNode s = new ObjectMapper().readTree(summary.toFile());
        assertEquals(4000, s.get("predictions_out").asLong(), "one forecast per row");
        assertEquals(s.get("malformed_records_in").asLong(), s.get("dead_letters").asLong());
        assertEquals(3998, s.get("scored_steps").asLong(), "every row but each key's first scores a forecast");
        double model = s.get("mse_tail").asDouble();
        assertTrue(model < s.get("mse_persistence_tail").asDouble() && model < s.get("mse_mean_tail").asDouble(),
                "the job beats persistence and the running mean: " + s);
        assertTrue(s.get("mse_end").asDouble() < s.get("mse_start").asDouble(), "learning: " + s);
        assertTrue(s.has("mse_seasonal_tail") && !s.has("bits_per_char_tail"), "regression figures only: " + s);
    }

    @Test
    void aRunInWhichEveryRecordIsDeadLetteredExitsWithItsReason() throws Exception {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = Okrtrl.commandLine();
        cli.setErr(new java.io.PrintWriter(err));
        int code = cli.execute("local", "--series", weeklySeries(200).toString(), "--target", "value", "--keys", "2",
                "--max-record-bytes", "16", "--checkpoint-interval", "1s");
        assertEquals(1, code);
        assertTrue(err.toString().contains("no prediction") && err.toString().contains("exceeds the limit of 16"),
                err.toString());
    }
}
