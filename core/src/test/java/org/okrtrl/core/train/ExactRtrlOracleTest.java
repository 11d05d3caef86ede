package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.Problems;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.influence.ExactRtrl;
import org.okrtrl.core.readout.Readout;

/** Oracles 1 and 2: exact RTRL equals full BPTT and central finite differences. */
class ExactRtrlOracleTest {

    @ParameterizedTest(name = "{0} cell, {1} readout, inputs {2}")
    @CsvSource({
        "rnn, SOFTMAX, onehot", "rnn, LINEAR, real", "rhn, SOFTMAX, onehot", "rhn, LINEAR, real",
        "rnn, SOFTMAX, real", "rhn, LINEAR, onehot"
    })
    void exactRtrlEqualsBackpropagationThroughTime(String cell, Readout.Link link, String inputs) {
        int m = 5;
        int n = 7;
        int o = 4;
        int steps = 25;
        Model model = Problems.model(cell, link, m, n, o, 11);
        double[][] xs = inputs.equals("onehot") ? Problems.oneHotSequence(steps, m, 3) : Problems.realSequence(steps, m, 3);
        double[][] ys = Problems.targets(link, steps, o, 4);

        SequenceGradients.Result bptt = SequenceGradients.backpropagation(model, xs, ys);
        SequenceGradients.Result rtrl =
                SequenceGradients.online(model, new ExactRtrl(model.cell), xs, ys, new SplitMix64(1));

        assertTrue(Problems.norm(bptt.gradW()) > 1e-3, "gradient must be non-trivial");
        assertEquals(bptt.loss(), rtrl.loss(), 1e-12 * Math.abs(bptt.loss()));
        assertTrue(Problems.relativeError(rtrl.gradW(), bptt.gradW()) < 1e-9,
                "dW relative error " + Problems.relativeError(rtrl.gradW(), bptt.gradW()));
        assertTrue(Problems.relativeError(rtrl.gradV(), bptt.gradV()) < 1e-12);
    }

    @ParameterizedTest(name = "{0} cell, {1} readout")
    @CsvSource({"rnn, LINEAR", "rhn, LINEAR", "rnn, SOFTMAX", "rhn, SOFTMAX"})
    void centralFiniteDifferencesAgreeWithExactRtrl(String cell, Readout.Link link) {
        int m = 3;
        int n = 4;
        int o = 3;
        int steps = 10;
        Model model = Problems.model(cell, link, m, n, o, 5);
        double[][] xs = Problems.realSequence(steps, m, 8);
        double[][] ys = Problems.targets(link, steps, o, 9);
        SequenceGradients.Result rtrl =
                SequenceGradients.online(model, new ExactRtrl(model.cell), xs, ys, new SplitMix64(1));

        double h = 1e-5;
        double worst = 0;
        for (double[][] group : new double[][][] {{model.w, rtrl.gradW()}, {model.v, rtrl.gradV()}}) {
            double[] theta = group[0];
            double[] grad = group[1];
            for (int i = 0; i < theta.length; i++) {
                double saved = theta[i];
                theta[i] = saved + h;
                double plus = SequenceGradients.loss(model, xs, ys);
                theta[i] = saved - h;
                double minus = SequenceGradients.loss(model, xs, ys);
                theta[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                worst = Math.max(worst, Math.abs(numeric - grad[i]) / Math.max(1.0, Math.abs(grad[i])));
            }
        }
        // Central differences carry O(h^2) truncation and O(eps / h) rounding error: ~1e-9 here.
        assertTrue(worst < 1e-7, "worst finite-difference mismatch " + worst);
    }
}
