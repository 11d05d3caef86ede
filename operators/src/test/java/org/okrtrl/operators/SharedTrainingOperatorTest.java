package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.operators.replication.ModelUpdate;
import org.okrtrl.operators.replication.ModelUpdateCodec;
import org.okrtrl.operators.replication.Replica;

/** The shared-model operator in Flink's two-input test harness: keyed records in, model updates in and out. */
class SharedTrainingOperatorTest {
    private static final Vocabulary VOCAB = Vocabulary.parse("chars:abc");
    private static final LearnerSpec SPEC =
            new LearnerSpec("ok:2", "rnn", 3, 6, 3, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0);
    private static final TrainingConfig CONFIG =
            new TrainingConfig(SPEC, 4, VOCAB, TrainingConfig.GapPolicy.RESET, 2, "test-model", 4);

    private static KeyedTwoInputStreamOperatorTestHarness<String, StepBatch, RawRecord, Prediction> harness(
            int subtask, int parallelism) throws Exception {
        // Model updates reach every instance; the harness still sets a key, so give it one this subtask owns.
        String own = keyOf(subtask, parallelism);
        return new KeyedTwoInputStreamOperatorTestHarness<>(new SharedTrainingOperator(CONFIG), b -> b.key,
                r -> own, Types.STRING, 128, parallelism, subtask);
    }

    /** A key that Flink assigns to the given subtask. */
    static String keyOf(int subtask, int parallelism) {
        for (int i = 0; ; i++) {
            String key = "key-" + i;
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(key, 128, parallelism) == subtask) {
                return key;
            }
        }
    }

    private static StepBatch record(String key, long seq, String text) {
        StepBatch b = new StepBatch();
        b.key = key;
        b.seq = seq;
        b.symbols = text.chars().map(c -> VOCAB.lookup(String.valueOf((char) c))).toArray();
        return b;
    }

    private static RawRecord raw(byte[] value) {
        return new RawRecord(null, value, "model", 0, 7, 0);
    }

    private static List<Prediction> predictions(ConcurrentLinkedQueue<Object> output) {
        List<Prediction> out = new ArrayList<>();
        for (Object o : output) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Prediction p) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void everyStepIsPredictedAndDuplicatesAreDropped() throws Exception {
        try (var h = harness(0, 1)) {
            h.open();
            h.processElement1(new StreamRecord<>(record("a", 0, "abcab"), 10));
            h.processElement1(new StreamRecord<>(record("b", 0, "cc"), 11));
            h.processElement1(new StreamRecord<>(record("a", 0, "abc"), 12));
            List<Prediction> out = predictions(h.getOutput());
            assertEquals(7, out.size());
            assertTrue(Double.isNaN(out.get(0).surpriseBits), "a sequence starts unscored");
            assertFalse(Double.isNaN(out.get(1).surpriseBits));
            assertEquals("b", out.get(5).key);
            assertEquals(2, out.get(0).topSymbols.length);
            assertEquals(1, out.get(6).modelSteps, "4 scored events from any key make one step");
        }
    }

    @Test
    void updatesArePublishedAtTheBarrierAndAppliedByAnotherInstance() throws Exception {
        byte[] published;
        double[] w0;
        try (var h = harness(0, 2)) {
            h.open();
            w0 = ((SharedTrainingOperator) h.getOperator()).replica().learner().shared().model().w.clone();
            h.processElement1(new StreamRecord<>(record(keyOf(0, 2), 0, "abcabcabc"), 1));
            h.prepareSnapshotPreBarrier(1);
            List<byte[]> updates = new ArrayList<>();
            for (StreamRecord<byte[]> r : h.getSideOutput(SharedTrainingOperator.MODEL_UPDATES)) {
                updates.add(r.getValue());
            }
            assertEquals(1, updates.size(), "one update per barrier");
            published = updates.get(0);
            h.prepareSnapshotPreBarrier(2);
            assertEquals(1, h.getSideOutput(SharedTrainingOperator.MODEL_UPDATES).size(), "nothing new, nothing sent");
        }
        try (var other = harness(1, 2)) {
            other.open();
            Replica replica = ((SharedTrainingOperator) other.getOperator()).replica();
            assertArrayEquals(w0, replica.learner().shared().model().w, 0.0, "every instance starts from theta_0");
            other.processElement2(new StreamRecord<>(raw(published)));
            other.processElement2(new StreamRecord<>(raw(published)));
            ModelUpdate u = new ModelUpdateCodec(CONFIG.modelFingerprint(), w0.length,
                    replica.learner().shared().model().v.length).decode(published).update();
            for (int i = 0; i < w0.length; i++) {
                assertEquals(w0[i] + u.deltaW()[i], replica.learner().shared().model().w[i], 0.0);
            }
            assertEquals(1, replica.applied(), "a repeated update is applied once");
            other.processElement2(new StreamRecord<>(raw("garbage".getBytes(StandardCharsets.UTF_8))));
            TrainingConfig otherModel = new TrainingConfig(SPEC, 4, VOCAB, TrainingConfig.GapPolicy.RESET, 2, "x", 4);
            other.processElement2(new StreamRecord<>(raw(ModelUpdateCodec.encode(new ModelUpdate(
                    otherModel.modelFingerprint(), 9, 1, 0, 1, u.deltaW(), u.deltaV())))));
            assertEquals(2, replica.rejected());
            assertEquals(1, replica.applied());
        }
    }

    @Test
    void theRejectionCountSurvivesARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(1, 2)) {
            h.open();
            for (int i = 0; i < 3; i++) {
                h.processElement2(new StreamRecord<>(raw(("garbage " + i).getBytes(StandardCharsets.UTF_8))));
            }
            assertEquals(3, ((SharedTrainingOperator) h.getOperator()).replica().rejected());
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(1, 2)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement2(new StreamRecord<>(raw("more garbage".getBytes(StandardCharsets.UTF_8))));
            assertEquals(4, ((SharedTrainingOperator) h.getOperator()).replica().rejected(),
                    "this instance's count carries on");
        }
        try (var h = harness(0, 2)) {
            h.initializeState(snapshot);
            h.open();
            assertEquals(0, ((SharedTrainingOperator) h.getOperator()).replica().rejected(), "another instance's is not");
        }
    }

    @Test
    void aSnapshotRestoresStreamsAndTheReplica() throws Exception {
        OperatorSubtaskState snapshot;
        double[] w;
        List<Prediction> reference;
        try (var h = harness(0, 1)) {
            h.open();
            h.processElement1(new StreamRecord<>(record("a", 0, "abcab"), 1));
            snapshot = h.snapshot(1, 1);
            w = ((SharedTrainingOperator) h.getOperator()).replica().learner().shared().model().w.clone();
            h.processElement1(new StreamRecord<>(record("a", 1, "cab"), 2));
            reference = predictions(h.getOutput()).subList(5, 8);
        }
        try (var restored = harness(0, 1)) {
            restored.initializeState(snapshot);
            restored.open();
            Replica replica = ((SharedTrainingOperator) restored.getOperator()).replica();
            assertArrayEquals(w, replica.learner().shared().model().w, 0.0);
            assertEquals(1, Replica.epochOf(replica.origin()), "a restore starts a new epoch");
            restored.processElement1(new StreamRecord<>(record("a", 1, "cab"), 2));
            List<Prediction> again = predictions(restored.getOutput());
            assertEquals(3, again.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(reference.get(i).surpriseBits, again.get(i).surpriseBits, 0.0, "step " + i);
            }
            restored.processElement1(new StreamRecord<>(record("a", 1, "cab"), 3));
            assertEquals(3, predictions(restored.getOutput()).size(), "the restored key knows seq 1 was seen");
        }
    }

    @Test
    void anIdleKeysStateExpiresAndTheKeyStartsAfresh() throws Exception {
        TrainingConfig withTtl = new TrainingConfig(SPEC, 4, VOCAB, TrainingConfig.GapPolicy.RESET, 2, "test-model", 4,
                RecordRules.DEFAULT_MAX_SEQ_JUMP, TrainingConfig.DEFAULT_DEAD_LETTER_MAX_BYTES,
                java.time.Duration.ofMinutes(10));
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<String, StepBatch, RawRecord, Prediction>(
                new SharedTrainingOperator(withTtl), b -> b.key, r -> "a", Types.STRING)) {
            h.setStateTtlProcessingTime(0);
            h.open();
            h.processElement1(new StreamRecord<>(record("a", 5, "abc")));
            h.setStateTtlProcessingTime(java.time.Duration.ofMinutes(5).toMillis());
            h.processElement1(new StreamRecord<>(record("a", 5, "abc")));
            assertEquals(3, predictions(h.getOutput()).size(), "within the TTL the key remembers seq 5");
            h.setStateTtlProcessingTime(java.time.Duration.ofMinutes(16).toMillis());
            h.processElement1(new StreamRecord<>(record("a", 0, "ab")));
            List<Prediction> out = predictions(h.getOutput());
            assertEquals(5, out.size(), "after 11 idle minutes the key starts afresh, seq 0 included");
            assertTrue(Double.isNaN(out.get(3).surpriseBits), "with a new stream state");
            assertTrue(out.get(4).modelSteps >= out.get(2).modelSteps, "the shared model is kept");
        }
    }
}
