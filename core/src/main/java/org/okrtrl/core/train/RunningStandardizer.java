package org.okrtrl.core.train;

/**
 * Per-component running mean and variance of a real-valued stream (Welford's update, exact in
 * one pass: B. P. Welford, "Note on a method for calculating corrected sums of squares and
 * products", Technometrics 4(3), 1962), used to feed a model standardised inputs and targets
 * whatever the units of the series.
 *
 * <p>The statistics are one plain array, {@code [count, mean_0 .. mean_{d-1}, m2_0 .. m2_{d-1}]},
 * so they live in a stream's keyed state beside its hidden state and a scorer outside the job
 * can repeat them exactly. A component's scale is its population standard deviation, known once
 * two values were seen and the spread is not negligible against the mean. A component whose
 * scale is not known standardises to 0 and restores to its mean: nothing about the units leaks
 * into the model, so a series learned in other units (scaled and shifted) is learned identically.
 */
public final class RunningStandardizer {
    private RunningStandardizer() {}

    /** Fresh statistics for vectors of the given size (no value seen yet). */
    public static double[] newStatistics(int size) {
        return new double[1 + 2 * size];
    }

    /** The vector size stats describe. */
    public static int size(double[] stats) {
        return (stats.length - 1) / 2;
    }

    /** Values seen so far. */
    public static long count(double[] stats) {
        return (long) stats[0];
    }

    /** Adds one vector of values to stats (modified). */
    public static void update(double[] stats, double[] values) {
        int d = size(stats);
        double count = stats[0] + 1;
        stats[0] = count;
        for (int i = 0; i < d; i++) {
            double mean = stats[1 + i];
            double delta = values[i] - mean;
            mean += delta / count;
            stats[1 + i] = mean;
            stats[1 + d + i] += delta * (values[i] - mean);
        }
    }

    /** The mean of component i (0 before any value). */
    public static double mean(double[] stats, int i) {
        return stats[1 + i];
    }

    /** The scale of component i: its standard deviation, or 0 while that is unknown or degenerate. */
    public static double scale(double[] stats, int i) {
        int d = size(stats);
        double count = stats[0];
        if (count < 2) {
            return 0;
        }
        double mean = stats[1 + i];
        double variance = stats[1 + d + i] / count;
        return variance > 0 && variance > 1e-20 * mean * mean ? Math.sqrt(variance) : 0;
    }

    /** Writes (values - mean) / scale into out, 0 where the scale is unknown (modified; may be values). */
    public static void standardize(double[] stats, double[] values, double[] out) {
        for (int i = 0; i < out.length; i++) {
            double scale = scale(stats, i);
            out[i] = scale > 0 ? (values[i] - mean(stats, i)) / scale : 0;
        }
    }

    /** Writes mean + scale * standardized into out, the mean where the scale is unknown (modified; may be standardized). */
    public static void restore(double[] stats, double[] standardized, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = mean(stats, i) + scale(stats, i) * standardized[i];
        }
    }
}
