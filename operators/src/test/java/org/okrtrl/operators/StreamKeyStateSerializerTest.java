package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SharedLearner;

/** The shared-model key state: only the stream, compact, exact, and readable from committed bytes. */
class StreamKeyStateSerializerTest {
    static final LearnerSpec SPEC = new LearnerSpec("ok:2", "rhn", 5, 4, 5, Readout.Link.SOFTMAX, "adam", 0.01, 1.0,
            1, 1.0);

    static void fillCounters(StreamCounters c) {
        c.lastSeq = 17;
        c.records = 18;
        c.steps = 40;
        c.duplicates = 2;
        c.gaps = 1;
        c.unknownSymbols = 3;
        c.score(2.5);
    }

    @ParameterizedTest(name = "{0} {1} n={2}")
    @CsvSource({"ok:8, rhn, 64, 96", "ok:4, rnn, 32, 50", "kf, rhn, 32, 20", "uoro, rnn, 16, 20", "tbptt:5, rnn, 16, 20"})
    void stateIsTheStreamOnlyAndRoundTripsExactly(String algo, String cell, int n, int vocab) throws IOException {
        LearnerSpec spec = new LearnerSpec(algo, cell, vocab, n, vocab, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0);
        SharedLearner learner = spec.createShared(1, 4, false);
        StreamKeyState state = new StreamKeyState(5, learner.newStream(5));
        for (int s : new SplittableRandom(2).ints(30, 0, vocab).toArray()) {
            learner.observeSymbol(state.stream, s);
        }
        fillCounters(state);
        StreamKeyStateSerializer serializer = new StreamKeyStateSerializer(spec);
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        serializer.serialize(state, out);
        long raw = state.stream.arrayBytes();
        double ratio = (double) out.length() / raw;
        assertTrue(ratio >= 1.0 && ratio <= 1.10, algo + ": " + out.length() + " bytes for " + raw + " raw");
        long modelBytes = 8L * (learner.shared().model().w.length + learner.shared().model().v.length);
        if (algo.startsWith("ok:")) {
            int r = Integer.parseInt(algo.substring(3));
            int g = cell.equals("rhn") ? 2 : 1;
            long factors = 8L * r * ((vocab + n + 1) + (long) g * n * n);
            assertTrue(out.length() < factors * 1.05, "essentially the factors: " + out.length() + " vs " + factors);
        }
        assertTrue(out.length() < modelBytes * 3, "the model is not in the key's state");
        StreamKeyState back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertSame(state, back);
        assertSame(state, serializer.copy(state));
    }

    /** The run both committed fixtures hold: 40 symbols of stream 5 of a shared ok:2 rhn n=4 model. */
    private static StreamKeyState fixtureRun() {
        SharedLearner learner = SPEC.createShared(9, 4, false);
        StreamKeyState replay = new StreamKeyState(77, learner.newStream(5));
        for (int s : new SplittableRandom(3).ints(40, 0, 5).toArray()) {
            learner.observeSymbol(replay.stream, s);
        }
        fillCounters(replay);
        return replay;
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = StreamKeyStateSerializerTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    private static final String CURRENT_FIXTURE =
            "stream-key-state-layout-" + StreamKeyStateSerializer.CURRENT_VERSION + ".bin";

    /**
     * Run once with -Dokrtrl.writeStateFixtures=true when a layout is added: writes the current
     * layout's bytes of {@link #fixtureRun()}. Otherwise: those recorded bytes, read and written
     * again, are the same bytes (the layout has not changed under its version). The recorded
     * numbers, not a recomputation, are the reference for older layouts, so a deliberate change of
     * the learners' arithmetic does not touch these tests.
     */
    @Test
    void currentLayoutBytesAreTheRecordedOnes() throws IOException {
        StreamKeyStateSerializer serializer = new StreamKeyStateSerializer(SPEC);
        if (Boolean.getBoolean("okrtrl.writeStateFixtures")) {
            DataOutputSerializer fresh = new DataOutputSerializer(1 << 12);
            serializer.serialize(fixtureRun(), fresh);
            java.nio.file.Files.write(java.nio.file.Path.of("src/test/resources/fixtures/" + CURRENT_FIXTURE),
                    fresh.getCopyOfBuffer());
        }
        StreamKeyState recorded = serializer.deserialize(new DataInputDeserializer(fixture(CURRENT_FIXTURE)));
        DataOutputSerializer out = new DataOutputSerializer(1 << 12);
        serializer.serialize(recorded, out);
        assertArrayEquals(fixture(CURRENT_FIXTURE), out.getCopyOfBuffer());
        assertEquals(77, recorded.keySeed);
        assertEquals(fixtureRun().stream.stateArrays().length, recorded.stream.stateArrays().length);
    }

    @Test
    void committedLayoutOneBytesAreReadExactly() throws IOException {
        byte[] bytes = fixture("stream-key-state-layout-1.bin");
        // What Flink does with a layout-1 checkpoint: the snapshot's serializer reads it, then migrates.
        StreamKeyStateSerializerSnapshot layoutOne = new StreamKeyStateSerializerSnapshot(SPEC, 1);
        assertTrue(new StreamKeyStateSerializer(SPEC).snapshotConfiguration().resolveSchemaCompatibility(layoutOne)
                .isCompatibleAfterMigration());
        StreamKeyState read = (StreamKeyState) layoutOne.restoreSerializer()
                .deserialize(new DataInputDeserializer(bytes));
        assertEquals(77, read.keySeed);
        assertEquals(17, read.lastSeq);
        assertEquals(3, read.unknownSymbols);
        assertEquals(2.5, read.runningBits, 0.0);
        // The same run in the current layout's recorded bytes: equal up to rounding in the last bits
        // of the kernels that wrote each (a misread layout would differ in every digit).
        StreamKeyState recorded = new StreamKeyStateSerializer(SPEC)
                .deserialize(new DataInputDeserializer(fixture(CURRENT_FIXTURE)));
        assertSame(recorded, read, 1e-9);
    }

    @Test
    void aChangedShapeIsIncompatibleAndAChangedLearningRateIsNot() throws IOException {
        TypeSerializerSnapshot<StreamKeyState> old = roundTrip(new StreamKeyStateSerializer(SPEC).snapshotConfiguration());
        LearnerSpec slower = new LearnerSpec("ok:2", "rhn", 5, 4, 5, Readout.Link.SOFTMAX, "adam", 0.001, 1.0, 1, 1.0);
        LearnerSpec wider = new LearnerSpec("ok:2", "rhn", 5, 8, 5, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0);
        TypeSerializerSchemaCompatibility<StreamKeyState> same =
                new StreamKeyStateSerializer(slower).snapshotConfiguration().resolveSchemaCompatibility(old);
        TypeSerializerSchemaCompatibility<StreamKeyState> other =
                new StreamKeyStateSerializer(wider).snapshotConfiguration().resolveSchemaCompatibility(old);
        assertTrue(same.isCompatibleAsIs());
        assertTrue(other.isIncompatible());
        assertThrows(IOException.class, () -> new StreamKeyStateSerializer(wider)
                .deserialize(new DataInputDeserializer(serialized(SPEC))));
    }

    @Test
    void aStreamOfAnotherRuleIsDroppedOnMigrationAndTheCountersStay() throws IOException {
        SharedLearner learner = SPEC.createShared(1, 4, false);
        StreamKeyState state = new StreamKeyState(5, learner.newStream(5));
        for (int s : new SplittableRandom(2).ints(30, 0, 5).toArray()) {
            learner.observeSymbol(state.stream, s);
        }
        fillCounters(state);
        DataOutputSerializer out = new DataOutputSerializer(1 << 12);
        new StreamKeyStateSerializer(SPEC).serialize(state, out);
        LearnerSpec windowed = new LearnerSpec("tbptt:3", "rhn", 5, 4, 5, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0);
        TypeSerializerSnapshot<StreamKeyState> old = roundTrip(new StreamKeyStateSerializer(SPEC).snapshotConfiguration());
        StreamKeyStateSerializer now = new StreamKeyStateSerializer(windowed);
        assertTrue(now.snapshotConfiguration().resolveSchemaCompatibility(old).isCompatibleAfterMigration());
        // Flink's migration: read with the old serializer, write with the new one.
        StreamKeyState read = old.restoreSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertTrue(read.stream != null && !read.hasStreamFor(windowed.algorithm()), "read as ok:2's stream");
        DataOutputSerializer migrated = new DataOutputSerializer(1 << 12);
        now.serialize(read, migrated);
        StreamKeyState back = now.deserialize(new DataInputDeserializer(migrated.getCopyOfBuffer()));
        assertEquals(null, back.stream, "the old rule's stream is dropped");
        assertEquals(state.lastSeq, back.lastSeq);
        assertEquals(state.runningBits, back.runningBits, 0.0);
        assertEquals(null, now.copy(read).stream, "a copy drops it too");
        assertTrue(migrated.length() < 200, "nothing of the stream is written: " + migrated.length());
    }

    @Test
    void layoutTwoIsLayoutThreeWithoutThePresenceFlag() throws IOException {
        SharedLearner learner = SPEC.createShared(1, 4, false);
        StreamKeyState state = new StreamKeyState(5, learner.newStream(5));
        learner.observeSymbol(state.stream, 1);
        learner.observeSymbol(state.stream, 2);
        fillCounters(state);
        DataOutputSerializer out = new DataOutputSerializer(1 << 12);
        new StreamKeyStateSerializer(SPEC).write(state, out, 3);
        byte[] three = out.getCopyOfBuffer();
        // Layout 3 writes a 1-byte flag after the counters and statistics: 8 (seed) + 6 * 8 + 8 + 8 + 8 + 1.
        int flagAt = 8 + 6 * 8 + 8 + 8 + 8 + 1;
        assertEquals(1, three[flagAt], "the presence flag");
        byte[] two = new byte[three.length - 1];
        System.arraycopy(three, 0, two, 0, flagAt);
        System.arraycopy(three, flagAt + 1, two, flagAt, three.length - flagAt - 1);
        assertSame(state, new StreamKeyStateSerializer(SPEC, 2).deserialize(new DataInputDeserializer(two)));
    }

    private static byte[] serialized(LearnerSpec spec) throws IOException {
        SharedLearner learner = spec.createShared(1, 1, false);
        DataOutputSerializer out = new DataOutputSerializer(1 << 12);
        new StreamKeyStateSerializer(spec).serialize(new StreamKeyState(1, learner.newStream(1)), out);
        return out.getCopyOfBuffer();
    }

    static TypeSerializerSnapshot<StreamKeyState> roundTrip(TypeSerializerSnapshot<StreamKeyState> s)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                StreamKeyStateSerializerTest.class.getClassLoader());
    }

    private static void assertSame(StreamKeyState a, StreamKeyState b) {
        assertSame(a, b, 0.0);
    }

    private static void assertSame(StreamKeyState a, StreamKeyState b, double tolerance) {
        assertEquals(a.keySeed, b.keySeed);
        assertEquals(a.lastSeq, b.lastSeq);
        assertEquals(a.records, b.records);
        assertEquals(a.steps, b.steps);
        assertEquals(a.duplicates, b.duplicates);
        assertEquals(a.gaps, b.gaps);
        assertEquals(a.unknownSymbols, b.unknownSymbols);
        assertEquals(a.runningBits, b.runningBits, 0.0);
        assertEquals(a.scoredSteps, b.scoredSteps);
        assertArrayEquals(a.stream.scalarState(), b.stream.scalarState());
        double[][] x = a.stream.stateArrays();
        double[][] y = b.stream.stateArrays();
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(x[i], y[i], tolerance);
        }
        float[][] f = a.stream.floatStateArrays();
        float[][] g = b.stream.floatStateArrays();
        assertEquals(f.length, g.length);
        for (int i = 0; i < f.length; i++) {
            assertArrayEquals(f[i], g[i], (float) tolerance);
        }
    }
}
