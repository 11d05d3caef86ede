package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.Problems;
import org.okrtrl.core.readout.Readout;

/** Reproducibility, allocation and learning behaviour of the learners. */
class OnlineLearnerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ok:4", "kf", "uoro", "rtrl", "tbptt:5"})
    void sameSeedGivesBitIdenticalModels(String algorithm) {
        double[] first = train(algorithm, 7, 300);
        double[] second = train(algorithm, 7, 300);
        assertArrayEquals(first, second);
        if (!algorithm.equals("rtrl") && !algorithm.startsWith("tbptt")) {
            assertFalse(java.util.Arrays.equals(first, train(algorithm, 8, 300)), "another seed, other signs");
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"ok:8, rnn", "ok:2, rhn", "kf, rhn", "uoro, rnn", "rtrl, rnn", "tbptt:4, rhn"})
    void stepsAllocateNothingAfterWarmUp(String algorithm, String cell) {
        int vocab = 5;
        Model model = Problems.model(cell, Readout.Link.SOFTMAX, vocab, 6, vocab, 1);
        SequenceLearner learner = Algorithms.learner(
                algorithm, model, new Adam(Adam.DEFAULT_LEARNING_RATE, model.w.length, model.v.length), 1.0, 1, 3);
        int[] symbols = new SplittableRandom(2).ints(4096, 0, vocab).toArray();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int round = 0; round < 30; round++) {
            run(learner, symbols);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        run(learner, symbols);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 1024, algorithm + " allocated " + allocated + " bytes over " + symbols.length + " steps");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ok:4", "kf", "uoro", "rtrl", "tbptt:8"})
    void learnsADeterministicCycle(String algorithm) {
        // The sequence 0 1 2 3 0 1 2 3 ...: after training, each next symbol is near certain.
        int vocab = 4;
        Model model = Problems.model("rnn", Readout.Link.SOFTMAX, vocab, 8, vocab, 2);
        SequenceLearner learner = Algorithms.learner(
                algorithm, model, new Adam(0.01, model.w.length, model.v.length), 1.0, 1, 3);
        double early = 0;
        double late = 0;
        int steps = 3000;
        for (int t = 0; t < steps; t++) {
            double loss = learner.observeSymbol(t % vocab);
            if (t > 0 && t <= 20) {
                early += loss / 20;
            }
            if (t >= steps - 200) {
                late += loss / 200;
            }
        }
        assertTrue(early > 0.8, "starts uncertain: " + early);
        assertTrue(late < 0.05, algorithm + " ends at " + late + " nats per symbol");
        assertTrue(learner.updates() > 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ok:2", "tbptt:3"})
    void resetStartsANewSequence(String algorithm) {
        Model model = Problems.model("rhn", Readout.Link.SOFTMAX, 3, 4, 3, 2);
        SequenceLearner learner =
                Algorithms.learner(algorithm, model, new Sgd(0.0), 0, 1, 3);
        assertTrue(Double.isNaN(learner.observeSymbol(1)), "nothing was predicted before the first symbol");
        assertFalse(Double.isNaN(learner.observeSymbol(2)));
        learner.resetSequence();
        assertFalse(learner.hasPrediction());
        assertTrue(Double.isNaN(learner.observeSymbol(1)));
        double[] afterReset = learner.prediction().clone();
        Model fresh = Problems.model("rhn", Readout.Link.SOFTMAX, 3, 4, 3, 2);
        SequenceLearner reference = Algorithms.learner(algorithm, fresh, new Sgd(0.0), 0, 1, 3);
        reference.observeSymbol(1);
        assertArrayEquals(reference.prediction(), afterReset, 0.0, "h went back to zero");
    }

    private static double[] train(String algorithm, long seed, int steps) {
        Model model = Problems.model("rhn", Readout.Link.SOFTMAX, 4, 6, 4, 1);
        SequenceLearner learner = Algorithms.learner(
                algorithm, model, new Adam(0.01, model.w.length, model.v.length), 1.0, 2, seed);
        SplittableRandom data = new SplittableRandom(11);
        for (int t = 0; t < steps; t++) {
            if (t % 50 == 49) {
                learner.resetSequence();
            }
            learner.observeSymbol(data.nextInt(4));
        }
        double[] all = new double[model.w.length + model.v.length];
        System.arraycopy(model.w, 0, all, 0, model.w.length);
        System.arraycopy(model.v, 0, all, model.w.length, model.v.length);
        assertEquals(all.length, model.w.length + model.v.length);
        return all;
    }

    private static void run(SequenceLearner learner, int[] symbols) {
        for (int i = 0; i < symbols.length; i++) {
            if (i % 512 == 0) {
                learner.resetSequence();
            }
            learner.observeSymbol(symbols[i]);
        }
    }
}
