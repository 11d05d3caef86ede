package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.okrtrl.core.influence.Precision;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;

/**
 * r-OK's factors in float in keyed state: stored as floats (half the bytes), read back exactly,
 * and state written in double (by earlier versions, or by this one before a change of
 * {@code --precision}) read and converted, both ways.
 */
class PrecisionStateTest {
    private static final LearnerSpec DOUBLE_SPEC = StreamKeyStateSerializerTest.SPEC;
    private static final LearnerSpec FLOAT_SPEC = DOUBLE_SPEC.withPrecision(Precision.FLOAT);

    @Test
    void floatFactorsAreStoredAsFloatsAndRoundTripExactly() throws IOException {
        LearnerSpec wide = new LearnerSpec("ok:8", "rhn", 20, 16, 20, Readout.Link.SOFTMAX, "adam", 0.01, 1.0, 1, 1.0);
        byte[] inDouble = trainedStreamBytes(wide);
        byte[] inFloat = trainedStreamBytes(wide.withPrecision(Precision.FLOAT));
        // A: 8 x 16 x 32 entries of 8 bytes become 4 bytes; u (8 x 37) and the rest stay double.
        long saved = 8L * 16 * 32 * 4;
        assertEquals(inDouble.length - saved, inFloat.length, "only the factors A shrink, to half");
        StreamKeyStateSerializer serializer = new StreamKeyStateSerializer(wide.withPrecision(Precision.FLOAT));
        StreamKeyState back = serializer.deserialize(new DataInputDeserializer(inFloat));
        DataOutputSerializer again = new DataOutputSerializer(1 << 16);
        serializer.serialize(back, again);
        assertArrayEquals(inFloat, again.getCopyOfBuffer(), "read back exactly");
        assertEquals(1, back.stream.floatStateArrays().length);
    }

    @Test
    void aDoubleLayoutOneCheckpointIsReadAndConvertedByAFloatJob() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/stream-key-state-layout-1.bin")) {
            bytes = in.readAllBytes();
        }
        StreamKeyStateSerializerSnapshot layoutOne = new StreamKeyStateSerializerSnapshot(DOUBLE_SPEC, 1);
        StreamKeyStateSerializer floatJob = new StreamKeyStateSerializer(FLOAT_SPEC);
        assertTrue(floatJob.snapshotConfiguration().resolveSchemaCompatibility(layoutOne).isCompatibleAfterMigration());
        StreamKeyState read = (StreamKeyState) layoutOne.restoreSerializer().deserialize(new DataInputDeserializer(bytes));
        assertEquals(0, read.stream.floatStateArrays().length, "read as the double stream it was written as");
        // Migration as Flink runs it on RocksDB: written by the new serializer, read back by it.
        DataOutputSerializer migrated = new DataOutputSerializer(1 << 16);
        floatJob.serialize(read, migrated);
        StreamKeyState converted = floatJob.deserialize(new DataInputDeserializer(migrated.getCopyOfBuffer()));
        assertConverted(read.stream, converted.stream);
        assertEquals(read.lastSeq, converted.lastSeq);
        // On a heap backend the object read with the old specification is kept: the operator converts it.
        StreamKeyState kept = (StreamKeyState) layoutOne.restoreSerializer().deserialize(new DataInputDeserializer(bytes));
        SharedLearner learner = FLOAT_SPEC.createShared(1, 4, false);
        StreamState fresh = learner.newStream(0);
        assertFalse(kept.streamMatches(fresh));
        kept.convertStreamInto(fresh);
        assertTrue(kept.streamMatches(learner.newStream(0)));
        assertConverted(read.stream, kept.stream);
        // And it learns on from there.
        double loss = 0;
        for (int s : new SplittableRandom(4).ints(50, 0, 5).toArray()) {
            double l = learner.observeSymbol(kept.stream, s);
            loss += Double.isNaN(l) ? 0 : l;
        }
        assertTrue(Double.isFinite(loss) && loss > 0, "finite losses after conversion: " + loss);
    }

    @Test
    void aFloatCheckpointIsReadBackIntoADoubleJob() throws IOException {
        StreamKeyStateSerializer floatJob = new StreamKeyStateSerializer(FLOAT_SPEC);
        StreamKeyState state = (StreamKeyState) floatJob.deserialize(new DataInputDeserializer(trainedStreamBytes(FLOAT_SPEC)));
        StreamKeyStateSerializer doubleJob = new StreamKeyStateSerializer(DOUBLE_SPEC);
        TypeSerializerSchemaCompatibility<StreamKeyState> compatibility = doubleJob.snapshotConfiguration()
                .resolveSchemaCompatibility(StreamKeyStateSerializerTest.roundTrip(floatJob.snapshotConfiguration()));
        assertTrue(compatibility.isCompatibleAfterMigration());
        DataOutputSerializer migrated = new DataOutputSerializer(1 << 16);
        doubleJob.serialize(state, migrated);
        StreamKeyState back = doubleJob.deserialize(new DataInputDeserializer(migrated.getCopyOfBuffer()));
        assertEquals(0, back.stream.floatStateArrays().length);
        float[] a = state.stream.floatStateArrays()[0];
        double[] widened = back.stream.stateArrays()[0];
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], widened[i], 0.0, "float widens exactly");
        }
    }

    @Test
    void aPerKeyModelWrittenInDoubleIsAdoptedByAFloatJob() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/key-state-layout-3.bin")) {
            bytes = in.readAllBytes();
        }
        KeyState stored = new KeyStateSerializer(3).deserialize(new DataInputDeserializer(bytes));
        assertEquals(Precision.DOUBLE, stored.spec.precision(), "layout 3 held double factors");
        KeyState adopted = stored.adoptedBy(stored.spec.withPrecision(Precision.FLOAT));
        Object[] from = CanonicalArrays.of(stored.learner);
        Object[] to = CanonicalArrays.of(adopted.learner);
        assertEquals(from.length, to.length);
        int converted = 0;
        for (int i = 0; i < to.length; i++) {
            if (to[i] instanceof float[] f) {
                double[] d = (double[]) from[i];
                for (int j = 0; j < f.length; j++) {
                    assertEquals((float) d[j], f[j], 0f);
                }
                converted++;
            } else {
                assertArrayEquals((double[]) from[i], (double[]) to[i], 0.0);
            }
        }
        assertEquals(1, converted, "the factors A, and nothing else, became float");
        assertArrayEquals(stored.learner.scalarState(), adopted.learner.scalarState());
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        KeyStateSerializer.INSTANCE.serialize(adopted, out);
        KeyStateSerializerTest.assertSameState(adopted,
                KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
    }

    /** float A = the double A rounded; every other array equal. */
    private static void assertConverted(StreamState fromDouble, StreamState toFloat) {
        Object[] from = CanonicalArrays.of(fromDouble);
        Object[] to = CanonicalArrays.of(toFloat);
        assertEquals(from.length, to.length);
        assertTrue(to[0] instanceof float[], "A (slot 0) is float");
        double[] a = (double[]) from[0];
        float[] f = (float[]) to[0];
        for (int i = 0; i < a.length; i++) {
            assertEquals((float) a[i], f[i], 0f);
        }
        for (int i = 1; i < to.length; i++) {
            assertArrayEquals((double[]) from[i], (double[]) to[i], 0.0);
        }
        assertArrayEquals(fromDouble.scalarState(), toFloat.scalarState());
    }

    private static byte[] trainedStreamBytes(LearnerSpec spec) throws IOException {
        SharedLearner learner = spec.createShared(1, 4, false);
        StreamKeyState state = new StreamKeyState(5, learner.newStream(5));
        for (int s : new SplittableRandom(2).ints(30, 0, spec.inputs()).toArray()) {
            learner.observeSymbol(state.stream, s);
        }
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        new StreamKeyStateSerializer(spec).serialize(state, out);
        return out.getCopyOfBuffer();
    }
}
