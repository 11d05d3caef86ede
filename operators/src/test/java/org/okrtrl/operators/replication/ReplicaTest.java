package org.okrtrl.operators.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;

/** Replicas exchanging updates converge, apply each update once, and restore deterministically. */
class ReplicaTest {
    private static final LearnerSpec SPEC =
            new LearnerSpec("ok:2", "rhn", 4, 5, 4, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0);
    private static final String MODEL = "test|ok:2";

    private static Replica fresh(int subtask) {
        return Replica.fresh(SPEC.createShared(3, 4, true), MODEL, subtask);
    }

    private static void train(Replica r, long seed, int events) {
        SharedLearner l = r.learner();
        StreamState s = l.newStream(seed);
        SplittableRandom data = new SplittableRandom(seed);
        for (int e = 0; e < events; e++) {
            l.observeSymbol(s, data.nextInt(4));
        }
    }

    @Test
    void replicasThatExchangeEveryUpdateAgree() {
        Replica a = fresh(0);
        Replica b = fresh(1);
        assertArrayEquals(a.learner().shared().model().w, b.learner().shared().model().w, 0.0, "same theta_0");
        for (int round = 0; round < 5; round++) {
            train(a, 10 + round, 30);
            train(b, 20 + round, 17);
            ModelUpdate ua = a.publish(1000 + round);
            ModelUpdate ub = b.publish(2000 + round);
            assertEquals(Replica.Outcome.APPLIED, b.receive(ua));
            assertEquals(Replica.Outcome.APPLIED, a.receive(ub));
            // Each replica sees its own update come back and the other's again: both skipped.
            assertEquals(Replica.Outcome.ALREADY_APPLIED, a.receive(ua));
            assertEquals(Replica.Outcome.ALREADY_APPLIED, b.receive(ua));
        }
        assertArrayEquals(a.learner().shared().model().w, b.learner().shared().model().w, 1e-12);
        assertArrayEquals(a.learner().shared().model().v, b.learner().shared().model().v, 1e-12);
        assertEquals(5, a.published());
        assertEquals(5, a.applied());
        assertEquals(a.ledger().keySet(), b.ledger().keySet());
        assertNull(a.publish(3000), "nothing new to publish");
    }

    @Test
    void updatesOfAnotherModelNeverTouchTheParameters() {
        Replica a = fresh(0);
        double[] w = a.learner().shared().model().w.clone();
        ModelUpdate foreign = new ModelUpdate("other", 5, 1, 0, 1, new double[w.length],
                new double[a.learner().shared().model().v.length]);
        assertEquals(Replica.Outcome.REJECTED, a.receive(foreign));
        assertArrayEquals(w, a.learner().shared().model().w, 0.0);
        assertEquals(1, a.rejected());
    }

    @Test
    void everyInstanceRestoresTheLowestSubtasksReplicaAndStartsANewEpoch() {
        Replica a = fresh(0);
        Replica b = fresh(1);
        train(a, 1, 40);
        train(b, 2, 40);
        // Both published, neither has seen the other's update yet when the snapshot is taken.
        ModelUpdate ua = a.publish(1);
        ModelUpdate ub = b.publish(2);
        List<byte[]> stored = List.of(b.snapshot(), a.snapshot());

        Replica again0 = Replica.restore(stored, SPEC.createShared(3, 4, true), MODEL, 0);
        Replica again1 = Replica.restore(stored, SPEC.createShared(3, 4, true), MODEL, 1);
        Replica newcomer = Replica.restore(stored, SPEC.createShared(3, 4, true), MODEL, 2);
        for (Replica r : List.of(again0, again1, newcomer)) {
            assertArrayEquals(a.learner().shared().model().w, r.learner().shared().model().w, 0.0,
                    "every instance starts from the lowest subtask's replica");
            assertEquals(1, Replica.epochOf(r.origin()));
        }
        assertEquals(1, Replica.subtaskOf(again1.origin()));
        assertEquals(0, again1.learner().shared().pendingEvents(), "only subtask 0 keeps the partial batch");
        assertEquals(0, newcomer.learner().shared().pendingEvents());
        // The base holds a's update: replayed from the topic, it is skipped; b's is applied once.
        for (Replica r : List.of(again0, again1, newcomer)) {
            assertEquals(Replica.Outcome.ALREADY_APPLIED, r.receive(ua));
            assertEquals(Replica.Outcome.APPLIED, r.receive(ub));
            assertEquals(Replica.Outcome.ALREADY_APPLIED, r.receive(ub));
        }
        assertArrayEquals(again0.learner().shared().model().w, again1.learner().shared().model().w, 0.0);
        assertArrayEquals(newcomer.learner().shared().model().w, again1.learner().shared().model().w, 0.0);

        assertThrows(IllegalStateException.class,
                () -> Replica.restore(stored, SPEC.createShared(3, 4, true), "another model", 0));
    }

    /** The model topic lost the updates the stored replicas had not exchanged: they agree all the same. */
    @Test
    void replicasAgreeAfterARestoreWhoseModelTopicLostTheLastUpdates() {
        Replica a = fresh(0);
        Replica b = fresh(1);
        train(a, 1, 40);
        train(b, 2, 40);
        a.publish(1);
        b.publish(2);
        List<byte[]> stored = List.of(a.snapshot(), b.snapshot());
        Replica a1 = Replica.restore(stored, SPEC.createShared(3, 4, true), MODEL, 0);
        Replica b1 = Replica.restore(stored, SPEC.createShared(3, 4, true), MODEL, 1);
        // Nothing arrives from the topic; both go on learning and exchange only new updates.
        train(a1, 5, 40);
        train(b1, 6, 40);
        ModelUpdate ua = a1.publish(3);
        ModelUpdate ub = b1.publish(4);
        assertEquals(Replica.Outcome.APPLIED, a1.receive(ub));
        assertEquals(Replica.Outcome.APPLIED, b1.receive(ua));
        assertArrayEquals(a1.learner().shared().model().w, b1.learner().shared().model().w, 1e-12);
        assertArrayEquals(a1.learner().shared().model().v, b1.learner().shared().model().v, 1e-12);
    }

    @Test
    void updatesPublishedAfterTheRestoredCheckpointAreOrphanedEverywhereAndEveryStepCountsOnce() {
        Replica a = fresh(0);
        Replica b = fresh(1);
        train(a, 1, 40);
        train(b, 2, 40);
        ModelUpdate ub1 = b.publish(1);
        assertEquals(Replica.Outcome.APPLIED, a.receive(ub1));
        train(b, 5, 40);
        ModelUpdate ub2 = b.publish(2); // on the topic before the barrier, a has not read it yet
        ModelUpdate ua1 = a.publish(2); // a publishes at the barrier
        List<byte[]> checkpoint = List.of(a.snapshot(), b.snapshot());
        // After the checkpoint: b publishes again and a applies it, then the job fails.
        train(b, 3, 40);
        ModelUpdate ub3 = b.publish(3);
        assertEquals(Replica.Outcome.APPLIED, a.receive(ub3));

        Replica a1 = Replica.restore(checkpoint, SPEC.createShared(3, 4, true), MODEL, 0);
        Replica b1 = Replica.restore(checkpoint, SPEC.createShared(3, 4, true), MODEL, 1);
        assertEquals(2L, a1.closedOrigins().get(b.origin()), "b's checkpoint covered its updates 1 and 2");
        // The topic is read again from the restored position: ub2 and ub3, then b1 replays its input.
        assertEquals(Replica.Outcome.APPLIED, a1.receive(ub2), "covered by b's checkpoint: applied");
        assertEquals(Replica.Outcome.APPLIED, b1.receive(ub2), "b1 starts from a's replica, which lacked it");
        assertEquals(Replica.Outcome.ALREADY_APPLIED, b1.receive(ua1));
        double[] before = a1.learner().shared().model().w.clone();
        assertEquals(Replica.Outcome.ORPHANED, a1.receive(ub3), "b's restored state does not hold these steps");
        assertEquals(Replica.Outcome.ORPHANED, b1.receive(ub3));
        assertArrayEquals(before, a1.learner().shared().model().w, 0.0);
        assertEquals(1, a1.orphaned());
        train(b1, 3, 40);
        ModelUpdate replayed = b1.publish(4);
        assertEquals(Replica.Outcome.APPLIED, a1.receive(replayed));
        assertArrayEquals(a1.learner().shared().model().w, b1.learner().shared().model().w, 1e-12,
                "the replayed steps entered once, on both replicas");

        // The closing numbers survive the next checkpoint and restore.
        Replica a2 = Replica.restore(List.of(a1.snapshot(), b1.snapshot()), SPEC.createShared(3, 4, true), MODEL, 0);
        assertEquals(Replica.Outcome.ORPHANED, a2.receive(ub3));
        assertEquals(2, Replica.epochOf(a2.origin()));
    }
}
