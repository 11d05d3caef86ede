package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;

/** The keyed state's own serializer: compact, exact, and able to read its older layout. */
class KeyStateSerializerTest {

    @ParameterizedTest(name = "{0} {1} n={2}")
    @CsvSource({"ok:4, rhn, 32", "ok:8, rnn, 64", "kf, rhn, 32", "uoro, rnn, 32", "tbptt:5, rnn, 32"})
    void serialisedSizeIsWithinTenPercentOfTheRawArraysAndRoundTripsExactly(String algo, String cell, int n)
            throws IOException {
        KeyState state = trained(algo, cell, n);
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        KeyStateSerializer.INSTANCE.serialize(state, out);
        long raw = state.arrayBytes();
        double ratio = (double) out.length() / raw;
        assertTrue(ratio >= 1.0 && ratio <= 1.10, algo + ": " + out.length() + " bytes for " + raw + " raw, ratio " + ratio);

        KeyState back = KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertSameState(state, back);
        assertSameState(state, KeyStateSerializer.INSTANCE.copy(state));
        // Both continue identically.
        for (int t = 0; t < 20; t++) {
            assertEquals(state.learner.observeSymbol(t % 7), back.learner.observeSymbol(t % 7), 0.0);
        }
    }

    /** What the committed fixtures hold: 40 symbols of ok:2 rhn n=4 from seed 9, then set counters. */
    private static KeyState fixtureState() {
        LearnerSpec spec = new LearnerSpec("ok:2", "rhn", 5, 4, 5, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0);
        KeyState state = KeyState.fresh(spec, 9);
        for (int s : new SplittableRandom(3).ints(40, 0, 5).toArray()) {
            state.learner.observeSymbol(s);
        }
        state.lastSeq = 17;
        state.records = 18;
        state.steps = 40;
        state.duplicates = 2;
        state.gaps = 1;
        state.unknownSymbols = 3;
        state.score(2.5);
        return state;
    }

    /**
     * Run once with -Dokrtrl.writeStateFixtures=true when a layout is added: writes the current
     * layout's bytes of {@link #fixtureState()}. Otherwise: the recorded bytes of the current layout,
     * read and written again, are the same bytes (the layout has not changed under its version).
     */
    @Test
    void currentLayoutFixtureCanBeRecorded() throws IOException {
        String name = "key-state-layout-" + KeyStateSerializer.CURRENT_VERSION + ".bin";
        if (Boolean.getBoolean("okrtrl.writeStateFixtures")) {
            DataOutputSerializer fresh = new DataOutputSerializer(1 << 16);
            KeyStateSerializer.INSTANCE.serialize(fixtureState(), fresh);
            java.nio.file.Files.write(java.nio.file.Path.of("src/test/resources/fixtures/" + name),
                    fresh.getCopyOfBuffer());
        }
        KeyState recorded = KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(fixture(name)));
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        KeyStateSerializer.INSTANCE.serialize(recorded, out);
        assertArrayEquals(fixture(name), out.getCopyOfBuffer(), "the current layout's bytes are the recorded ones");
        // The recorded state is the fixture's run: same shape and counters as recomputing it today.
        KeyState today = fixtureState();
        assertEquals(today.steps, recorded.steps);
        assertEquals(today.unknownSymbols, recorded.unknownSymbols);
        assertEquals(today.learner.stateArrays().length, recorded.learner.stateArrays().length);
    }

    private static byte[] fixture(String name) throws IOException {
        try (java.io.InputStream in = KeyStateSerializerTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "layout {0}")
    @CsvSource({"1", "2", "3", "4"})
    void committedBytesOfEachLayoutAreReadAndMigrated(int layout) throws IOException {
        // What a checkpoint of that layout holds: its snapshot, written and read the way Flink does.
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshotBytes, new KeyStateSerializerSnapshot(layout));
        TypeSerializerSnapshot<KeyState> oldSnapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<KeyState> compatibility =
                KeyStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(oldSnapshot);
        assertTrue(layout == KeyStateSerializer.CURRENT_VERSION ? compatibility.isCompatibleAsIs()
                : compatibility.isCompatibleAfterMigration());

        KeyState restored = oldSnapshot.restoreSerializer().deserialize(
                new DataInputDeserializer(fixture("key-state-layout-" + layout + ".bin")));
        // Every layout holds the same run; the current layout's recorded bytes are its reference.
        KeyState expected = KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(
                fixture("key-state-layout-" + KeyStateSerializer.CURRENT_VERSION + ".bin")));
        if (layout == 1) {
            // Layout 1 had no unknown-symbol counter and no running average.
            expected.unknownSymbols = 0;
            expected.runningBits = Double.NaN;
            expected.scoredSteps = 0;
        }
        // Older layouts were written by older kernels, whose rounding may differ in the last bits:
        // a misread layout would differ in every digit.
        assertSameState(expected, restored, RECOMPUTED_TOLERANCE);
        // Migration writes the current layout, which the current serializer reads back.
        DataOutputSerializer migrated = new DataOutputSerializer(1 << 16);
        KeyStateSerializer.INSTANCE.serialize(restored, migrated);
        assertSameState(restored,
                KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(migrated.getCopyOfBuffer())));
        if (layout == KeyStateSerializer.CURRENT_VERSION) {
            assertArrayEquals(fixture("key-state-layout-" + layout + ".bin"), migrated.getCopyOfBuffer(),
                    "the current layout is unchanged");
        }
    }

    @Test
    void sameVersionIsCompatibleAsIsAndAFutureOneIsNot() {
        TypeSerializerSnapshot<KeyState> current = KeyStateSerializer.INSTANCE.snapshotConfiguration();
        assertTrue(current.resolveSchemaCompatibility(new KeyStateSerializerSnapshot(KeyStateSerializer.CURRENT_VERSION))
                .isCompatibleAsIs());
        assertTrue(new KeyStateSerializerSnapshot(1).resolveSchemaCompatibility(current).isIncompatible());
    }

    @Test
    void aRealValuedKeysRunningStatisticsSurviveTheRoundTrip() throws IOException {
        LearnerSpec spec = new LearnerSpec("ok:2", "rnn", 3, 4, 1, Readout.Link.LINEAR, "adam", 0.01, 1.0, 1, 1.0);
        KeyState state = KeyState.fresh(spec, 4);
        state.series = new org.okrtrl.core.train.SeriesState();
        state.series.input = org.okrtrl.core.train.RunningStandardizer.newStatistics(3);
        state.series.target = org.okrtrl.core.train.RunningStandardizer.newStatistics(1);
        state.series.last = new double[] {-4};
        org.okrtrl.core.train.RunningStandardizer.update(state.series.input, new double[] {1, 2, 3});
        org.okrtrl.core.train.RunningStandardizer.update(state.series.target, new double[] {-4});
        DataOutputSerializer out = new DataOutputSerializer(1 << 12);
        KeyStateSerializer.INSTANCE.serialize(state, out);
        KeyState back = KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertArrayEquals(state.series.input, back.series.input, 0.0);
        assertArrayEquals(state.series.target, back.series.target, 0.0);
        assertArrayEquals(state.series.last, back.series.last, 0.0);
        KeyState copy = KeyStateSerializer.INSTANCE.copy(state);
        assertArrayEquals(state.series.input, copy.series.input, 0.0);
        assertNotSame(state.series.input, copy.series.input);
    }

    @Test
    void corruptStateIsReportedNotMisread() throws IOException {
        KeyState state = trained("ok:2", "rnn", 8);
        DataOutputSerializer out = new DataOutputSerializer(1 << 12);
        KeyStateSerializer.INSTANCE.serialize(state, out);
        byte[] bytes = out.getCopyOfBuffer();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThrows(IOException.class,
                () -> KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(truncated)));
    }

    static KeyState trained(String algo, String cell, int n) {
        LearnerSpec spec = new LearnerSpec(algo, cell, 50, n, 50, Readout.Link.SOFTMAX, "adam", 1e-3, 1.0, 1, 1.0);
        KeyState state = KeyState.fresh(spec, 99);
        SplittableRandom rng = new SplittableRandom(1);
        for (int t = 0; t < 100; t++) {
            state.learner.observeSymbol(rng.nextInt(50));
            state.score(1.5);
        }
        state.lastSeq = 17;
        state.records = 18;
        state.steps = 100;
        state.duplicates = 2;
        state.gaps = 1;
        state.unknownSymbols = 3;
        return state;
    }

    /** How far the same run written by two versions of the kernels may differ (rounding only). */
    static final double RECOMPUTED_TOLERANCE = 1e-9;

    static void assertSameState(KeyState a, KeyState b) {
        assertSameState(a, b, 0.0);
    }

    static void assertSameState(KeyState a, KeyState b, double tolerance) {
        assertEquals(a.spec, b.spec);
        assertEquals(a.keySeed, b.keySeed);
        assertEquals(a.lastSeq, b.lastSeq);
        assertEquals(a.records, b.records);
        assertEquals(a.steps, b.steps);
        assertEquals(a.duplicates, b.duplicates);
        assertEquals(a.gaps, b.gaps);
        assertEquals(a.unknownSymbols, b.unknownSymbols);
        assertEquals(a.runningBits, b.runningBits, 0.0);
        assertEquals(a.scoredSteps, b.scoredSteps);
        assertArrayEquals(a.learner.scalarState(), b.learner.scalarState());
        double[][] x = a.learner.stateArrays();
        double[][] y = b.learner.stateArrays();
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(x[i], y[i], tolerance);
        }
        float[][] f = a.learner.floatStateArrays();
        float[][] g = b.learner.floatStateArrays();
        assertEquals(f.length, g.length);
        for (int i = 0; i < f.length; i++) {
            assertArrayEquals(f[i], g[i], (float) tolerance);
        }
    }
}
