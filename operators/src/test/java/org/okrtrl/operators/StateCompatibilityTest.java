package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.okrtrl.core.Algorithm;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.OptimizerType;
import org.okrtrl.operators.replication.MergeRule;
import org.okrtrl.operators.replication.Replica;

/**
 * Every setting the training operators see, changed between a snapshot and its restore, in both
 * model modes: what the restore keeps (the model, the optimiser's state, each stream's state) or
 * the setting its refusal names. docs/OPERATIONS.md has the same table for users.
 */
class StateCompatibilityTest {
    static final Vocabulary VOCAB = Vocabulary.parse("chars:abc");
    static final LearnerSpec SPEC =
            new LearnerSpec("ok:2", "rnn", 3, 6, 3, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 0.0);
    static final TrainingConfig BASE = config(SPEC, 4, VOCAB, "m", 4, MergeRule.AUTO, 256, null, true);

    /** What a restore with the changed setting does. */
    enum Outcome {
        /** Model, optimiser state and every stream kept. */
        KEEPS_ALL,
        /** Model and optimiser state kept; every stream starts afresh (counters kept). */
        RESTARTS_STREAMS,
        /** Model and streams kept; the optimiser's state starts afresh. */
        RESETS_OPTIMIZER,
        /** The restore fails once, naming the setting. */
        REFUSED
    }

    static TrainingConfig config(LearnerSpec spec, long seed, Vocabulary vocab, String modelId, int batch,
            MergeRule merge, long sync, Duration ttl, boolean learn) {
        return new TrainingConfig(spec, seed, vocab, TrainingConfig.GapPolicy.RESET, 2, modelId, batch,
                RecordRules.DEFAULT_MAX_SEQ_JUMP, TrainingConfig.DEFAULT_DEAD_LETTER_MAX_BYTES, ttl, merge, sync,
                RealValued.DEFAULT, null, learn);
    }

    private static LearnerSpec spec(String algo, String cell, int hidden, int vocab, String optimizer, double lr,
            double clip, int updateEvery, double carryBias, double initScale) {
        return new LearnerSpec(Algorithm.parse(algo), org.okrtrl.core.cell.CellType.parse(cell), vocab, hidden, vocab,
                Readout.Link.SOFTMAX, OptimizerType.parse(optimizer), lr, clip, updateEvery, carryBias, initScale);
    }

    private static UnaryOperator<TrainingConfig> specChange(LearnerSpec changed) {
        return c -> config(changed, c.seed(), c.vocabulary(), c.modelId(), c.batchEvents(), c.merge(),
                c.modelSyncEvery(), c.idleKeyTtl(), c.learn());
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                row("--algo ok:2 -> ok:1", specChange(spec("ok:1", "rnn", 6, 3, "adam", 0.01, 1, 1, 0, 0.01)),
                        Outcome.RESTARTS_STREAMS, null),
                row("--algo ok:2 -> tbptt:3", specChange(spec("tbptt:3", "rnn", 6, 3, "adam", 0.01, 1, 1, 0, 0.01)),
                        Outcome.RESTARTS_STREAMS, null),
                row("--algo ok:2 -> rtrl", specChange(spec("rtrl", "rnn", 6, 3, "adam", 0.01, 1, 1, 0, 0.01)),
                        Outcome.RESTARTS_STREAMS, null),
                row("--optimizer adam -> sgd", specChange(spec("ok:2", "rnn", 6, 3, "sgd", 0.01, 1, 1, 0, 0.01)),
                        Outcome.RESETS_OPTIMIZER, null),
                row("--learning-rate", specChange(spec("ok:2", "rnn", 6, 3, "adam", 0.003, 1, 1, 0, 0.01)),
                        Outcome.KEEPS_ALL, null),
                row("--clip", specChange(spec("ok:2", "rnn", 6, 3, "adam", 0.01, 5, 1, 0, 0.01)), Outcome.KEEPS_ALL,
                        null),
                row("--adam-beta2", specChange(spec("ok:2", "rnn", 6, 3, "adam", 0.01, 1, 1, 0, 0.01).withAdamBeta2(0.95)),
                        Outcome.KEEPS_ALL, null),
                row("--update-every", specChange(spec("ok:2", "rnn", 6, 3, "adam", 0.01, 1, 2, 0, 0.01)),
                        Outcome.KEEPS_ALL, null),
                row("--carry-bias", specChange(spec("ok:2", "rnn", 6, 3, "adam", 0.01, 1, 1, 1, 0.01)),
                        Outcome.KEEPS_ALL, null),
                row("--init-scale", specChange(spec("ok:2", "rnn", 6, 3, "adam", 0.01, 1, 1, 0, 0)),
                        Outcome.KEEPS_ALL, null),
                row("--precision double -> float", specChange(spec("ok:2", "rnn", 6, 3, "adam", 0.01, 1, 1, 0, 0.01)
                        .withPrecision(org.okrtrl.core.influence.Precision.FLOAT)), Outcome.KEEPS_ALL, null),
                row("--batch-events", c -> config(SPEC, 4, VOCAB, "m", 16, MergeRule.AUTO, 256, null, true),
                        Outcome.KEEPS_ALL, null),
                row("--merge", c -> config(SPEC, 4, VOCAB, "m", 4, MergeRule.SUM, 256, null, true),
                        Outcome.KEEPS_ALL, null),
                row("--model-sync-every", c -> config(SPEC, 4, VOCAB, "m", 4, MergeRule.AUTO, 0, null, true),
                        Outcome.KEEPS_ALL, null),
                row("--learn false", c -> c.withLearning(false), Outcome.KEEPS_ALL, null),
                row("--initial-model (the savepoint wins)", c -> c.withInitialParameters(zeros()), Outcome.KEEPS_ALL,
                        null),
                row("--gap-policy", c -> new TrainingConfig(SPEC, 4, VOCAB, TrainingConfig.GapPolicy.CONTINUE, 2, "m",
                        4, RecordRules.DEFAULT_MAX_SEQ_JUMP, TrainingConfig.DEFAULT_DEAD_LETTER_MAX_BYTES, null,
                        MergeRule.AUTO, 256, RealValued.DEFAULT, null, true), Outcome.KEEPS_ALL, null),
                row("--top-k, --max-seq-jump, --dead-letter-max-bytes", c -> new TrainingConfig(SPEC, 4, VOCAB,
                        TrainingConfig.GapPolicy.RESET, 3, "m", 4, 50, 100, null, MergeRule.AUTO, 256,
                        RealValued.DEFAULT, null, true), Outcome.KEEPS_ALL, null),
                row("--idle-key-ttl (set where it was not)", c -> config(SPEC, 4, VOCAB, "m", 4, MergeRule.AUTO, 256,
                        Duration.ofDays(1), true), Outcome.KEEPS_ALL, null),
                row("--hidden", specChange(spec("ok:2", "rnn", 7, 3, "adam", 0.01, 1, 1, 0, 0.01)), Outcome.REFUSED,
                        "--hidden: stored 6, configured 7"),
                row("--cell", specChange(spec("ok:2", "rhn", 6, 3, "adam", 0.01, 1, 1, 0, 0.01)), Outcome.REFUSED,
                        "--cell: stored rnn, configured rhn"),
                row("--vocab (its size)", c -> config(spec("ok:2", "rnn", 6, 4, "adam", 0.01, 1, 1, 0, 0.01), 4,
                        Vocabulary.parse("chars:abcd"), "m", 4, MergeRule.AUTO, 256, null, true), Outcome.REFUSED,
                        "stored 3, configured 4"),
                row("--seed", c -> config(SPEC, 5, VOCAB, "m", 4, MergeRule.AUTO, 256, null, true), Outcome.REFUSED,
                        "--seed: stored 4, configured 5"),
                row("--model-id", c -> config(SPEC, 4, VOCAB, "n", 4, MergeRule.AUTO, 256, null, true),
                        Outcome.REFUSED, "--model-id: stored m, configured n"));
    }

    /** Every change on the heap backend (state kept as objects) and on RocksDB (state migrated as bytes). */
    static Stream<Arguments> changesOnBothBackends() {
        return changes().flatMap(a -> Stream.of(false, true).map(rocksdb -> {
            Object[] row = a.get();
            return Arguments.of(rocksdb ? "rocksdb" : "heap", row[0], row[1], row[2], row[3]);
        }));
    }

    private static <H extends org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness<?>> H on(String backend,
            H harness) {
        if (backend.equals("rocksdb")) {
            harness.setStateBackend(new org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend());
        }
        return harness;
    }

    private static Arguments row(String setting, UnaryOperator<TrainingConfig> change, Outcome outcome, String named) {
        return Arguments.of(setting, change, outcome, named);
    }

    private static double[][] zeros() {
        LearnerSpec s = SPEC;
        var model = s.createShared(0, 1, false).shared().model();
        return new double[][] {new double[model.w.length], new double[model.v.length]};
    }

    // ---- one model shared by all keys ----

    static KeyedTwoInputStreamOperatorTestHarness<String, StepBatch, RawRecord, Prediction> shared(
            TrainingConfig config) throws Exception {
        return shared("heap", config);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, StepBatch, RawRecord, Prediction> shared(
            String backend, TrainingConfig config) throws Exception {
        return on(backend, new KeyedTwoInputStreamOperatorTestHarness<>(new SharedTrainingOperator(config), b -> b.key,
                r -> "a", Types.STRING, 128, 1, 0));
    }

    @ParameterizedTest(name = "shared model, {0}: {1} -> {3}")
    @MethodSource("changesOnBothBackends")
    void sharedModel(String backend, String setting, UnaryOperator<TrainingConfig> change, Outcome outcome, String named)
            throws Exception {
        OperatorSubtaskState snapshot;
        double[][] before;
        try (var h = shared(backend, BASE)) {
            h.open();
            h.processElement1(new StreamRecord<>(batch("a", 0, "abcabcabcab")));
            snapshot = h.snapshot(1, 1);
            before = copy(((SharedTrainingOperator) h.getOperator()).replica().learner().shared().stateArrays());
        }
        TrainingConfig changed = change.apply(BASE);
        try (var h = shared(backend, changed)) {
            if (outcome == Outcome.REFUSED) {
                StateMismatchException e = assertThrows(StateMismatchException.class, () -> {
                    h.initializeState(snapshot);
                    h.open();
                });
                assertTrue(e.getMessage().contains(named), setting + ": " + e.getMessage());
                return;
            }
            h.initializeState(snapshot);
            h.open();
            Replica replica = ((SharedTrainingOperator) h.getOperator()).replica();
            double[][] after = replica.learner().shared().stateArrays();
            assertArrayEquals(before[0], after[0], 0.0, setting + ": W kept");
            assertArrayEquals(before[1], after[1], 0.0, setting + ": V kept");
            assertEquals(outcome != Outcome.RESETS_OPTIMIZER, replica.optimizerRestored(), setting);
            if (outcome != Outcome.RESETS_OPTIMIZER) {
                for (int i = 2; i < before.length; i++) {
                    assertArrayEquals(before[i], after[i], 0.0, setting + ": array " + i + " kept");
                }
            }
            h.processElement1(new StreamRecord<>(batch("a", 0, "abc")));
            h.processElement1(new StreamRecord<>(batch("a", 1, "abc")));
            List<Prediction> out = predictions(h.extractOutputValues());
            assertEquals(3, out.size(), setting + ": the key's counters are kept (seq 0 is a duplicate)");
            assertStream(setting, outcome, out.get(0));
            assertTrue(out.stream().allMatch(p -> p.surpriseBits >= 0 || Double.isNaN(p.surpriseBits)));
        }
    }

    // ---- one model per key ----

    static KeyedOneInputStreamOperatorTestHarness<String, StepBatch, Prediction> perKey(TrainingConfig config)
            throws Exception {
        return perKey("heap", config);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, StepBatch, Prediction> perKey(String backend,
            TrainingConfig config) throws Exception {
        return on(backend, new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new OnlineTrainingFunction(config)), b -> b.key, Types.STRING, 128, 1, 0));
    }

    @ParameterizedTest(name = "per-key models, {0}: {1} -> {3}")
    @MethodSource("changesOnBothBackends")
    void perKeyModels(String backend, String setting, UnaryOperator<TrainingConfig> change, Outcome outcome, String named)
            throws Exception {
        TrainingConfig changed = change.apply(BASE);
        if (!changed.modelFingerprint().split("\\|")[0].equals("m") || changed.seed() != BASE.seed()) {
            // Model id and seed name the shared model; a per-key state keeps its keys' models.
            outcome = Outcome.KEEPS_ALL;
        }
        Saved saved = savedPerKey(backend);
        OperatorSubtaskState snapshot = saved.snapshot();
        double[][] before = saved.arrays();
        try (var h = perKey(backend, changed)) {
            if (outcome == Outcome.REFUSED) {
                String expected = named;
                StateMismatchException e = assertThrows(StateMismatchException.class, () -> {
                    h.initializeState(snapshot);
                    h.open();
                    h.processElement(new StreamRecord<>(batch("a", 1, "abc")));
                });
                assertTrue(e.getMessage().contains(expected), setting + ": " + e.getMessage());
                return;
            }
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(batch("a", 0, "abc")));
            h.processElement(new StreamRecord<>(batch("a", 1, "abca")));
            double[][] after = keyState(h, "a").learner.stateArrays();
            List<Prediction> out = predictions(h.extractOutputValues());
            assertEquals(4, out.size(), setting + ": the key's counters are kept (seq 0 is a duplicate)");
            assertStream(setting, outcome, out.get(0));
            if (changed.learn()) {
                assertFalse(java.util.Arrays.equals(before[0], after[0]), setting + ": the model went on learning");
            }
            KeyState restored = keyState(h, "a");
            assertEquals(changed.spec().algorithm(), restored.spec.algorithm(), setting + ": runs the job's rule");
            assertEquals(changed.spec().learningRate(), restored.spec.learningRate(), 0.0, setting);
        }
    }

    @ParameterizedTest(name = "per-key models, {0}, before any step: {1}")
    @MethodSource("changesOnBothBackends")
    void perKeyModelIsKeptExactly(String backend, String setting, UnaryOperator<TrainingConfig> change, Outcome outcome, String named)
            throws Exception {
        TrainingConfig changed = change.apply(BASE);
        if (outcome == Outcome.REFUSED) {
            return;
        }
        Saved saved = savedPerKey(backend);
        OperatorSubtaskState snapshot = saved.snapshot();
        double[][] before = saved.arrays();
        try (var h = perKey(backend, changed)) {
            h.initializeState(snapshot);
            h.open();
            // A duplicate record reaches the key without a step: the adopted state as restored.
            h.processElement(new StreamRecord<>(batch("a", 0, "a")));
            double[][] after = keyState(h, "a").learner.stateArrays();
            assertArrayEquals(before[0], after[0], 0.0, setting + ": W kept");
            assertArrayEquals(before[1], after[1], 0.0, setting + ": V kept");
            boolean sameOptimizer = changed.spec().optimizer() == SPEC.optimizer();
            if (sameOptimizer) {
                for (int i = 2; i < 7; i++) {
                    assertArrayEquals(before[i], after[i], 0.0, setting + ": optimiser array " + i + " kept");
                }
            }
        }
    }

    /** A snapshot and the arrays it holds (the shared model's, or key a's learner's). */
    private record Saved(OperatorSubtaskState snapshot, double[][] arrays) {}

    private static Saved savedPerKey(String backend) throws Exception {
        try (var h = perKey(backend, BASE)) {
            h.open();
            h.processElement(new StreamRecord<>(batch("a", 0, "abcabcabcab")));
            return new Saved(h.snapshot(1, 1), copy(keyState(h, "a").learner.stateArrays()));
        }
    }

    private static void assertStream(String setting, Outcome outcome, Prediction first) {
        if (outcome == Outcome.RESTARTS_STREAMS) {
            assertTrue(Double.isNaN(first.surpriseBits), setting + ": the stream starts afresh, its first step unscored");
        } else {
            assertFalse(Double.isNaN(first.surpriseBits), setting + ": the stream continues, its prediction kept");
        }
    }

    private static KeyState keyState(KeyedOneInputStreamOperatorTestHarness<String, StepBatch, Prediction> h,
            String key) throws Exception {
        AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) h.getOperator();
        op.setCurrentKey(key);
        return op.getKeyedStateStore().getState(OnlineTrainingFunction.stateDescriptor()).value();
    }

    private static double[][] copy(double[][] arrays) {
        double[][] out = new double[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = arrays[i].clone();
        }
        return out;
    }

    static List<Prediction> predictions(List<?> output) {
        List<Prediction> out = new ArrayList<>();
        for (Object o : output) {
            if (o instanceof Prediction p) {
                out.add(p);
            }
        }
        return out;
    }

    static StepBatch batch(String key, long seq, String text) {
        StepBatch b = new StepBatch();
        b.key = key;
        b.seq = seq;
        b.symbols = text.chars().map(c -> VOCAB.lookup(String.valueOf((char) c))).toArray();
        return b;
    }
}
