package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The default learning rates are the measured ones (docs/RESULTS.md sections 0c and 0j). */
class DefaultsTest {

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"8, 1e-3", "32, 1e-3", "64, 6e-4", "128, 3.6e-4"})
    void adamsRateIsTenToTheMinusThreeUpTo32AndShrinksByPointSixPerDoubling(int hidden, double expected) {
        assertEquals(expected, Defaults.learningRate(OptimizerType.ADAM, hidden), 1e-15);
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"32", "64"})
    void sgdKeepsItsRate(int hidden) {
        assertEquals(Defaults.SGD_LEARNING_RATE, Defaults.learningRate(OptimizerType.SGD, hidden), 0.0);
    }
}
