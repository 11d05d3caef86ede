package org.okrtrl.operators;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;

/**
 * The binary form of a {@link StreamKeyState}: the key's seed, its counters, then the stream's
 * scalars and arrays as raw doubles. The learner specification that fixes the arrays' shapes is
 * written once, into the {@link StreamKeyStateSerializerSnapshot}, not per key.
 *
 * <p>Layout versions: 1; 2 adds a real-valued stream's running statistics after the counters; 3
 * adds a presence flag before the stream state, false when a restore that changed the learning
 * rule dropped it ({@link StreamKeyState}); 4 (current) tags each array with its element type
 * (r-OK's factors in float are stored as floats) and records the precision in the specification.
 * A serializer reads the version it was made for, converting stored arrays to the precision of
 * its specification, and always writes the current one.
 */
public final class StreamKeyStateSerializer extends TypeSerializer<StreamKeyState> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_VERSION = 4;

    private final LearnerSpec spec;
    private final int readVersion;
    private transient SharedLearner shapes;

    public StreamKeyStateSerializer(LearnerSpec spec) {
        this(spec, CURRENT_VERSION);
    }

    StreamKeyStateSerializer(LearnerSpec spec, int readVersion) {
        this.spec = spec;
        this.readVersion = readVersion;
    }

    int readVersion() {
        return readVersion;
    }

    LearnerSpec spec() {
        return spec;
    }

    /** A fresh stream of the configured shape (the learner is built once per serializer). */
    private StreamState newStream(long seed) {
        if (shapes == null) {
            shapes = spec.createShared(0, 1, false);
        }
        return shapes.newStream(seed);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<StreamKeyState> duplicate() {
        return new StreamKeyStateSerializer(spec, readVersion);
    }

    @Override
    public StreamKeyState createInstance() {
        return null;
    }

    @Override
    public StreamKeyState copy(StreamKeyState from) {
        boolean fits = from.hasStreamFor(spec.algorithm());
        StreamKeyState to = new StreamKeyState(from.keySeed, fits ? newStream(0) : null);
        to.copyCountersFrom(from);
        if (fits) {
            CanonicalArrays.copy(CanonicalArrays.of(from.stream), CanonicalArrays.of(to.stream));
            to.stream.restoreScalarState(from.stream.scalarState());
        }
        return to;
    }

    @Override
    public StreamKeyState copy(StreamKeyState from, StreamKeyState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(StreamKeyState state, DataOutputView out) throws IOException {
        write(state, out, CURRENT_VERSION);
    }

    /** Writes the given layout version (3 or the current one); only tests write an older one. */
    void write(StreamKeyState state, DataOutputView out, int version) throws IOException {
        out.writeLong(state.keySeed);
        StateCodec.writeCounters(state, out, true);
        StateCodec.writeStatistics(state, out);
        boolean fits = state.hasStreamFor(spec.algorithm());
        out.writeBoolean(fits);
        if (fits) {
            StateCodec.writeState(state.stream.scalarState(), CanonicalArrays.of(state.stream), out, version >= 4);
        }
    }

    @Override
    public StreamKeyState deserialize(DataInputView in) throws IOException {
        long keySeed = in.readLong();
        StreamKeyState state = new StreamKeyState(keySeed, newStream(0), spec.algorithm());
        StateCodec.readCounters(state, in, true);
        if (readVersion >= 2) {
            StateCodec.readStatistics(state, in);
        }
        if (readVersion >= 3 && !in.readBoolean()) {
            state.stream = null;
            return state;
        }
        state.stream.restoreScalarState(StateCodec.readState(in, state.stream.scalarState().length,
                CanonicalArrays.of(state.stream), "stream state of " + spec.algorithm(), readVersion >= 4));
        return state;
    }

    @Override
    public StreamKeyState deserialize(StreamKeyState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof StreamKeyStateSerializer other && other.spec.equals(spec)
                && other.readVersion == readVersion;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * StreamKeyStateSerializer.class.hashCode() + spec.hashCode()) + readVersion;
    }

    @Override
    public TypeSerializerSnapshot<StreamKeyState> snapshotConfiguration() {
        return new StreamKeyStateSerializerSnapshot(spec, readVersion);
    }
}
