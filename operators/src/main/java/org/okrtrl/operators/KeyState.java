package org.okrtrl.operators;

import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SequenceLearner;

/**
 * Everything one stream key owns: its learner (model parameters, optimiser state, hidden state,
 * influence factors, random stream), its sequence bookkeeping, counters and running metrics.
 * Held in Flink keyed state and serialised by {@link KeyStateSerializer}.
 */
public final class KeyState extends StreamCounters {
    public final LearnerSpec spec;
    public final long keySeed;
    public SequenceLearner learner;

    public KeyState(LearnerSpec spec, long keySeed, SequenceLearner learner) {
        this.spec = spec;
        this.keySeed = keySeed;
        this.learner = learner;
    }

    /** A fresh state: the key's initial model. */
    public static KeyState fresh(LearnerSpec spec, long keySeed) {
        return new KeyState(spec, keySeed, spec.create(keySeed));
    }

    /** Replaces the learner by the key's initial model (the counters stay). */
    public void resetModel() {
        learner = spec.create(keySeed);
        divergenceResets++;
    }

    /** Bytes of the learner's arrays, the bulk of the serialised state. */
    public long arrayBytes() {
        long bytes = 0;
        for (double[] a : learner.stateArrays()) {
            bytes += 8L * a.length;
        }
        return bytes;
    }
}
