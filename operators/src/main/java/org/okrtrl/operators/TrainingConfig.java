package org.okrtrl.operators;

import java.io.Serializable;
import org.okrtrl.core.train.LearnerSpec;

/**
 * What the keyed training operator needs: the learner specification, the job's seed, the
 * vocabulary (null for real-valued streams), the gap policy and the number of top symbols to
 * report.
 */
public record TrainingConfig(LearnerSpec spec, long seed, Vocabulary vocabulary, GapPolicy gapPolicy, int topK)
        implements Serializable {

    /** What a gap in a key's sequence numbers does. */
    public enum GapPolicy {
        /** Start a new sequence: hidden state and influence go to zero. */
        RESET,
        /** Carry on as if nothing was missing. */
        CONTINUE
    }
}
