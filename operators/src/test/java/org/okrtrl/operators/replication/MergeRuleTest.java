package org.okrtrl.operators.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;

/** The merge rules' weights, and replicas under a weight still agreeing on theta_0 + w * (all steps). */
class MergeRuleTest {
    @Test
    void weightsPerParallelism() {
        assertEquals(1.0, MergeRule.SUM.weight(8));
        assertEquals(0.125, MergeRule.MEAN.weight(8));
        assertEquals(0.5, MergeRule.SQRT.weight(4));
        assertEquals(1.0, MergeRule.AUTO.weight(1));
        assertEquals(0.5, MergeRule.AUTO.weight(2), "auto is scaled: the mean of the updates");
        assertEquals(0.25, MergeRule.AUTO.weight(4));
        assertEquals(4.0, MergeRule.AUTO.learningRateScale(4), "of steps P times larger");
        assertEquals(1.0, MergeRule.AUTO.learningRateScale(1));
        assertEquals(1.0, MergeRule.SCALED.learningRateScale(1), "one replica learns as it always did");
        assertEquals(0.25, MergeRule.SCALED.weight(4), "the mean of the updates");
        assertEquals(4.0, MergeRule.SCALED.learningRateScale(4), "of steps P times larger");
        assertEquals(8.0, MergeRule.SCALED.learningRateScale(16), "at most 8 times larger");
        assertEquals(1.0 / 16, MergeRule.SCALED.weight(16));
        assertEquals(1.0, MergeRule.MEAN.learningRateScale(4));
        assertEquals(1.0, MergeRule.SUM.learningRateScale(4));
        assertEquals(MergeRule.AUTO, MergeRule.parse("auto"));
        assertEquals(MergeRule.SCALED, MergeRule.parse("scaled"));
        assertThrows(IllegalArgumentException.class, () -> MergeRule.parse("median"));
        assertThrows(IllegalArgumentException.class, () -> MergeRule.MEAN.weight(0));
    }

    @Test
    void weightedReplicasAgreeAfterExchangingEverything() {
        LearnerSpec spec = new LearnerSpec("ok:2", "rhn", 4, 5, 4, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0);
        Replica[] replicas = new Replica[3];
        for (int r = 0; r < replicas.length; r++) {
            replicas[r] = Replica.fresh(spec.createShared(3, 4, true), "m", r);
            replicas[r].setMergeWeight(MergeRule.AUTO.weight(replicas.length), replicas.length);
        }
        for (int r = 0; r < replicas.length; r++) {
            SharedLearner l = replicas[r].learner();
            StreamState s = l.newStream(r);
            for (int e = 0; e < 40; e++) {
                l.observeSymbol(s, (e * (r + 1)) % 4);
            }
        }
        ModelUpdate[] updates = new ModelUpdate[replicas.length];
        for (int r = 0; r < replicas.length; r++) {
            updates[r] = replicas[r].publish(100);
        }
        for (int r = 0; r < replicas.length; r++) {
            for (ModelUpdate u : updates) {
                replicas[r].receive(u);
            }
        }
        for (int r = 1; r < replicas.length; r++) {
            assertArrayEquals(replicas[0].learner().shared().model().w, replicas[r].learner().shared().model().w, 1e-12);
        }
    }

    private static Replica weighted(int subtask, int replicas) {
        LearnerSpec spec = new LearnerSpec("ok:2", "rhn", 4, 5, 4, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0);
        Replica r = Replica.fresh(spec.createShared(3, 4, true), "m", subtask);
        r.setMergeWeight(MergeRule.SCALED.weight(replicas), replicas);
        return r;
    }

    private static double[] stepOnce(Replica r, int seed) {
        double[] before = r.learner().shared().model().w.clone();
        SharedLearner l = r.learner();
        StreamState s = l.newStream(seed);
        for (int e = 0; e < 20; e++) {
            l.observeSymbol(s, (e * (seed + 1)) % 4);
        }
        double[] steps = r.learner().shared().model().w.clone();
        for (int i = 0; i < steps.length; i++) {
            steps[i] -= before[i];
        }
        return steps;
    }

    /**
     * A replica keeps all of its published steps until its peers' steps of the same time have
     * arrived, giving up one peer's slice ((1 - w) / (P - 1) of them) as each peer's later update
     * is applied; a snapshot taken in between reads back (and restores) settled, as the linear
     * rule has it.
     */
    @Test
    void ownStepsAreHeldUntilThePeersStepsOfTheSameTimeArrive() {
        Replica a = weighted(0, 4);
        Replica[] peers = {weighted(1, 4), weighted(2, 4), weighted(3, 4)};
        double[] start = a.learner().shared().model().w.clone();
        double[] steps = stepOnce(a, 1);
        ModelUpdate u = a.publish(1_000);
        double[] w = a.learner().shared().model().w;
        for (int i = 0; i < w.length; i++) {
            assertEquals(start[i] + steps[i], w[i], 1e-15, "all of its steps until the peers' arrive");
            assertEquals(0.25 * steps[i], u.deltaW()[i], 1e-15, "the update carries w of them");
        }
        assertEquals(1, a.heldBack());
        StoredReplica stored = StoredReplica.read(a.snapshot());
        Replica restored = Replica.restore(java.util.List.of(a.snapshot()), weighted(0, 4).learner(), "m", 0);
        assertEquals(Replica.Outcome.ALREADY_APPLIED, a.receive(u), "its own return settles nothing");
        assertEquals(1, a.heldBack());

        stepOnce(peers[0], 2);
        ModelUpdate older = peers[0].publish(999);
        a.receive(older);
        assertEquals(1, a.heldBack(), "a peer's update from before does not cover the held steps");
        for (int p = 0; p < peers.length; p++) {
            stepOnce(peers[p], 10 + p);
            ModelUpdate later = peers[p].publish(1_000 + p);
            double[] x = w.clone();
            assertEquals(Replica.Outcome.APPLIED, a.receive(later));
            for (int i = 0; i < w.length; i++) {
                assertEquals(x[i] + later.deltaW()[i] - 0.25 * steps[i], w[i], 1e-14, "one slice per peer");
            }
        }
        assertEquals(0, a.heldBack());
        for (int i = 0; i < w.length; i++) {
            assertEquals(start[i] + 0.25 * steps[i], stored.w()[i], 1e-15, "a snapshot reads back settled");
        }
        assertArrayEquals(stored.w(), restored.learner().shared().model().w, 1e-15, "and restores settled");
    }

    @Test
    void heldBackStepsAreBoundedAndCanBeTakenBackAtOnce() {
        Replica a = weighted(0, 2);
        for (int k = 0; k < Replica.MAX_HELD_BACK + 3; k++) {
            stepOnce(a, k);
            a.publish(k);
        }
        assertEquals(Replica.MAX_HELD_BACK, a.heldBack(), "the oldest are taken back when a peer stays silent");
        double[] settled = StoredReplica.read(a.snapshot()).w();
        a.setHoldBack(false);
        assertEquals(0, a.heldBack());
        assertArrayEquals(settled, a.learner().shared().model().w, 1e-14);
        stepOnce(a, 99);
        a.publish(99);
        assertEquals(0, a.heldBack(), "taken back at publication");
    }
}
