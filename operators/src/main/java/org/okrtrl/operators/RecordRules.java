package org.okrtrl.operators;

/**
 * The per-key rules for an incoming record, independent of Flink: "reset" starts a new sequence
 * and restarts the key's numbering at its seq; otherwise a sequence number at or below the last
 * accepted one is a duplicate (dropped and counted), a jump beyond the maximum is rejected (a
 * single wild seq would otherwise turn every later record into a duplicate), and a smaller jump
 * in consecutively numbered records is a gap (counted, and by policy the start of a new
 * sequence).
 */
public final class RecordRules implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** What to do with a record. */
    public enum Action {
        /** Drop it: already seen. */
        DROP_DUPLICATE,
        /** Dead-letter it: its sequence number jumps too far ahead (a typo would block the key). */
        REJECT_SEQ_JUMP,
        /** Learn from its steps in the current sequence. */
        CONTINUE,
        /** Start a new sequence (hidden and learning state to zero), then learn from its steps. */
        NEW_SEQUENCE
    }

    /** The default largest accepted jump of a key's sequence number. */
    public static final long DEFAULT_MAX_SEQ_JUMP = 1_000_000;

    private final TrainingConfig.GapPolicy gapPolicy;
    private final long maxSeqJump;

    public RecordRules(TrainingConfig.GapPolicy gapPolicy) {
        this(gapPolicy, DEFAULT_MAX_SEQ_JUMP);
    }

    /** @param maxSeqJump the largest accepted seq - lastSeq for consecutively numbered records */
    public RecordRules(TrainingConfig.GapPolicy gapPolicy, long maxSeqJump) {
        this.gapPolicy = gapPolicy;
        this.maxSeqJump = maxSeqJump;
    }

    /**
     * Decides what to do with record for a key with the given counters, and updates the
     * counters (modified) accordingly: duplicates, gaps, last sequence number, records and
     * unknown symbols.
     */
    public Action admit(StreamCounters counters, StepBatch record) {
        if (record.reset) {
            // A reset starts the key's numbering afresh, so a producer that restarts is never blocked.
            accept(counters, record);
            return Action.NEW_SEQUENCE;
        }
        if (record.seq <= counters.lastSeq) {
            counters.duplicates++;
            return Action.DROP_DUPLICATE;
        }
        if (record.consecutive && counters.lastSeq >= 0 && record.seq - counters.lastSeq > maxSeqJump) {
            return Action.REJECT_SEQ_JUMP;
        }
        boolean newSequence = false;
        if (record.consecutive && counters.lastSeq >= 0 && record.seq > counters.lastSeq + 1) {
            counters.gaps++;
            newSequence |= gapPolicy == TrainingConfig.GapPolicy.RESET;
        }
        accept(counters, record);
        return newSequence ? Action.NEW_SEQUENCE : Action.CONTINUE;
    }

    private static void accept(StreamCounters counters, StepBatch record) {
        counters.lastSeq = record.seq;
        counters.records++;
        counters.unknownSymbols += record.unknown;
    }

    /** Why a record was rejected, for its dead letter. */
    public String seqJumpReason(StreamCounters counters, StepBatch record) {
        return "seq " + record.seq + " jumps " + (record.seq - counters.lastSeq) + " past the key's last seq "
                + counters.lastSeq + " (more than --max-seq-jump " + maxSeqJump + "); send \"reset\": true to "
                + "restart the key's numbering";
    }
}
