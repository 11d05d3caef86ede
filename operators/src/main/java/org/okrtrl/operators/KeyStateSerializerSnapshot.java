package org.okrtrl.operators;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Records which layout version of {@link KeyStateSerializer} wrote a checkpoint. State written
 * by an older version is read with a serializer for that version and migrated to the current
 * one.
 */
public final class KeyStateSerializerSnapshot implements TypeSerializerSnapshot<KeyState> {
    private int layoutVersion;

    /** For Flink's reflective instantiation. */
    public KeyStateSerializerSnapshot() {
        this(KeyStateSerializer.CURRENT_VERSION);
    }

    KeyStateSerializerSnapshot(int layoutVersion) {
        this.layoutVersion = layoutVersion;
    }

    @Override
    public int getCurrentVersion() {
        return layoutVersion;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        // The snapshot's own version (written by Flink) is the layout version; nothing else to store.
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion < 1 || readVersion > KeyStateSerializer.CURRENT_VERSION) {
            throw new IOException("unknown key state layout version " + readVersion);
        }
        this.layoutVersion = readVersion;
    }

    @Override
    public TypeSerializer<KeyState> restoreSerializer() {
        return new KeyStateSerializer(layoutVersion);
    }

    @Override
    public TypeSerializerSchemaCompatibility<KeyState> resolveSchemaCompatibility(
            TypeSerializerSnapshot<KeyState> oldSnapshot) {
        if (!(oldSnapshot instanceof KeyStateSerializerSnapshot old)) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        if (old.layoutVersion == layoutVersion) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        return old.layoutVersion < layoutVersion
                ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                : TypeSerializerSchemaCompatibility.incompatible();
    }
}
