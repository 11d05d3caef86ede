package org.okrtrl.core.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.train.Algorithms;
import org.okrtrl.core.Problems;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SequenceGradients;

/**
 * Oracle 7: measured variance. 1-OK is never above KF-RTRL, and r-OK's variance falls as r
 * grows. Also the single-step fact behind it: for any two terms, 1-OK's error 2 sigma_1 sigma_2
 * is at most KF-RTRL's error.
 */
class VarianceTest {
    private static final int SAMPLES = 1500;

    @ParameterizedTest(name = "{0} cell, problem seed {1}")
    @CsvSource({"rnn, 1", "rnn, 2", "rnn, 3", "rhn, 1", "rhn, 2", "rhn, 3"})
    void oneOkIsNeverWorseThanKfAndVarianceFallsWithRank(String cell, long seed) {
        Model model = Problems.model(cell, Readout.Link.LINEAR, 3, 6, 2, seed);
        double[][] xs = Problems.realSequence(10, 3, seed + 100);
        double[][] ys = Problems.realSequence(10, 2, seed + 200);
        double[] exact =
                SequenceGradients.online(model, new ExactRtrl(model.cell), xs, ys, new SplitMix64(0)).gradW();
        GradientSamples kf = samples(model, "kf", xs, ys, exact);
        GradientSamples[] ok = {
            samples(model, "ok:1", xs, ys, exact), samples(model, "ok:2", xs, ys, exact),
            samples(model, "ok:4", xs, ys, exact), samples(model, "ok:8", xs, ys, exact)
        };
        assertTrue(ok[0].meanSquaredError < kf.meanSquaredError,
                "1-OK " + ok[0].meanSquaredError + " vs KF " + kf.meanSquaredError);
        for (int i = 1; i < ok.length; i++) {
            GradientSamples lower = ok[i - 1];
            GradientSamples higher = ok[i];
            // A clear drop: more than three combined standard errors.
            double margin = 3 * Math.hypot(lower.meanSquaredErrorStdErr, higher.meanSquaredErrorStdErr);
            assertTrue(higher.meanSquaredError + margin < lower.meanSquaredError,
                    "rank step " + i + ": " + lower.meanSquaredError + " -> " + higher.meanSquaredError);
        }
    }

    @Test
    void oneOkStepErrorIsAtMostKfStepError() {
        SplittableRandom rng = new SplittableRandom(3);
        int lenA = 30;
        int lenU = 11;
        for (int trial = 0; trial < 200; trial++) {
            OkReductionTest.Terms t = OkReductionTest.gaussian(lenA, lenU, 1, rng.nextLong());
            // Scale the terms differently so both norms regimes are covered.
            double scale = Math.exp(4 * (rng.nextDouble() - 0.5));
            for (int i = 0; i < lenA; i++) {
                t.a()[i] *= scale;
            }
            OkReduction reduction = new OkReduction(lenA, lenU, 1);
            reduction.reduce(t.a(), t.u(), new double[lenA], new double[lenU], 0L);
            double[] sigma = reduction.singularValues();
            assertEquals(2 * sigma[0] * sigma[1], reduction.closedFormSquaredError(), 1e-9 * sigma[0] * sigma[0]);
            assertTrue(reduction.closedFormSquaredError() <= kfSquaredError(t.a(), t.u(), lenA, lenU) * (1 + 1e-12));
        }
    }

    /**
     * KF-RTRL's squared error for terms (x1 (x) y1) + (x2 (x) y2): the cross terms survive with
     * weight c1 c2 = +-1, so ||(p2/p1) x1 y2^T + (p1/p2) x2 y1^T||^2 for every sign draw.
     */
    static double kfSquaredError(double[] a, double[] u, int lenA, int lenU) {
        double[] x1 = java.util.Arrays.copyOfRange(a, 0, lenA);
        double[] x2 = java.util.Arrays.copyOfRange(a, lenA, 2 * lenA);
        double[] y1 = java.util.Arrays.copyOfRange(u, 0, lenU);
        double[] y2 = java.util.Arrays.copyOfRange(u, lenU, 2 * lenU);
        double p1 = Math.sqrt(Problems.norm(x1) / Problems.norm(y1));
        double p2 = Math.sqrt(Problems.norm(x2) / Problems.norm(y2));
        double s = 0;
        for (int i = 0; i < lenA; i++) {
            for (int j = 0; j < lenU; j++) {
                double e = p2 / p1 * x1[i] * y2[j] + p1 / p2 * x2[i] * y1[j];
                s += e * e;
            }
        }
        return s;
    }

    private static GradientSamples samples(Model model, String algo, double[][] xs, double[][] ys, double[] exact) {
        return GradientSamples.collect(model, () -> Algorithms.estimator(algo, model.cell), xs, ys, exact, SAMPLES, 9);
    }
}
