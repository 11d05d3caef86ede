package org.okrtrl.core.influence;

import java.util.function.Supplier;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SequenceGradients;

/** Whole-sequence W gradients of an estimator over many seeds, with their statistics. */
final class GradientSamples {
    final int count;
    final double[] mean;
    final double[] variance;
    /** mean_i ||g_i - exact||^2. */
    final double meanSquaredError;
    /** standard error of meanSquaredError. */
    final double meanSquaredErrorStdErr;

    private GradientSamples(int count, double[] mean, double[] variance, double mse, double mseStdErr) {
        this.count = count;
        this.mean = mean;
        this.variance = variance;
        this.meanSquaredError = mse;
        this.meanSquaredErrorStdErr = mseStdErr;
    }

    static GradientSamples collect(Model model, Supplier<InfluenceEstimator> estimators, double[][] xs,
            double[][] ys, double[] exact, int count, long seed) {
        InfluenceEstimator estimator = estimators.get();
        SplitMix64 rng = new SplitMix64(seed);
        double[][] samples = new double[count][];
        for (int s = 0; s < count; s++) {
            samples[s] = SequenceGradients.online(model, estimator, xs, ys, rng).gradW();
        }
        return of(samples, exact);
    }

    /** Statistics of given samples (one gradient per row) against exact. */
    static GradientSamples of(double[][] samples, double[] exact) {
        int len = exact.length;
        int count = samples.length;
        double[] mean = new double[len];
        double[] m2 = new double[len];
        double errSum = 0;
        double errSumSq = 0;
        for (int s = 0; s < count; s++) {
            double[] g = samples[s];
            double err = 0;
            for (int i = 0; i < len; i++) {
                double delta = g[i] - mean[i];
                mean[i] += delta / (s + 1);
                m2[i] += delta * (g[i] - mean[i]);
                err += (g[i] - exact[i]) * (g[i] - exact[i]);
            }
            errSum += err;
            errSumSq += err * err;
        }
        double[] variance = new double[len];
        for (int i = 0; i < len; i++) {
            variance[i] = m2[i] / (count - 1);
        }
        double mse = errSum / count;
        double mseVar = (errSumSq / count - mse * mse) / (count - 1);
        return new GradientSamples(count, mean, variance, mse, Math.sqrt(Math.max(mseVar, 0)));
    }

    /**
     * The largest |z| = |mean_i - exact_i| / (sd_i / sqrt(N)) over coordinates with sampling
     * variance; coordinates without any must equal exact to rounding.
     */
    double largestZScore(double[] exact) {
        double worst = 0;
        double scale = 0;
        for (double e : exact) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < exact.length; i++) {
            double sd = Math.sqrt(variance[i]);
            if (sd <= 1e-12 * scale) {
                if (Math.abs(mean[i] - exact[i]) > 1e-9 * scale) {
                    return Double.POSITIVE_INFINITY;
                }
                continue;
            }
            worst = Math.max(worst, Math.abs(mean[i] - exact[i]) / (sd / Math.sqrt(count)));
        }
        return worst;
    }

    /**
     * The two-sided standard normal quantile z with P(|Z| > z) = alpha / coordinates
     * (Bonferroni), by bisection on the complementary error function.
     */
    static double bonferroniThreshold(double alpha, int coordinates) {
        double tail = alpha / coordinates;
        double lo = 0;
        double hi = 40;
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (erfc(mid / Math.sqrt(2)) > tail) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** erfc with relative error below 1.2e-7 (Numerical Recipes, 3rd ed., erfccheb's predecessor). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }
}
