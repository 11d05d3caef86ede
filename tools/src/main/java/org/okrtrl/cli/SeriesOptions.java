package org.okrtrl.cli;

import java.nio.file.Path;
import java.util.List;
import org.okrtrl.local.SeriesFile;
import picocli.CommandLine.Option;

/** How a numeric CSV becomes real-valued steps, the same for {@code local --series} and {@code score --series}. */
final class SeriesOptions {
    @Option(names = "--series", description = "A numeric CSV (a header, one row per time step), one real-valued step "
            + "per row: the job forecasts --target's next value.")
    Path series;

    @Option(names = "--target", description = "With --series: the column to forecast.")
    String target;

    @Option(names = "--inputs", split = ",", description = "With --series: the input columns (default: every "
            + "numeric column, the target included).")
    List<String> inputs;

    @Option(names = "--date-column", description = "With --series: the date or date-time column for calendar "
            + "features (default: the first column holding ISO dates).")
    String dateColumn;

    @Option(names = "--calendar", defaultValue = "true", arity = "1", description = "With --series: add day-of-week, "
            + "day-of-year and (for times of day) hour features of the date column (default: ${DEFAULT-VALUE}).")
    boolean calendar;

    /** Whether any series-only option was given without --series. */
    boolean givenWithoutSeries() {
        return series == null && (target != null || inputs != null || dateColumn != null);
    }

    /** Reads --series; UserInputException naming the problem. */
    SeriesFile.Series read() throws java.io.IOException {
        if (!java.nio.file.Files.isReadable(series)) {
            throw new UserInputException("--series: cannot read " + series);
        }
        if (target == null) {
            throw new UserInputException("--series needs --target COLUMN (the column to forecast)");
        }
        try {
            return SeriesFile.read(series, target, inputs, dateColumn, calendar);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--series: " + e.getMessage());
        }
    }
}
