package org.okrtrl.operators;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.okrtrl.core.train.LearnerSpec;

/**
 * Records the layout version and the learner specification of {@link StreamKeyStateSerializer}
 * in a checkpoint: the specification fixes every stream array's shape. A job whose sizes changed
 * cannot read the old streams (incompatible); one whose learning rule changed reads them with
 * the old specification and drops their stream state (compatible after migration: every key
 * keeps its counters and starts a fresh stream); one whose factors' precision changed reads them
 * with the old specification and converts them (compatible after migration); optimiser, rate,
 * batch or clipping changes leave the streams as they are.
 */
public final class StreamKeyStateSerializerSnapshot implements TypeSerializerSnapshot<StreamKeyState> {
    private LearnerSpec spec;
    private int layoutVersion = StreamKeyStateSerializer.CURRENT_VERSION;

    /** For Flink's reflective instantiation. */
    public StreamKeyStateSerializerSnapshot() {}

    StreamKeyStateSerializerSnapshot(LearnerSpec spec, int layoutVersion) {
        this.spec = spec;
        this.layoutVersion = layoutVersion;
    }

    @Override
    public int getCurrentVersion() {
        return layoutVersion;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        KeyStateSerializer.writeSpec(spec, out, layoutVersion >= 4);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion < 1 || readVersion > StreamKeyStateSerializer.CURRENT_VERSION) {
            throw new IOException("unknown stream state layout version " + readVersion);
        }
        layoutVersion = readVersion;
        spec = KeyStateSerializer.readSpec(in, readVersion >= 4);
    }

    @Override
    public TypeSerializer<StreamKeyState> restoreSerializer() {
        return new StreamKeyStateSerializer(spec, layoutVersion);
    }

    @Override
    public TypeSerializerSchemaCompatibility<StreamKeyState> resolveSchemaCompatibility(
            TypeSerializerSnapshot<StreamKeyState> oldSnapshot) {
        if (!(oldSnapshot instanceof StreamKeyStateSerializerSnapshot old)) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        if (!sameShapes(old.spec, spec) || old.layoutVersion > layoutVersion) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        return old.layoutVersion == layoutVersion && old.spec.algorithm().equals(spec.algorithm())
                && old.spec.precision() == spec.precision()
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }

    /** The model's shape: what a stored stream needs to mean anything to this job. */
    private static boolean sameShapes(LearnerSpec a, LearnerSpec b) {
        return a.cell().equals(b.cell()) && a.inputs() == b.inputs() && a.hidden() == b.hidden()
                && a.outputs() == b.outputs() && a.link() == b.link();
    }
}
