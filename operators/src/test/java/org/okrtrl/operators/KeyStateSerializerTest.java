package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    @Test
    void versionOneStateIsReadAndMigrated() throws IOException {
        KeyState state = trained("ok:2", "rhn", 16);
        DataOutputSerializer oldBytes = new DataOutputSerializer(1 << 16);
        KeyStateSerializer.write(state, oldBytes, 1);

        // What a version-1 checkpoint holds: its snapshot, written and read the way Flink does.
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshotBytes, new KeyStateSerializerSnapshot(1));
        TypeSerializerSnapshot<KeyState> oldSnapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()), getClass().getClassLoader());

        TypeSerializerSchemaCompatibility<KeyState> compatibility =
                KeyStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(oldSnapshot);
        assertTrue(compatibility.isCompatibleAfterMigration(), "version 1 state migrates to version 2");

        TypeSerializer<KeyState> oldReader = oldSnapshot.restoreSerializer();
        KeyState restored = oldReader.deserialize(new DataInputDeserializer(oldBytes.getCopyOfBuffer()));
        assertEquals(state.lastSeq, restored.lastSeq);
        assertEquals(state.duplicates, restored.duplicates);
        assertEquals(0, restored.unknownSymbols, "version 1 had no unknown-symbol counter");
        assertTrue(Double.isNaN(restored.runningBits), "version 1 had no running average");
        double[][] a = state.learner.stateArrays();
        double[][] b = restored.learner.stateArrays();
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0.0);
        }
        // Migration writes the current layout, which the current serializer reads back.
        DataOutputSerializer migrated = new DataOutputSerializer(1 << 16);
        KeyStateSerializer.INSTANCE.serialize(restored, migrated);
        KeyState again = KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(migrated.getCopyOfBuffer()));
        assertSameState(restored, again);
    }

    @Test
    void sameVersionIsCompatibleAsIsAndAFutureOneIsNot() {
        TypeSerializerSnapshot<KeyState> current = KeyStateSerializer.INSTANCE.snapshotConfiguration();
        assertTrue(current.resolveSchemaCompatibility(new KeyStateSerializerSnapshot(2)).isCompatibleAsIs());
        assertTrue(new KeyStateSerializerSnapshot(1).resolveSchemaCompatibility(current).isIncompatible());
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

    static void assertSameState(KeyState a, KeyState b) {
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
            assertArrayEquals(x[i], y[i], 0.0);
        }
    }
}
