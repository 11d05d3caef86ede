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
        assertEquals(1.0, MergeRule.AUTO.weight(2), "the sum while P w <= 2");
        assertEquals(0.25, MergeRule.AUTO.weight(4), "the mean above two replicas");
        assertEquals(1.0, MergeRule.AUTO.learningRateScale(4), "at the job's own rate");
        assertEquals(1.0, MergeRule.SCALED.learningRateScale(1), "one replica learns as it always did");
        assertEquals(0.25, MergeRule.SCALED.weight(4), "the mean of the updates");
        assertEquals(4.0, MergeRule.SCALED.learningRateScale(4), "of steps P times larger");
        assertEquals(8.0, MergeRule.SCALED.learningRateScale(16), "at most 8 times larger");
        assertEquals(1.0 / 16, MergeRule.SCALED.weight(16));
        assertEquals(1.0, MergeRule.MEAN.learningRateScale(4));
        assertEquals(1.0, MergeRule.SUM.learningRateScale(4));
        assertEquals(4.0, MergeRule.SCALED.learningRateScale(4, 0.0));
        assertEquals(2.0, MergeRule.SCALED.learningRateScale(4, 1.0), "updates one exchange late: half the scale");
        assertEquals(1.0, MergeRule.SCALED.learningRateScale(4, 30.0), "never below the plain mean");
        assertEquals(1.0, MergeRule.MEAN.learningRateScale(4, 0.0));
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
            replicas[r].setMergeWeight(MergeRule.AUTO.weight(replicas.length));
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
            updates[r] = replicas[r].publish(r);
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
}
