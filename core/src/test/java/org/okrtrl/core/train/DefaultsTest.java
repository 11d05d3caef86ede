package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.readout.Readout;

/** The defaults are the measured ones (docs/RESULTS.md sections 0b, 0j, 0k and 0l). */
class DefaultsTest {

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"8, 1.78e-3", "32, 1.78e-3", "64, 1.33417e-3", "128, 1e-3", "256, 6e-4", "512, 3.6e-4"})
    void adamsRateIsTenToTheMinusTwoPointSevenFiveUpTo32FallsGeometricallyToTenToTheMinusThreeAt128AndShrinksAbove(
            int hidden, double expected) {
        assertEquals(expected, Defaults.learningRate(OptimizerType.ADAM, hidden), 1e-8);
    }

    @Test
    void theRateFallsWithTheWidth() {
        double previous = Double.POSITIVE_INFINITY;
        for (int hidden = 1; hidden <= 1024; hidden++) {
            double rate = Defaults.learningRate(OptimizerType.ADAM, hidden);
            assertTrue(rate <= previous, "n = " + hidden);
            previous = rate;
        }
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"32", "64"})
    void sgdKeepsItsRate(int hidden) {
        assertEquals(Defaults.SGD_LEARNING_RATE, Defaults.learningRate(OptimizerType.SGD, hidden), 0.0);
    }

    @ParameterizedTest(name = "{0} {1} n={2} rate={3}")
    @CsvSource({"ok:8, SOFTMAX, 16, 0.001, 0.999", "ok:8, SOFTMAX, 32, 0.001, 0.999", "ok:8, SOFTMAX, 33, 0.001, 0.99",
            "ok:8, SOFTMAX, 64, 0.001, 0.99", "ok:8, SOFTMAX, 128, 0.0006, 0.99", "rtrl, SOFTMAX, 32, 0.001, 0.999",
            "ok:8, SOFTMAX, 32, 0.002, 0.99", "rtrl, SOFTMAX, 16, 0.00316, 0.99", "kf, SOFTMAX, 64, 0.001, 0.99",
            "tbptt:25, SOFTMAX, 64, 0.001, 0.999", "tbptt:5, SOFTMAX, 32, 0.00316, 0.999",
            "ok:8, LINEAR, 32, 0.003, 0.999", "ok:8, LINEAR, 64, 0.001, 0.999"})
    void onlineEstimatorsOnTextTakeBetaTwoPointNineNineWhenWideOrFastAndTheRestKingmaAndBas(String algorithm,
            Readout.Link link, int hidden, double rate, double expected) {
        assertEquals(expected, Defaults.adamBeta2(org.okrtrl.core.Algorithm.parse(algorithm), link, hidden, rate), 0.0);
    }

    @ParameterizedTest(name = "{0} n={1}")
    @CsvSource({"ok:8, 32, 0.99", "rtrl, 16, 0.99", "kf, 32, 0.99", "tbptt:25, 32, 0.999", "ok:8, 64, 0.99"})
    void theNarrowDefaultRateIsAFastOneForTheDecay(String algorithm, int hidden, double expected) {
        double rate = Defaults.learningRate(OptimizerType.ADAM, hidden);
        assertEquals(expected, Defaults.adamBeta2(org.okrtrl.core.Algorithm.parse(algorithm), Readout.Link.SOFTMAX,
                hidden, rate), 0.0);
    }

    @Test
    void aSpecWithoutBetaTwoTakesItsLinksDefaultAndOneGivenIsKept() {
        LearnerSpec text = new LearnerSpec("ok:8", "rhn", 5, 64, 5, Readout.Link.SOFTMAX, "adam", 1e-3, 1.0, 1, 0.0,
                0.01);
        LearnerSpec narrow = new LearnerSpec("ok:8", "rhn", 5, 32, 5, Readout.Link.SOFTMAX, "adam", 1e-3, 1.0, 1,
                0.0, 0.01);
        LearnerSpec series = new LearnerSpec("ok:8", "rhn", 2, 64, 1, Readout.Link.LINEAR, "adam", 1e-3, 1.0, 1, 0.0,
                0.01);
        assertEquals(0.99, text.adamBeta2(), 0.0);
        assertEquals(0.999, narrow.adamBeta2(), 0.0);
        assertEquals(0.999, series.adamBeta2(), 0.0);
        assertEquals(0.95, text.withAdamBeta2(0.95).adamBeta2(), 0.0);
        assertEquals(0.99, text.withAdamBeta2(0.95).withAdamBeta2(Double.NaN).adamBeta2(), 0.0);
        LearnerSpec fastNarrow = new LearnerSpec("ok:8", "rhn", 5, 32, 5, Readout.Link.SOFTMAX, "adam", 2e-3, 1.0, 1,
                0.0, 0.01);
        LearnerSpec truncated = new LearnerSpec("tbptt:25", "rhn", 5, 64, 5, Readout.Link.SOFTMAX, "adam", 1e-3, 1.0,
                1, 0.0, 0.01);
        assertEquals(0.99, fastNarrow.adamBeta2(), 0.0);
        assertEquals(0.999, truncated.adamBeta2(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> text.withAdamBeta2(1.0));
    }
}
