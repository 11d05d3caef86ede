package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.readout.Readout;

/** A learner's exported state restores it exactly; non-finite numbers never reach the model. */
class LearnerStateTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ok:3, rhn", "kf, rnn", "uoro, rhn", "rtrl, rnn", "tbptt:4, rhn"})
    void restoredLearnerContinuesBitIdentically(String algorithm, String cell) {
        LearnerSpec spec = new LearnerSpec(algorithm, cell, 5, 6, 5, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 2, 1.0);
        SequenceLearner original = spec.create(42);
        int[] data = new SplittableRandom(3).ints(200, 0, 5).toArray();
        for (int t = 0; t < 101; t++) {
            original.observeSymbol(data[t]);
        }
        SequenceLearner restored = spec.create(7);
        double[][] from = original.stateArrays();
        double[][] to = restored.stateArrays();
        assertEquals(from.length, to.length);
        for (int i = 0; i < from.length; i++) {
            System.arraycopy(from[i], 0, to[i], 0, from[i].length);
        }
        restored.restoreScalarState(original.scalarState());
        for (int t = 101; t < 200; t++) {
            assertEquals(original.observeSymbol(data[t]), restored.observeSymbol(data[t]), 0.0);
        }
        assertArrayEquals(original.model().w, restored.model().w, 0.0);
        assertArrayEquals(original.prediction(), restored.prediction(), 0.0);
    }

    @Test
    void keySeedsAreStableAndDistinct() {
        assertEquals(LearnerSpec.keySeed(1, "user-1"), LearnerSpec.keySeed(1, "user-1"));
        assertNotEquals(LearnerSpec.keySeed(1, "user-1"), LearnerSpec.keySeed(1, "user-2"));
        assertNotEquals(LearnerSpec.keySeed(1, "user-1"), LearnerSpec.keySeed(2, "user-1"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ok:2", "tbptt:3"})
    void nonFiniteGradientIsRefused(String algorithm) {
        LearnerSpec spec = new LearnerSpec(algorithm, "rnn", 2, 3, 2, Readout.Link.LINEAR, "sgd", 0.1, 0, 1, 0);
        SequenceLearner learner = spec.create(1);
        double[] before = learner.model().w.clone();
        learner.observe(new double[] {0.1, 0.2}, new double[] {Double.NaN, 0.0});
        learner.resetSequence();
        assertFalse(learner.healthy());
        for (double w : learner.model().w) {
            assertTrue(Double.isFinite(w), "a NaN target must not reach W");
        }
        assertArrayEquals(before, learner.model().w, 0.0);
    }
}
