package org.okrtrl.core.influence;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.Problems;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SequenceGradients;

/**
 * Oracle 5: with r at least the rank bound p = m + n + 1 the Kronecker sum can hold G exactly,
 * the reduction never mixes, and r-OK reproduces exact RTRL.
 */
class OkReproducesRtrlTest {

    /**
     * The reduction drops directions below its sigma floor of the largest singular value (see
     * {@link Precision}): 1e-7 in double; in float 2.2e-3, with the float passes rounding at
     * u = 2^-24. So agreement is to that floor, not to the last digit.
     */
    @ParameterizedTest(name = "{0} cell, m={1}, n={2}, r={3}, {4}")
    @CsvSource({"rnn, 2, 3, 6, DOUBLE", "rnn, 2, 3, 9, DOUBLE", "rhn, 2, 3, 6, DOUBLE", "rhn, 1, 4, 7, DOUBLE",
        "rnn, 2, 3, 6, FLOAT", "rnn, 2, 3, 9, FLOAT", "rhn, 2, 3, 6, FLOAT", "rhn, 1, 4, 7, FLOAT"})
    void fullRankOkEqualsExactRtrl(String cell, int m, int n, int r, Precision precision) {
        int steps = 30;
        Model model = Problems.model(cell, Readout.Link.LINEAR, m, n, 2, 3);
        double[][] xs = Problems.realSequence(steps, m, 6);
        double[][] ys = Problems.realSequence(steps, 2, 7);
        SequenceGradients.Result exact =
                SequenceGradients.online(model, new ExactRtrl(model.cell), xs, ys, new SplitMix64(0));
        SequenceGradients.Result ok = SequenceGradients.online(
                model, new OptimalKroneckerSum(model.cell, r, precision), xs, ys, new SplitMix64(42));
        double error = Problems.relativeError(ok.gradW(), exact.gradW());
        assertTrue(error < precision.sigmaRelativeFloor(), "relative error " + error);
    }

    @ParameterizedTest(name = "{0} cell below the rank bound differs")
    @CsvSource({"rnn", "rhn"})
    void lowRankOkIsOnlyAnEstimate(String cell) {
        Model model = Problems.model(cell, Readout.Link.LINEAR, 2, 3, 2, 3);
        double[][] xs = Problems.realSequence(30, 2, 6);
        double[][] ys = Problems.realSequence(30, 2, 7);
        SequenceGradients.Result exact =
                SequenceGradients.online(model, new ExactRtrl(model.cell), xs, ys, new SplitMix64(0));
        SequenceGradients.Result ok = SequenceGradients.online(
                model, new OptimalKroneckerSum(model.cell, 2), xs, ys, new SplitMix64(42));
        assertTrue(Problems.relativeError(ok.gradW(), exact.gradW()) > 1e-3);
    }
}
