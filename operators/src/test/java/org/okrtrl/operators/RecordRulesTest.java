package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-key rules for duplicates, gaps and resets, without Flink. */
class RecordRulesTest {
    private static StepBatch record(long seq, boolean reset, boolean consecutive, int unknown) {
        StepBatch b = new StepBatch();
        b.key = "k";
        b.seq = seq;
        b.reset = reset;
        b.consecutive = consecutive;
        b.symbols = new int[] {0, 1};
        b.unknown = unknown;
        return b;
    }

    @Test
    void firstRecordContinuesAndLaterOnesInOrderToo() {
        RecordRules rules = new RecordRules(TrainingConfig.GapPolicy.RESET);
        StreamCounters c = new StreamCounters();
        assertEquals(RecordRules.Action.CONTINUE, rules.admit(c, record(5, false, true, 0)));
        assertEquals(RecordRules.Action.CONTINUE, rules.admit(c, record(6, false, true, 2)));
        assertEquals(6, c.lastSeq);
        assertEquals(2, c.records);
        assertEquals(2, c.unknownSymbols);
        assertEquals(0, c.gaps);
    }

    @Test
    void aSeqAtOrBelowTheLastIsADuplicateAndChangesNothingElse() {
        RecordRules rules = new RecordRules(TrainingConfig.GapPolicy.RESET);
        StreamCounters c = new StreamCounters();
        rules.admit(c, record(3, false, true, 0));
        assertEquals(RecordRules.Action.DROP_DUPLICATE, rules.admit(c, record(3, false, true, 1)));
        assertEquals(RecordRules.Action.DROP_DUPLICATE, rules.admit(c, record(1, false, true, 1)));
        assertEquals(2, c.duplicates);
        assertEquals(3, c.lastSeq);
        assertEquals(1, c.records);
        assertEquals(0, c.unknownSymbols);
    }

    @Test
    void aGapIsCountedAndStartsANewSequenceUnderTheResetPolicyOnly() {
        RecordRules reset = new RecordRules(TrainingConfig.GapPolicy.RESET);
        RecordRules carryOn = new RecordRules(TrainingConfig.GapPolicy.CONTINUE);
        StreamCounters a = new StreamCounters();
        StreamCounters b = new StreamCounters();
        reset.admit(a, record(1, false, true, 0));
        carryOn.admit(b, record(1, false, true, 0));
        assertEquals(RecordRules.Action.NEW_SEQUENCE, reset.admit(a, record(4, false, true, 0)));
        assertEquals(RecordRules.Action.CONTINUE, carryOn.admit(b, record(4, false, true, 0)));
        assertEquals(1, a.gaps);
        assertEquals(1, b.gaps);
    }

    @Test
    void offsetNumberedRecordsHaveNoGapsAndResetAlwaysStartsANewSequence() {
        RecordRules rules = new RecordRules(TrainingConfig.GapPolicy.RESET);
        StreamCounters c = new StreamCounters();
        rules.admit(c, record(10, false, false, 0));
        assertEquals(RecordRules.Action.CONTINUE, rules.admit(c, record(50, false, false, 0)));
        assertEquals(0, c.gaps);
        assertEquals(RecordRules.Action.NEW_SEQUENCE, rules.admit(c, record(51, true, false, 0)));
    }

    @Test
    void aWildSeqIsRejectedAndResetRestartsTheNumbering() {
        RecordRules rules = new RecordRules(TrainingConfig.GapPolicy.RESET, 1000);
        StreamCounters c = new StreamCounters();
        rules.admit(c, record(5, false, true, 0));
        assertEquals(RecordRules.Action.REJECT_SEQ_JUMP, rules.admit(c, record(Long.MAX_VALUE, false, true, 0)));
        assertEquals(5, c.lastSeq, "a rejected record leaves the key unblocked");
        assertEquals(RecordRules.Action.CONTINUE, rules.admit(c, record(6, false, true, 0)));
        assertEquals(RecordRules.Action.NEW_SEQUENCE, rules.admit(c, record(1005, false, true, 0)), "a gap, not a jump");
        assertEquals(RecordRules.Action.NEW_SEQUENCE, rules.admit(c, record(0, true, true, 0)),
                "reset restarts the numbering even below the last seq");
        assertEquals(0, c.lastSeq);
        assertEquals(RecordRules.Action.CONTINUE, rules.admit(c, record(1, false, true, 0)));
        assertTrue(rules.seqJumpReason(c, record(5000, false, true, 0)).contains("--max-seq-jump"));
    }
}
