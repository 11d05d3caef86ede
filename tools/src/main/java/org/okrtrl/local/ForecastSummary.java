package org.okrtrl.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;

/** How a real-valued local run reports its errors: on the console and in the summary JSON. */
final class ForecastSummary {
    private ForecastSummary() {}

    static void print(PrintStream out, ForecastScore.Figures f, int window) {
        out.printf(Locale.ROOT, "mean squared error of the one-step forecasts (first %d scored steps / last %d / tail "
                + "of %,d):%n", Math.min(f.scored(), window), Math.min(f.scored(), window), f.tailSteps());
        line(out, "the job", f.model());
        line(out, "persistence", f.persistence());
        line(out, "mean so far", f.mean());
        if (f.seasonal() != null) {
            line(out, "seasonal naive", f.seasonal());
        }
    }

    private static void line(PrintStream out, String name, ForecastScore.Windows w) {
        out.printf(Locale.ROOT, "  %-16s %10.5g %10.5g %10.5g%n", name, w.start(), w.end(), w.tail());
    }

    /** mse_start / mse_end / mse_tail and the same for each naive forecast (mse_persistence_tail, ...). */
    static void put(ObjectNode o, ForecastScore.Figures f, SeriesFile.Series series) {
        put(o, "mse", f.model());
        put(o, "mse_persistence", f.persistence());
        put(o, "mse_mean", f.mean());
        if (f.seasonal() != null) {
            put(o, "mse_seasonal", f.seasonal());
        }
        o.put("scored_steps", f.scored());
        o.put("tail_steps", f.tailSteps());
        o.put("target", series.target());
        o.putPOJO("inputs", series.inputNames());
        o.put("rows", series.rows());
        o.put("skipped_rows", series.skippedRows());
    }

    private static void put(ObjectNode o, String prefix, ForecastScore.Windows w) {
        LocalPipeline.putNumber(o, prefix + "_start", w.start());
        LocalPipeline.putNumber(o, prefix + "_end", w.end());
        LocalPipeline.putNumber(o, prefix + "_tail", w.tail());
    }
}
