package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.readout.Readout;

/** The shared learner as a user drives it: learning from many streams, no allocation, isolation of bad streams. */
class SharedLearnerTest {

    private static LearnerSpec spec(String algorithm, String cell, int vocab, double lr) {
        return new LearnerSpec(algorithm, cell, vocab, 8, vocab, Readout.Link.SOFTMAX, "adam", lr, 1.0, 1, 1.0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ok:4, rhn", "kf, rnn", "uoro, rhn", "rtrl, rnn", "tbptt:8, rhn"})
    void eventsAllocateNothingAfterWarmUp(String algorithm, String cell) {
        SharedLearner learner = spec(algorithm, cell, 5, 1e-3).createShared(1, 4, true);
        StreamState[] streams = new StreamState[3];
        for (int s = 0; s < streams.length; s++) {
            streams[s] = learner.newStream(s);
        }
        int[] symbols = new SplittableRandom(2).ints(4096, 0, 5).toArray();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int round = 0; round < 30; round++) {
            run(learner, streams, symbols);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        run(learner, streams, symbols);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 1024, algorithm + " allocated " + allocated + " bytes over " + symbols.length + " events");
    }

    private static void run(SharedLearner learner, StreamState[] streams, int[] symbols) {
        for (int t = 0; t < symbols.length; t++) {
            learner.observeSymbol(streams[t % streams.length], symbols[t]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ok:4", "kf", "uoro", "tbptt:8"})
    void fourStreamsTeachOneModelACycle(String algorithm) {
        // Each stream cycles 0 1 2 3 from its own phase; one model learns the cycle from all of them.
        SharedLearner learner = spec(algorithm, "rnn", 4, 0.01).createShared(2, 4, false);
        StreamState[] streams = new StreamState[4];
        for (int s = 0; s < 4; s++) {
            streams[s] = learner.newStream(10 + s);
        }
        double early = 0;
        double late = 0;
        int rounds = 3000;
        for (int t = 0; t < rounds; t++) {
            for (int s = 0; s < 4; s++) {
                double loss = learner.observeSymbol(streams[s], (t + s) % 4);
                if (t > 0 && t <= 5) {
                    early += loss / 20;
                }
                if (t >= rounds - 50) {
                    late += loss / 200;
                }
            }
        }
        assertTrue(early > 0.8, "starts uncertain: " + early);
        assertTrue(late < 0.05, algorithm + " ends at " + late + " nats per symbol");
        assertEquals(rounds * 4 / 4 - 1, learner.shared().updates(), 1.0, "one step per 4 scored events");
    }

    @Test
    void aNonFiniteStreamIsIsolatedAndTheModelStaysFinite() {
        LearnerSpec spec = new LearnerSpec("ok:2", "rnn", 2, 3, 2, Readout.Link.LINEAR, "sgd", 0.1, 0, 1, 0);
        SharedLearner learner = spec.createShared(1, 2, false);
        StreamState good = learner.newStream(1);
        StreamState bad = learner.newStream(2);
        double[] w0 = learner.shared().model().w.clone();
        learner.observe(bad, new double[] {0.1, 0.2}, new double[] {Double.NaN, 0.0});
        assertFalse(bad.healthy());
        assertEquals(0, learner.shared().pendingEvents(), "the bad event contributes nothing");
        assertArrayEquals(w0, learner.shared().model().w, 0.0);
        learner.observe(good, new double[] {0.1, 0.2}, new double[] {0.3, 0.0});
        learner.observe(good, new double[] {0.2, 0.1}, new double[] {0.1, 0.5});
        assertEquals(1, learner.shared().updates());
        for (double w : learner.shared().model().w) {
            assertTrue(Double.isFinite(w));
        }
        learner.resetStream(bad);
        assertTrue(bad.healthy());
    }
}
