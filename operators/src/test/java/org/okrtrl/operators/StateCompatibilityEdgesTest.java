package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.okrtrl.operators.StateCompatibilityTest.BASE;
import static org.okrtrl.operators.StateCompatibilityTest.SPEC;
import static org.okrtrl.operators.StateCompatibilityTest.VOCAB;
import static org.okrtrl.operators.StateCompatibilityTest.config;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.operators.replication.MergeRule;

/**
 * The rest of the restore table ({@link StateCompatibilityTest} has the learning settings):
 * state expiry switched off, real-valued streams' settings, and a savepoint of the other model
 * mode.
 */
class StateCompatibilityEdgesTest {
    @org.junit.jupiter.api.Test
    void droppingTheIdleKeyTtlKeepsEverything() throws Exception {
        TrainingConfig withTtl = config(SPEC, 4, VOCAB, "m", 4, MergeRule.AUTO, 256, Duration.ofDays(1), true);
        OperatorSubtaskState[] snapshots = snapshotsOfBothModes(withTtl);
        OperatorSubtaskState sharedSnapshot = snapshots[0];
        OperatorSubtaskState perKeySnapshot = snapshots[1];
        try (var h = StateCompatibilityTest.shared(BASE); var k = StateCompatibilityTest.perKey(BASE)) {
            h.initializeState(sharedSnapshot);
            k.initializeState(perKeySnapshot);
            h.open();
            k.open();
            h.processElement1(new StreamRecord<>(StateCompatibilityTest.batch("a", 1, "ab")));
            k.processElement(new StreamRecord<>(StateCompatibilityTest.batch("a", 1, "ab")));
            assertFalse(Double.isNaN(StateCompatibilityTest.predictions(h.extractOutputValues()).get(0).surpriseBits), "shared: stream kept");
            assertFalse(Double.isNaN(StateCompatibilityTest.predictions(k.extractOutputValues()).get(0).surpriseBits), "per key: stream kept");
        }
    }

    private static final LearnerSpec REAL_SPEC =
            new LearnerSpec("ok:2", "rnn", 2, 5, 1, Readout.Link.LINEAR, "adam", 0.01, 1.0, 1, 0.0);

    private static TrainingConfig realConfig(LearnerSpec spec, RealValued real) {
        return new TrainingConfig(spec, 4, null, TrainingConfig.GapPolicy.RESET, 0, "m", 4,
                RecordRules.DEFAULT_MAX_SEQ_JUMP, TrainingConfig.DEFAULT_DEAD_LETTER_MAX_BYTES, null, MergeRule.AUTO,
                256, real, null, true);
    }

    static Stream<Arguments> realChanges() {
        RealValued forecast = new RealValued(RealValued.Task.FORECAST, true, List.of(),
                RealValued.ForecastTarget.CHANGE);
        return Stream.of(
                Arguments.of("--standardize false", realConfig(REAL_SPEC, new RealValued(RealValued.Task.REGRESS,
                        false, List.of(), RealValued.ForecastTarget.LEVEL)), null),
                Arguments.of("--target-names", realConfig(REAL_SPEC, new RealValued(RealValued.Task.REGRESS, true,
                        List.of("load"), RealValued.ForecastTarget.LEVEL)), null),
                Arguments.of("--real-task forecast, --forecast-target change", realConfig(REAL_SPEC, forecast), null),
                Arguments.of("--real-inputs", realConfig(new LearnerSpec("ok:2", "rnn", 3, 5, 1, Readout.Link.LINEAR,
                        "adam", 0.01, 1.0, 1, 0.0), RealValued.DEFAULT), "inputs (the vocabulary size or --real-inputs): stored 2, configured 3"),
                Arguments.of("--real-outputs", realConfig(new LearnerSpec("ok:2", "rnn", 2, 5, 2, Readout.Link.LINEAR,
                        "adam", 0.01, 1.0, 1, 0.0), RealValued.DEFAULT), "outputs (the vocabulary size or --real-outputs): stored 1, configured 2"),
                Arguments.of("symbol streams -> real-valued", BASE, "the readout (symbols or real values)"));
    }

    /** Real-valued streams: how a step is read may change (the stored model then means what it meant); shapes may not. */
    @ParameterizedTest(name = "real-valued, shared model: {0}")
    @MethodSource("realChanges")
    void realValuedSharedModel(String setting, TrainingConfig changed, String refusal) throws Exception {
        TrainingConfig base = realConfig(REAL_SPEC, RealValued.DEFAULT);
        OperatorSubtaskState snapshot;
        double[] w;
        try (var h = StateCompatibilityTest.shared(base)) {
            h.open();
            for (int i = 0; i < 6; i++) {
                h.processElement1(new StreamRecord<>(real("a", i, 0.1 * i)));
            }
            snapshot = h.snapshot(1, 1);
            w = ((SharedTrainingOperator) h.getOperator()).replica().learner().shared().model().w.clone();
        }
        try (var h = StateCompatibilityTest.shared(changed)) {
            if (refusal != null) {
                StateMismatchException e = assertThrows(StateMismatchException.class, () -> h.initializeState(snapshot));
                assertTrue(e.getMessage().contains(refusal), setting + ": " + e.getMessage());
                return;
            }
            h.initializeState(snapshot);
            h.open();
            assertArrayEquals(w, ((SharedTrainingOperator) h.getOperator()).replica().learner().shared().model().w,
                    0.0, setting + ": W kept");
            h.processElement1(new StreamRecord<>(real("a", 5, 0.5)));
            h.processElement1(new StreamRecord<>(real("a", 6, 0.6)));
            assertEquals(1, StateCompatibilityTest.predictions(h.extractOutputValues()).size(), setting + ": counters kept");
        }
    }

    private static StepBatch real(String key, long seq, double value) {
        StepBatch b = new StepBatch();
        b.key = key;
        b.seq = seq;
        b.x = new double[] {value, -value};
        b.y = new double[] {2 * value};
        return b;
    }

    /** A savepoint of one model mode restored into the other is refused, not silently dropped. */
    @org.junit.jupiter.api.Test
    void switchingTheModelModeIsRefused() throws Exception {
        OperatorSubtaskState[] snapshots = snapshotsOfBothModes(BASE);
        OperatorSubtaskState sharedSnapshot = snapshots[0];
        OperatorSubtaskState perKeySnapshot = snapshots[1];
        try (var k = StateCompatibilityTest.perKey(BASE)) {
            StateMismatchException e = assertThrows(StateMismatchException.class, () -> k.initializeState(sharedSnapshot));
            assertTrue(e.getMessage().contains("--model shared"), e.getMessage());
        }
        try (var h = StateCompatibilityTest.shared(BASE)) {
            StateMismatchException e = assertThrows(StateMismatchException.class, () -> h.initializeState(perKeySnapshot));
            assertTrue(e.getMessage().contains("--model per-key"), e.getMessage());
        }
    }


    /** {shared model, per-key models} after key a's first record under config. */
    private static OperatorSubtaskState[] snapshotsOfBothModes(TrainingConfig config) throws Exception {
        try (var h = StateCompatibilityTest.shared(config); var k = StateCompatibilityTest.perKey(config)) {
            h.open();
            k.open();
            h.processElement1(new StreamRecord<>(StateCompatibilityTest.batch("a", 0, "abcab")));
            k.processElement(new StreamRecord<>(StateCompatibilityTest.batch("a", 0, "abcab")));
            return new OperatorSubtaskState[] {h.snapshot(1, 1), k.snapshot(1, 1)};
        }
    }

    /** Model updates authenticated from a restore on: the model and streams carry on, unsigned updates are refused. */
    @org.junit.jupiter.api.Test
    void aKeyFileGivenOnRestoreKeepsEverything(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path keys = java.nio.file.Files.writeString(dir.resolve("keys"), "a-key-of-at-least-16-bytes\n");
        OperatorSubtaskState shared = snapshotsOfBothModes(BASE)[0];
        try (var h = StateCompatibilityTest.shared(BASE.withModelUpdateKeyFile(keys.toString()))) {
            h.initializeState(shared);
            h.open();
            h.processElement1(new StreamRecord<>(StateCompatibilityTest.batch("a", 1, "ab")));
            assertFalse(Double.isNaN(StateCompatibilityTest.predictions(h.extractOutputValues()).get(0).surpriseBits));
            var replica = ((SharedTrainingOperator) h.getOperator()).replica();
            var unsigned = org.okrtrl.operators.replication.ModelUpdateCodec.encode(new org.okrtrl.operators.replication
                    .ModelUpdate(BASE.modelFingerprint(), 99, 1, 0, 1,
                    new double[replica.learner().shared().model().w.length],
                    new double[replica.learner().shared().model().v.length]));
            h.processElement2(new StreamRecord<>(new RawRecord(null, unsigned, "model", 0, 1, 0)));
            assertEquals(1, replica.rejected(), "an unsigned update is rejected");
        }
    }
}
