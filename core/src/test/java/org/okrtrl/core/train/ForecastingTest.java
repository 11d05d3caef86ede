package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.okrtrl.core.readout.Readout;

/**
 * Forecasting ({@link SequenceLearner#observeAndForecast}) is the same-step rule with learning
 * deferred: feeding x_t and scoring against y_{t+1} one call later computes exactly what
 * {@code observe(x_t, y_{t+1})} computes, bit for bit, for every learning rule; and the running
 * standardiser equals the two-pass mean and standard deviation.
 */
class ForecastingTest {

    private static LearnerSpec spec(String algorithm) {
        return new LearnerSpec(algorithm, "rhn", 3, 6, 2, Readout.Link.LINEAR, "adam", 0.01, 1.0, 1, 1.0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rtrl", "ok:3", "kf", "uoro", "tbptt:4"})
    void forecastingEqualsTheSameStepRuleOnTheShiftedTargets(String algorithm) {
        SplittableRandom rng = new SplittableRandom(8);
        int steps = 120;
        double[][] x = new double[steps][3];
        double[][] y = new double[steps][2];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < 3; i++) {
                x[t][i] = rng.nextGaussian();
            }
            y[t][0] = Math.sin(0.3 * t);
            y[t][1] = rng.nextGaussian();
        }
        SequenceLearner sameStep = spec(algorithm).create(5);
        SequenceLearner forecaster = spec(algorithm).create(5);
        assertTrue(Double.isNaN(forecaster.observeAndForecast(y[0], x[0])), "nothing was forecast before the start");
        for (int t = 1; t < steps; t++) {
            double expected = sameStep.observe(x[t - 1], y[t]);
            assertEquals(expected, forecaster.observeAndForecast(y[t], x[t]), 0.0, "loss at " + t);
        }
        // The forecaster consumed one more input (x_last) than the same-step learner, whose model
        // updates are all applied: the parameters agree exactly.
        assertArrayEquals(sameStep.model().w, forecaster.model().w, 0.0);
        assertArrayEquals(sameStep.model().v, forecaster.model().v, 0.0);
        assertEquals(sameStep.updates(), forecaster.updates());
    }

    @Test
    void forecastingLearnsASineAheadOfTime() {
        SequenceLearner learner = new LearnerSpec("ok:4", "rhn", 1, 16, 1, Readout.Link.LINEAR, "adam", 3e-3, 1.0, 1, 0.0,
                0.1).create(3);
        double early = 0;
        double late = 0;
        for (int t = 0; t < 6000; t++) {
            double value = Math.sin(2 * Math.PI * t / 25.0);
            double loss = learner.observeAndForecast(new double[] {value}, new double[] {value});
            if (t >= 1 && t <= 500) {
                early += loss;
            } else if (t > 5500) {
                late += loss;
            }
        }
        assertTrue(late < early / 20, "one step ahead of a sine: early " + early + ", late " + late);
    }

    @Test
    void runningStatisticsEqualTheTwoPassOnes() {
        SplittableRandom rng = new SplittableRandom(4);
        int n = 5000;
        double[][] values = new double[n][2];
        double[] stats = RunningStandardizer.newStatistics(2);
        for (int t = 0; t < n; t++) {
            values[t][0] = 1e6 + 3 * rng.nextGaussian();
            values[t][1] = -2 + 0.01 * rng.nextGaussian();
            RunningStandardizer.update(stats, values[t]);
        }
        for (int i = 0; i < 2; i++) {
            double mean = 0;
            for (double[] v : values) {
                mean += v[i];
            }
            mean /= n;
            double ss = 0;
            for (double[] v : values) {
                ss += (v[i] - mean) * (v[i] - mean);
            }
            double sd = Math.sqrt(ss / n);
            assertEquals(mean, RunningStandardizer.mean(stats, i), 1e-12 * Math.abs(mean) + 1e-12);
            assertEquals(sd, RunningStandardizer.scale(stats, i), 1e-9 * sd);
        }
        assertEquals(n, RunningStandardizer.count(stats));
        double[] z = new double[2];
        double[] back = new double[2];
        RunningStandardizer.standardize(stats, values[7], z);
        RunningStandardizer.restore(stats, z, back);
        assertArrayEquals(values[7], back, 1e-6);
    }

    @Test
    void anUnknownScaleStandardisesToZeroAndRestoresToTheMean() {
        double[] stats = RunningStandardizer.newStatistics(1);
        double[] z = new double[1];
        double[] back = new double[1];
        RunningStandardizer.update(stats, new double[] {5});
        assertEquals(0.0, RunningStandardizer.scale(stats, 0), "one value has no spread");
        RunningStandardizer.standardize(stats, new double[] {7}, z);
        assertEquals(0.0, z[0]);
        RunningStandardizer.restore(stats, new double[] {3}, back);
        assertEquals(5.0, back[0], "the mean, whatever the model says");
        RunningStandardizer.update(stats, new double[] {5});
        assertEquals(0.0, RunningStandardizer.scale(stats, 0), "a constant is not blown up");
        RunningStandardizer.update(stats, new double[] {8});
        assertEquals(Math.sqrt(2.0), RunningStandardizer.scale(stats, 0), 1e-12);
        RunningStandardizer.standardize(stats, new double[] {8}, z);
        assertEquals(2 / Math.sqrt(2.0), z[0], 1e-12);
    }
}
