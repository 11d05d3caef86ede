package org.okrtrl.core.influence;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.train.Algorithms;
import org.okrtrl.core.Problems;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SequenceGradients;

/**
 * Oracle 6: over whole sequences, the mean gradient of OK (r = 1, 2), KF-RTRL and UORO over N
 * seeds matches exact RTRL within a Bonferroni z bound from the sample variance. The same check
 * must reject an estimator that is biased (OK with its mixing signs frozen).
 */
class UnbiasednessTest {
    private static final int SAMPLES = 3000;
    /** Family-wise false-alarm probability of one check. */
    private static final double ALPHA = 1e-3;

    @ParameterizedTest(name = "{0} on the {1} cell")
    @CsvSource({
        "ok:1, rnn", "ok:2, rnn", "kf, rnn", "uoro, rnn",
        "ok:1, rhn", "ok:2, rhn", "kf, rhn", "uoro, rhn"
    })
    void meanOverSeedsIsExactRtrl(String algorithm, String cell) {
        Model model = Problems.model(cell, Readout.Link.LINEAR, 2, 4, 2, 17);
        double[][] xs = Problems.realSequence(8, 2, 1);
        double[][] ys = Problems.realSequence(8, 2, 2);
        double[] exact = exact(model, xs, ys);
        GradientSamples samples = GradientSamples.collect(
                model, () -> Algorithms.estimator(algorithm, model.cell), xs, ys, exact, SAMPLES, 5);
        double z = samples.largestZScore(exact);
        double bound = GradientSamples.bonferroniThreshold(ALPHA, exact.length);
        assertTrue(samples.meanSquaredError > 0, "the estimator must actually be random here");
        assertTrue(z < bound, algorithm + ": largest |z| " + z + " exceeds " + bound);
    }

    /**
     * The same check with r-OK's factors in float: float rounding (u = 2^-24 relative) is far
     * below the Monte Carlo resolution of 3,000 samples, so the unbiasedness test applies as is.
     */
    @ParameterizedTest(name = "float {0} on the {1} cell")
    @CsvSource({"1, rnn", "2, rnn", "1, rhn", "2, rhn"})
    void meanOverSeedsIsExactRtrlWithFloatFactors(int rank, String cell) {
        Model model = Problems.model(cell, Readout.Link.LINEAR, 2, 4, 2, 17);
        double[][] xs = Problems.realSequence(8, 2, 1);
        double[][] ys = Problems.realSequence(8, 2, 2);
        double[] exact = exact(model, xs, ys);
        GradientSamples samples = GradientSamples.collect(
                model, () -> new OptimalKroneckerSum(model.cell, rank, Precision.FLOAT), xs, ys, exact, SAMPLES, 5);
        double z = samples.largestZScore(exact);
        double bound = GradientSamples.bonferroniThreshold(ALPHA, exact.length);
        assertTrue(samples.meanSquaredError > 0, "the estimator must actually be random here");
        assertTrue(z < bound, "float ok:" + rank + ": largest |z| " + z + " exceeds " + bound);
    }

    @ParameterizedTest(name = "frozen signs are caught on the {0} cell")
    @CsvSource({"rnn", "rhn"})
    void theCheckRejectsABiasedEstimator(String cell) {
        Model model = Problems.model(cell, Readout.Link.LINEAR, 2, 4, 2, 17);
        double[][] xs = Problems.realSequence(8, 2, 1);
        double[][] ys = Problems.realSequence(8, 2, 2);
        double[] exact = exact(model, xs, ys);
        Supplier<InfluenceEstimator> frozen = () -> new FrozenSignOk(model, 1);
        GradientSamples samples = GradientSamples.collect(model, frozen, xs, ys, exact, SAMPLES, 5);
        double z = samples.largestZScore(exact);
        assertTrue(z > GradientSamples.bonferroniThreshold(ALPHA, exact.length),
                "a deterministic sign choice is biased and must fail the check, |z| = " + z);
    }

    private static double[] exact(Model model, double[][] xs, double[][] ys) {
        return SequenceGradients.online(model, new ExactRtrl(model.cell), xs, ys, new SplitMix64(0)).gradW();
    }

    /** r-OK whose mixing signs are always +1: deterministic, hence biased. */
    static final class FrozenSignOk implements InfluenceEstimator {
        private final KroneckerSumState state;
        private final OkReduction reduction;

        FrozenSignOk(Model model, int rank) {
            this.state = new KroneckerSumState(model.cell, rank);
            this.reduction = new OkReduction(state.lengthA, state.p, rank);
        }

        @Override
        public String name() {
            return "frozen-ok";
        }

        @Override
        public void reset() {
            state.reset();
        }

        @Override
        public void advance(StepTrace step, SplitMix64 rng) {
            state.expand(step);
            reduction.reduce(state.termsA, state.termsU, state.factorsA, state.factorsU, 0L);
        }

        @Override
        public void gradient(double[] delta, double[] gradW) {
            state.gradient(delta, gradW);
        }

        @Override
        public double[][] stateArrays() {
            return new double[][] {state.factorsA, state.factorsU};
        }

        @Override
        public void bind(double[][] arrays) {
            state.bind(arrays);
        }
    }
}
