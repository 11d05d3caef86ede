package org.okrtrl.operators;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.influence.Precision;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SequenceLearner;

/**
 * The binary form of a {@link KeyState}: the learner's specification, then counters, then the
 * learner's scalars and arrays as raw doubles. No Kryo, no Java serialisation; the layout is
 * versioned by {@link KeyStateSerializerSnapshot}.
 *
 * <p>Format versions: 1 had no unknown-symbol counter and no running average; 2 adds both; 3
 * adds a real-valued stream's running statistics; 4 (current) records the precision of r-OK's
 * factors in the specification and tags each array with its element type (float factors are
 * stored as floats). A serializer reads the version it was made for and always writes the
 * current one; the key's stored specification says what its arrays are, and
 * {@link KeyState#adoptedBy} converts them when the job runs in another precision.
 */
public final class KeyStateSerializer extends TypeSerializer<KeyState> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_VERSION = 4;
    public static final KeyStateSerializer INSTANCE = new KeyStateSerializer(CURRENT_VERSION);

    private final int readVersion;

    KeyStateSerializer(int readVersion) {
        this.readVersion = readVersion;
    }

    int readVersion() {
        return readVersion;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<KeyState> duplicate() {
        return this;
    }

    @Override
    public KeyState createInstance() {
        return null;
    }

    @Override
    public KeyState copy(KeyState from) {
        KeyState to = new KeyState(from.spec, from.keySeed, from.spec.create(from.keySeed));
        to.copyCountersFrom(from);
        CanonicalArrays.copy(CanonicalArrays.of(from.learner), CanonicalArrays.of(to.learner));
        to.learner.restoreScalarState(from.learner.scalarState());
        return to;
    }

    @Override
    public KeyState copy(KeyState from, KeyState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(KeyState state, DataOutputView out) throws IOException {
        write(state, out, CURRENT_VERSION);
    }

    /** Writes the given layout version; only tests write anything but the current one. */
    static void write(KeyState state, DataOutputView out, int version) throws IOException {
        writeSpec(state.spec, out, version >= 4);
        out.writeLong(state.keySeed);
        StateCodec.writeCounters(state, out, version >= 2);
        if (version >= 3) {
            StateCodec.writeStatistics(state, out);
        }
        StateCodec.writeState(state.learner.scalarState(), CanonicalArrays.of(state.learner), out, version >= 4);
    }

    @Override
    public KeyState deserialize(DataInputView in) throws IOException {
        LearnerSpec spec = readSpec(in, readVersion >= 4);
        long keySeed = in.readLong();
        KeyState state = new KeyState(spec, keySeed, spec.create(keySeed));
        StateCodec.readCounters(state, in, readVersion >= 2);
        if (readVersion >= 3) {
            StateCodec.readStatistics(state, in);
        }
        SequenceLearner learner = state.learner;
        learner.restoreScalarState(StateCodec.readState(in, learner.scalarState().length,
                CanonicalArrays.of(learner), "key state of " + spec.algorithm(), readVersion >= 4));
        return state;
    }

    @Override
    public KeyState deserialize(KeyState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof KeyStateSerializer other && other.readVersion == readVersion;
    }

    @Override
    public int hashCode() {
        return 31 * KeyStateSerializer.class.hashCode() + readVersion;
    }

    @Override
    public TypeSerializerSnapshot<KeyState> snapshotConfiguration() {
        return new KeyStateSerializerSnapshot(readVersion);
    }

    /** The specification; withPrecision: the layout records the factors' precision (version 4 on). */
    static void writeSpec(LearnerSpec spec, DataOutputView out, boolean withPrecision) throws IOException {
        out.writeUTF(spec.algorithm().toString());
        out.writeUTF(spec.cell().toString());
        out.writeInt(spec.inputs());
        out.writeInt(spec.hidden());
        out.writeInt(spec.outputs());
        out.writeByte(spec.link().ordinal());
        out.writeUTF(spec.optimizer().toString());
        out.writeDouble(spec.learningRate());
        out.writeDouble(spec.clipNorm());
        out.writeInt(spec.updateEvery());
        out.writeDouble(spec.carryBias());
        if (withPrecision) {
            out.writeByte(spec.precision().ordinal());
        }
    }

    /** Reads what {@link #writeSpec} wrote; layouts without the precision held double factors. */
    static LearnerSpec readSpec(DataInputView in, boolean withPrecision) throws IOException {
        String algorithm = in.readUTF();
        String cell = in.readUTF();
        int inputs = in.readInt();
        int hidden = in.readInt();
        int outputs = in.readInt();
        Readout.Link link = Readout.Link.values()[in.readByte()];
        String optimizer = in.readUTF();
        double lr = in.readDouble();
        double clip = in.readDouble();
        int updateEvery = in.readInt();
        double carryBias = in.readDouble();
        int precision = withPrecision ? in.readByte() : Precision.DOUBLE.ordinal();
        if (precision < 0 || precision >= Precision.values().length) {
            throw new IOException("corrupt key state: precision " + precision);
        }
        try {
            return new LearnerSpec(algorithm, cell, inputs, hidden, outputs, link, optimizer, lr, clip, updateEvery,
                    carryBias).withPrecision(Precision.values()[precision]);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt key state: " + e.getMessage(), e);
        }
    }
}
