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
 * in a checkpoint: the specification fixes every stream array's shape, so a job whose
 * algorithm or sizes changed cannot silently read the old streams.
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
        KeyStateSerializer.writeSpec(spec, out);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion < 1 || readVersion > StreamKeyStateSerializer.CURRENT_VERSION) {
            throw new IOException("unknown stream state layout version " + readVersion);
        }
        layoutVersion = readVersion;
        spec = KeyStateSerializer.readSpec(in);
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
        return old.layoutVersion == layoutVersion
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }

    /** Streams keep their meaning across optimiser or learning-rate changes, not across shapes. */
    private static boolean sameShapes(LearnerSpec a, LearnerSpec b) {
        return a.algorithm().equals(b.algorithm()) && a.cell().equals(b.cell()) && a.inputs() == b.inputs()
                && a.hidden() == b.hidden() && a.outputs() == b.outputs() && a.link() == b.link();
    }
}
