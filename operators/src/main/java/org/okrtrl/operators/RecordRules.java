package org.okrtrl.operators;

/**
 * The per-key rules for an incoming record, independent of Flink: a sequence number at or
 * below the last accepted one is a duplicate (dropped and counted); a jump in consecutively
 * numbered records is a gap (counted, and by policy the start of a new sequence); "reset"
 * starts a new sequence.
 */
public final class RecordRules implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** What to do with a record. */
    public enum Action {
        /** Drop it: already seen. */
        DROP_DUPLICATE,
        /** Learn from its steps in the current sequence. */
        CONTINUE,
        /** Start a new sequence (hidden and learning state to zero), then learn from its steps. */
        NEW_SEQUENCE
    }

    private final TrainingConfig.GapPolicy gapPolicy;

    public RecordRules(TrainingConfig.GapPolicy gapPolicy) {
        this.gapPolicy = gapPolicy;
    }

    /**
     * Decides what to do with record for a key with the given counters, and updates the
     * counters (modified) accordingly: duplicates, gaps, last sequence number, records and
     * unknown symbols.
     */
    public Action admit(StreamCounters counters, StepBatch record) {
        if (record.seq <= counters.lastSeq) {
            counters.duplicates++;
            return Action.DROP_DUPLICATE;
        }
        boolean newSequence = record.reset;
        if (record.consecutive && counters.lastSeq >= 0 && record.seq > counters.lastSeq + 1) {
            counters.gaps++;
            newSequence |= gapPolicy == TrainingConfig.GapPolicy.RESET;
        }
        counters.lastSeq = record.seq;
        counters.records++;
        counters.unknownSymbols += record.unknown;
        return newSequence ? Action.NEW_SEQUENCE : Action.CONTINUE;
    }
}
