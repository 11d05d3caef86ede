package org.okrtrl.experiments;

import java.io.PrintStream;
import java.util.Locale;

/** The live progress line of an experiment run: step, steps/s, running loss, curriculum, ETA. */
final class Progress {
    private final PrintStream out;
    private final String label;
    private final long totalSteps;
    private final long started = System.nanoTime();
    private long lastPrint;

    Progress(PrintStream out, String label, long totalSteps) {
        this.out = out;
        this.label = label;
        this.totalSteps = totalSteps;
    }

    /** Prints at most twice a second; extra is appended (e.g. the curriculum length). */
    void update(long step, double runningLoss, String extra) {
        long now = System.nanoTime();
        if (now - lastPrint < 500_000_000L && step < totalSteps) {
            return;
        }
        lastPrint = now;
        double seconds = (now - started) / 1e9;
        double rate = step / Math.max(seconds, 1e-9);
        double eta = rate > 0 ? (totalSteps - step) / rate : Double.NaN;
        out.printf(Locale.ROOT, "\r%-22s step %,d/%,d  %,.0f steps/s  loss %.4f  %s  ETA %s   ", label, step, totalSteps,
                rate, runningLoss, extra, duration(eta));
        out.flush();
    }

    void done() {
        out.println();
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
