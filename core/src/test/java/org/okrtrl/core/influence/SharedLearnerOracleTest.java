package org.okrtrl.core.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.train.Algorithms;
import org.okrtrl.core.Problems;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SequenceGradients;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.SharedModel;
import org.okrtrl.core.train.Sgd;
import org.okrtrl.core.train.StreamState;

/**
 * The oracles for one model shared by many streams (ALGORITHMS.md section 11): on frozen
 * weights the shared accumulator holds exactly the sum of the streams' own gradients, each
 * stream's contribution is unbiased for r-OK, KF and UORO, and one optimiser step applies the
 * clipped mean of a batch.
 */
class SharedLearnerOracleTest {
    private static final int STREAMS = 4;
    private static final int STEPS = 8;

    @ParameterizedTest(name = "{0} on the {1} cell, {2} readout")
    @CsvSource({"rtrl, rnn, LINEAR", "rtrl, rhn, LINEAR", "rtrl, rnn, SOFTMAX", "rtrl, rhn, SOFTMAX",
        "tbptt:8, rnn, LINEAR", "tbptt:8, rhn, SOFTMAX"})
    void accumulatedGradientIsTheMeanOfSeparateExactLearners(String algorithm, String cell, Readout.Link link) {
        Model model = Problems.model(cell, link, 3, 5, 3, 11);
        double[][][] xs = new double[STREAMS][][];
        double[][][] ys = new double[STREAMS][][];
        double[] meanW = new double[model.w.length];
        double[] meanV = new double[model.v.length];
        for (int s = 0; s < STREAMS; s++) {
            xs[s] = link == Readout.Link.LINEAR ? Problems.realSequence(STEPS, 3, 10 + s)
                    : Problems.oneHotSequence(STEPS, 3, 10 + s);
            ys[s] = Problems.targets(link, STEPS, 3, 20 + s);
            // A separate exact learner per stream: full backpropagation through its whole sequence.
            SequenceGradients.Result r = SequenceGradients.backpropagation(model, xs[s], ys[s]);
            for (int i = 0; i < meanW.length; i++) {
                meanW[i] += r.gradW()[i] / STREAMS;
            }
            for (int i = 0; i < meanV.length; i++) {
                meanV[i] += r.gradV()[i] / STREAMS;
            }
        }
        // Frozen weights: the batch is longer than the run, so no optimiser step happens.
        SharedModel shared = new SharedModel(model, new Sgd(1.0), 0, Integer.MAX_VALUE, SharedModel.Reduction.MEAN,
                false);
        SharedLearner learner = Algorithms.sharedLearner(algorithm, shared);
        StreamState[] streams = new StreamState[STREAMS];
        for (int s = 0; s < STREAMS; s++) {
            streams[s] = learner.newStream(s);
        }
        for (int t = 0; t < STEPS; t++) {
            for (int s = 0; s < STREAMS; s++) {
                step(learner, streams[s], link, xs[s][t], ys[s][t]);
            }
        }
        for (StreamState s : streams) {
            learner.resetSequence(s); // flushes a truncation window
        }
        assertEquals(0, shared.updates());
        assertTrue(Problems.relativeError(scaled(shared.gradW(), 1.0 / STREAMS), meanW) < 1e-12,
                "W: " + Problems.relativeError(scaled(shared.gradW(), 1.0 / STREAMS), meanW));
        assertTrue(Problems.relativeError(scaled(shared.gradV(), 1.0 / STREAMS), meanV) < 1e-12,
                "V: " + Problems.relativeError(scaled(shared.gradV(), 1.0 / STREAMS), meanV));
    }

    @ParameterizedTest(name = "{0} on the {1} cell")
    @CsvSource({"ok:1, rnn", "ok:2, rhn", "kf, rnn", "kf, rhn", "uoro, rnn", "uoro, rhn"})
    void eachStreamsContributionIsUnbiased(String algorithm, String cell) {
        Model model = Problems.model(cell, Readout.Link.LINEAR, 2, 4, 2, 17);
        double[][] xs0 = Problems.realSequence(STEPS, 2, 1);
        double[][] ys0 = Problems.realSequence(STEPS, 2, 2);
        double[][] xs1 = Problems.realSequence(STEPS, 2, 3);
        double[][] ys1 = Problems.realSequence(STEPS, 2, 4);
        double[] exact = SequenceGradients.online(model, new ExactRtrl(model.cell), xs0, ys0, new SplitMix64(0))
                .gradW();
        int samples = 3000;
        double[][] contributions = new double[samples][model.w.length];
        double[] before = new double[model.w.length];
        SplitMix64 seeds = new SplitMix64(5);
        for (int n = 0; n < samples; n++) {
            SharedModel shared = new SharedModel(model, new Sgd(1.0), 0, Integer.MAX_VALUE,
                    SharedModel.Reduction.MEAN, false);
            SharedLearner learner = Algorithms.sharedLearner(algorithm, shared);
            StreamState s0 = learner.newStream(seeds.nextLong());
            StreamState s1 = learner.newStream(seeds.nextLong());
            for (int t = 0; t < STEPS; t++) {
                // Stream 1 steps in between; stream 0's share is what its own events add.
                learner.observe(s1, xs1[t], ys1[t]);
                System.arraycopy(shared.gradW(), 0, before, 0, before.length);
                learner.observe(s0, xs0[t], ys0[t]);
                for (int i = 0; i < before.length; i++) {
                    contributions[n][i] += shared.gradW()[i] - before[i];
                }
            }
        }
        GradientSamples stats = GradientSamples.of(contributions, exact);
        double z = stats.largestZScore(exact);
        double bound = GradientSamples.bonferroniThreshold(1e-3, exact.length);
        assertTrue(stats.meanSquaredError > 0, "the estimator must actually be random here");
        assertTrue(z < bound, algorithm + ": largest |z| " + z + " exceeds " + bound);
    }

    @ParameterizedTest(name = "batch of {0} events")
    @CsvSource({"1", "3", "16"})
    void oneOptimiserStepAppliesTheClippedMeanOfTheBatch(int batch) {
        double lr = 0.1;
        double clip = 0.05;
        Model model = Problems.model("rhn", Readout.Link.SOFTMAX, 4, 5, 4, 3);
        Model twin = Problems.model("rhn", Readout.Link.SOFTMAX, 4, 5, 4, 3);
        SharedModel shared = new SharedModel(model, new Sgd(lr), clip, batch, SharedModel.Reduction.MEAN, true);
        // The twin never steps: its accumulator shows the batch's sum.
        SharedModel frozen = new SharedModel(twin, new Sgd(lr), clip, Integer.MAX_VALUE,
                SharedModel.Reduction.MEAN, false);
        SharedLearner learner = Algorithms.sharedLearner("ok:2", shared);
        SharedLearner twinLearner = Algorithms.sharedLearner("ok:2", frozen);
        StreamState[] streams = {learner.newStream(1), learner.newStream(2), learner.newStream(3)};
        StreamState[] twinStreams = {twinLearner.newStream(1), twinLearner.newStream(2), twinLearner.newStream(3)};
        int[] symbols = new java.util.SplittableRandom(9).ints(batch + 3, 0, 4).toArray();
        for (int s = 0; s < 3; s++) {
            learner.observeSymbol(streams[s], symbols[s]); // the first symbol scores nothing
            twinLearner.observeSymbol(twinStreams[s], symbols[s]);
        }
        double[] w0 = model.w.clone();
        for (int e = 0; e < batch; e++) {
            assertEquals(0, shared.updates(), "no step before the batch is full");
            learner.observeSymbol(streams[e % 3], symbols[3 + e]);
            twinLearner.observeSymbol(twinStreams[e % 3], symbols[3 + e]);
        }
        assertEquals(1, shared.updates());
        double[] meanW = scaled(frozen.gradW(), 1.0 / batch);
        double[] meanV = scaled(frozen.gradV(), 1.0 / batch);
        double norm = Math.sqrt(dot(meanW, meanW) + dot(meanV, meanV));
        double scale = norm > clip ? clip / norm : 1.0;
        double[] deltaW = new double[model.w.length];
        double[] deltaV = new double[model.v.length];
        assertEquals(1, shared.drainLocalUpdate(deltaW, deltaV), "one step recorded for publishing");
        for (int i = 0; i < model.w.length; i++) {
            double expected = w0[i] - lr * scale * meanW[i];
            assertEquals(expected, model.w[i], 1e-15, "W[" + i + "]");
            assertEquals(model.w[i] - w0[i], deltaW[i], 1e-15, "the recorded update is the step taken");
        }
        for (int i = 0; i < model.v.length; i++) {
            assertEquals(twin.v[i] - lr * scale * meanV[i], model.v[i], 1e-15, "V[" + i + "]");
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void step(SharedLearner learner, StreamState s, Readout.Link link, double[] x, double[] y) {
        if (link == Readout.Link.LINEAR) {
            learner.observe(s, x, y);
        } else {
            learner.observe(s, argmax(x), argmax(y));
        }
    }

    private static int argmax(double[] oneHot) {
        int best = 0;
        for (int i = 1; i < oneHot.length; i++) {
            if (oneHot[i] > oneHot[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double[] scaled(double[] a, double factor) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }
}
