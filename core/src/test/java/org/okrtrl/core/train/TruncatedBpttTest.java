package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.okrtrl.core.Problems;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.influence.ExactRtrl;
import org.okrtrl.core.readout.Readout;

/** Oracle 8: TBPTT with T >= the sequence length equals exact RTRL; shorter T does not. */
class TruncatedBpttTest {

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "rhn"})
    void fullHorizonEqualsExactRtrlOnRealSteps(String cell) {
        int steps = 15;
        Model model = Problems.model(cell, Readout.Link.LINEAR, 3, 5, 2, 21);
        double[][] xs = Problems.realSequence(steps, 3, 1);
        double[][] ys = Problems.realSequence(steps, 2, 2);
        SequenceGradients.Result exact =
                SequenceGradients.online(model, new ExactRtrl(model.cell), xs, ys, new SplitMix64(0));

        RecordingOptimizer full = runTbptt(model, steps + 3, xs, ys);
        assertEquals(1, full.calls, "one window covers the whole sequence");
        assertTrue(Problems.relativeError(full.sums[0], exact.gradW()) < 1e-9);
        assertTrue(Problems.relativeError(full.sums[1], exact.gradV()) < 1e-12);

        SequenceGradients.Result frozenFull = SequenceGradients.truncated(model, steps, xs, ys);
        assertTrue(Problems.relativeError(frozenFull.gradW(), exact.gradW()) < 1e-9);

        RecordingOptimizer truncated = runTbptt(model, 4, xs, ys);
        SequenceGradients.Result frozenTruncated = SequenceGradients.truncated(model, 4, xs, ys);
        assertTrue(Problems.relativeError(truncated.sums[0], frozenTruncated.gradW()) < 1e-12,
                "the learner and the frozen routine truncate alike");
        assertEquals(4, truncated.calls, "windows of 4, 4, 4, 3");
        assertTrue(Problems.relativeError(truncated.sums[0], exact.gradW()) > 1e-3,
                "truncation must lose the long-range part of the gradient");
        assertTrue(Problems.relativeError(truncated.sums[1], exact.gradV()) < 1e-12,
                "V's gradient is never truncated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "rhn"})
    void prequentialSymbolsMatchOnlineExactRtrl(String cell) {
        int vocab = 6;
        int steps = 20;
        Model model = Problems.model(cell, Readout.Link.SOFTMAX, vocab, 5, vocab, 4);
        int[] symbols = new SplittableRandom(5).ints(steps, 0, vocab).toArray();

        RecordingOptimizer bptt = new RecordingOptimizer(model);
        TruncatedBpttLearner tbptt = new TruncatedBpttLearner(model, bptt, 0, steps);
        RecordingOptimizer rtrl = new RecordingOptimizer(model);
        // steps - 1 predictions get scored, so one update covers them all.
        OnlineLearner online = new OnlineLearner(model, new ExactRtrl(model.cell), rtrl, 0, steps - 1, 0);
        double lossBptt = 0;
        double lossRtrl = 0;
        for (int s : symbols) {
            double a = tbptt.observeSymbol(s);
            double b = online.observeSymbol(s);
            if (!Double.isNaN(a)) {
                lossBptt += a;
                lossRtrl += b;
            }
        }
        tbptt.resetSequence();
        assertEquals(1, bptt.calls);
        assertEquals(1, rtrl.calls);
        assertEquals(lossRtrl, lossBptt, 1e-12 * lossRtrl);
        assertTrue(Problems.relativeError(bptt.sums[0], rtrl.sums[0]) < 1e-9);
        assertTrue(Problems.relativeError(bptt.sums[1], rtrl.sums[1]) < 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "rhn"})
    void separateInputAndTargetSymbolsMatchExactRtrl(String cell) {
        Model model = Problems.model(cell, Readout.Link.SOFTMAX, 4, 5, 3, 8);
        int[] inputs = new SplittableRandom(6).ints(12, 0, 4).toArray();
        int[] targets = new SplittableRandom(7).ints(12, 0, 3).toArray();
        RecordingOptimizer bptt = new RecordingOptimizer(model);
        RecordingOptimizer rtrl = new RecordingOptimizer(model);
        TruncatedBpttLearner tbptt = new TruncatedBpttLearner(model, bptt, 0, 50);
        OnlineLearner online = new OnlineLearner(model, new ExactRtrl(model.cell), rtrl, 0, inputs.length, 0);
        for (int t = 0; t < inputs.length; t++) {
            assertEquals(online.observe(inputs[t], targets[t]), tbptt.observe(inputs[t], targets[t]), 1e-12);
        }
        tbptt.resetSequence();
        assertTrue(Problems.relativeError(bptt.sums[0], rtrl.sums[0]) < 1e-9);
        assertTrue(Problems.relativeError(bptt.sums[1], rtrl.sums[1]) < 1e-12);
    }

    private static RecordingOptimizer runTbptt(Model model, int horizon, double[][] xs, double[][] ys) {
        RecordingOptimizer recorder = new RecordingOptimizer(model);
        TruncatedBpttLearner learner = new TruncatedBpttLearner(model, recorder, 0, horizon);
        for (int t = 0; t < xs.length; t++) {
            learner.observe(xs[t], ys[t]);
        }
        learner.resetSequence();
        return recorder;
    }
}
