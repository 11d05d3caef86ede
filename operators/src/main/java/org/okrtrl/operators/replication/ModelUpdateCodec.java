package org.okrtrl.operators.replication;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The binary form of a {@link ModelUpdate} on the model topic: a magic number, a format
 * version, the fingerprint, origin, sequence number, time, step count, the two deltas as raw
 * doubles, and a CRC-32 of everything before it. Format version 2 (a job with
 * {@link ModelUpdateKeys}) appends an HMAC-SHA256 tag of all that; a codec with keys accepts only
 * version 2 with a tag valid under one of its keys, whatever the update claims to be. {@link
 * #decode} accepts only a well-formed, finite update of the expected model and shape; anything
 * else comes back as a rejection with its reason, never as an exception.
 */
public final class ModelUpdateCodec {
    static final int MAGIC = 0x4F4B4D55; // "OKMU"
    static final byte VERSION = 1;
    static final byte SIGNED_VERSION = 2;

    private final String fingerprint;
    private final int lengthW;
    private final int lengthV;
    private final ModelUpdateKeys keys;

    /** A codec for updates of the model with this fingerprint and parameter counts (unauthenticated). */
    public ModelUpdateCodec(String fingerprint, int lengthW, int lengthV) {
        this(fingerprint, lengthW, lengthV, null);
    }

    /**
     * A codec that, with keys (nullable), signs what it encodes and accepts only updates signed
     * with one of them.
     */
    public ModelUpdateCodec(String fingerprint, int lengthW, int lengthV, ModelUpdateKeys keys) {
        this.fingerprint = fingerprint;
        this.lengthW = lengthW;
        this.lengthV = lengthV;
        this.keys = keys;
    }

    /** u in this codec's form: signed when it has keys. */
    public byte[] encodeSigned(ModelUpdate u) {
        if (keys == null) {
            return encode(u);
        }
        byte[] body = encode(u, SIGNED_VERSION);
        byte[] tag = keys.sign(body, body.length);
        byte[] out = java.util.Arrays.copyOf(body, body.length + tag.length);
        System.arraycopy(tag, 0, out, body.length, tag.length);
        return out;
    }

    /** A decoded update, or the reason it was rejected (then update is null). */
    public record Decoded(ModelUpdate update, String rejection) {
        static Decoded rejected(String reason) {
            return new Decoded(null, reason);
        }
    }

    /** u unsigned (format version 1). */
    public static byte[] encode(ModelUpdate u) {
        return encode(u, VERSION);
    }

    private static byte[] encode(ModelUpdate u, byte version) {
        byte[] header;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeByte(version);
            out.writeUTF(u.fingerprint());
            out.writeLong(u.origin());
            out.writeLong(u.seq());
            out.writeLong(u.createdMillis());
            out.writeLong(u.steps());
            out.writeInt(u.deltaW().length);
            out.writeInt(u.deltaV().length);
            out.flush();
            header = bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The deltas in bulk (big-endian, as DataOutput writes them): an update is 8 bytes a
        // parameter and a replica publishes every few hundred events.
        int body = header.length + 8 * (u.deltaW().length + u.deltaV().length);
        byte[] out = java.util.Arrays.copyOf(header, body + 4);
        ByteBuffer.wrap(out, header.length, body - header.length).asDoubleBuffer().put(u.deltaW()).put(u.deltaV());
        CRC32 crc = new CRC32();
        crc.update(out, 0, body);
        ByteBuffer.wrap(out, body, 4).putInt((int) crc.getValue());
        return out;
    }

    public Decoded decode(byte[] value) {
        int minimum = 4 + 1 + 2 + 4 * 8 + 2 * 4 + 4;
        if (value != null && value.length >= minimum && (keys != null || value[4] == SIGNED_VERSION)) {
            // Signed: the tag is checked first (with keys), or set aside (a job without keys).
            if (value.length < minimum + ModelUpdateKeys.TAG_BYTES || value[4] != SIGNED_VERSION) {
                return Decoded.rejected("not authenticated: this job accepts only model updates signed with its "
                        + "--model-update-key-file keys");
            }
            int body = value.length - ModelUpdateKeys.TAG_BYTES;
            if (keys != null && !keys.verify(value, body, java.util.Arrays.copyOfRange(value, body, value.length))) {
                return Decoded.rejected("authentication tag does not match any of this job's model update keys");
            }
            return decodeBody(java.util.Arrays.copyOf(value, body), SIGNED_VERSION);
        }
        return decodeBody(value, VERSION);
    }

    private Decoded decodeBody(byte[] value, byte expectedVersion) {
        if (value == null || value.length < 4 + 1 + 2 + 4 * 8 + 2 * 4 + 4) {
            return Decoded.rejected("too short for a model update (" + (value == null ? 0 : value.length) + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(value, 0, value.length - 4);
        int stored = ((value[value.length - 4] & 0xff) << 24) | ((value[value.length - 3] & 0xff) << 16)
                | ((value[value.length - 2] & 0xff) << 8) | (value[value.length - 1] & 0xff);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value, 0, value.length - 4))) {
            if (in.readInt() != MAGIC) {
                return Decoded.rejected("not a model update (bad magic number)");
            }
            byte version = in.readByte();
            if (version != expectedVersion) {
                return Decoded.rejected("unknown model update format version " + version);
            }
            if (stored != (int) crc.getValue()) {
                return Decoded.rejected("checksum mismatch (corrupted update)");
            }
            String theirs = in.readUTF();
            long origin = in.readLong();
            long seq = in.readLong();
            long created = in.readLong();
            long steps = in.readLong();
            if (!Fingerprint.sameModel(fingerprint, theirs)) {
                return Decoded.rejected("update of another model: " + theirs + " (this job: " + fingerprint + ")");
            }
            int w = in.readInt();
            int v = in.readInt();
            if (w != lengthW || v != lengthV) {
                return Decoded.rejected("update of shape " + w + "+" + v + ", this model has " + lengthW + "+" + lengthV);
            }
            if (in.available() != 8L * (w + v)) {
                return Decoded.rejected("update length does not match its shape");
            }
            if (seq < 1 || steps < 1) {
                return Decoded.rejected("invalid sequence number " + seq + " or step count " + steps);
            }
            int deltas = value.length - 4 - 8 * (w + v);
            double[] deltaW = readFinite(value, deltas, w);
            double[] deltaV = readFinite(value, deltas + 8 * w, v);
            if (deltaW == null || deltaV == null) {
                return Decoded.rejected("update holds a non-finite number");
            }
            return new Decoded(new ModelUpdate(theirs, origin, seq, created, steps, deltaW, deltaV), null);
        } catch (IOException e) {
            return Decoded.rejected("malformed model update: " + e.getMessage());
        }
    }

    /** length big-endian doubles of value from offset, or null if one is not finite. */
    private static double[] readFinite(byte[] value, int offset, int length) {
        double[] out = new double[length];
        ByteBuffer.wrap(value, offset, 8 * length).asDoubleBuffer().get(out);
        for (double d : out) {
            if (!Double.isFinite(d)) {
                return null;
            }
        }
        return out;
    }
}
