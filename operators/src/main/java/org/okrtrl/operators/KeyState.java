package org.okrtrl.operators;

import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SequenceLearner;

/**
 * Everything one stream key owns: its learner (model parameters, optimiser state, hidden state,
 * influence factors, random stream), its sequence bookkeeping, counters and running metrics.
 * Held in Flink keyed state and serialised by {@link KeyStateSerializer}.
 */
public final class KeyState {
    public final LearnerSpec spec;
    public final long keySeed;
    public SequenceLearner learner;
    /** The last accepted sequence number, -1 before the first record. */
    public long lastSeq = -1;
    public long records;
    public long steps;
    public long duplicates;
    public long gaps;
    /** Times the model was reset to its initial state because learning went non-finite. */
    public long divergenceResets;
    public long unknownSymbols;
    /** Running average of the per-step surprise in bits (or loss), over about the last 100 steps. */
    public double runningBits = Double.NaN;
    public long scoredSteps;

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

    /** Adds one scored step to the running average. */
    public void score(double bits) {
        scoredSteps++;
        double weight = 1.0 / Math.min(scoredSteps, 100);
        runningBits = scoredSteps == 1 ? bits : runningBits + weight * (bits - runningBits);
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
