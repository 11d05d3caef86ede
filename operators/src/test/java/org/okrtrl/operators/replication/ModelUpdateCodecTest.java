package org.okrtrl.operators.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Model updates survive the wire exactly; anything that is not an update of this model is refused with a reason. */
class ModelUpdateCodecTest {
    private static final String MODEL = "m|ok:2|rhn|m=3|n=2|o=3|softmax|seed=1";
    private final ModelUpdateCodec codec = new ModelUpdateCodec(MODEL, 4, 3);

    private static ModelUpdate update(String fingerprint, int w, int v) {
        return new ModelUpdate(fingerprint, Replica.origin(2, 1), 7, 1234, 5, new double[w], new double[v]);
    }

    @Test
    void roundTripIsExact() {
        double[] w = {1.5, -2.25, 1e-300, Math.PI};
        double[] v = {0, -0.0, 7};
        ModelUpdate u = new ModelUpdate(MODEL, Replica.origin(3, 9), 42, 99, 6, w, v);
        ModelUpdate back = codec.decode(ModelUpdateCodec.encode(u)).update();
        assertNotNull(back);
        assertEquals(u.origin(), back.origin());
        assertEquals(42, back.seq());
        assertEquals(99, back.createdMillis());
        assertEquals(6, back.steps());
        assertArrayEquals(w, back.deltaW(), 0.0);
        assertArrayEquals(v, back.deltaV(), 0.0);
    }

    /** The wire format is DataOutput's big-endian layout of the fields, then a CRC-32 of all of it. */
    @Test
    void wireFormatIsTheDocumentedLayout() throws java.io.IOException {
        double[] w = {1.5, -2.25, 1e-300, Math.PI};
        double[] v = {0, -0.0, Double.MIN_VALUE};
        ModelUpdate u = new ModelUpdate(MODEL, Replica.origin(3, 9), 42, 99, 6, w, v);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeInt(0x4F4B4D55);
        out.writeByte(1);
        out.writeUTF(MODEL);
        out.writeLong(u.origin());
        out.writeLong(42);
        out.writeLong(99);
        out.writeLong(6);
        out.writeInt(4);
        out.writeInt(3);
        for (double d : w) {
            out.writeDouble(d);
        }
        for (double d : v) {
            out.writeDouble(d);
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        assertArrayEquals(bytes.toByteArray(), ModelUpdateCodec.encode(u));
    }

    private void assertRejected(byte[] value, String reasonPart) {
        ModelUpdateCodec.Decoded d = codec.decode(value);
        assertNull(d.update());
        assertTrue(d.rejection().contains(reasonPart), d.rejection());
    }

    @Test
    void garbageTruncationAndCorruptionAreRejected() {
        assertRejected(null, "too short");
        assertRejected("hello".getBytes(StandardCharsets.UTF_8), "too short");
        byte[] random = new byte[200];
        new SplittableRandom(1).nextBytes(random);
        assertRejected(random, "magic");
        byte[] good = ModelUpdateCodec.encode(update(MODEL, 4, 3));
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        assertRejected(flipped, "checksum");
        assertRejected(java.util.Arrays.copyOf(good, good.length - 9), "checksum");
    }

    @Test
    void anotherModelOrShapeIsRejected() {
        assertRejected(ModelUpdateCodec.encode(update("other|ok:2", 4, 3)), "another model");
        assertRejected(ModelUpdateCodec.encode(update(MODEL, 5, 3)), "shape");
    }

    @Test
    void nonFiniteNumbersAndInvalidCountersAreRejected() {
        ModelUpdate nan = new ModelUpdate(MODEL, 1, 1, 0, 1, new double[] {0, Double.NaN, 0, 0}, new double[3]);
        assertRejected(ModelUpdateCodec.encode(nan), "non-finite");
        ModelUpdate zeroSeq = new ModelUpdate(MODEL, 1, 0, 0, 1, new double[4], new double[3]);
        assertRejected(ModelUpdateCodec.encode(zeroSeq), "sequence number");
    }

    @Test
    void signedUpdatesAreAcceptedOnlyWithAValidTagUnderOneOfTheKeys() {
        ModelUpdateKeys old = ModelUpdateKeys.parse("# the key in use\nold-key-0123456789abcdef\n");
        ModelUpdateKeys rotating = ModelUpdateKeys.parse("new-key-0123456789abcdef\nold-key-0123456789abcdef");
        ModelUpdateKeys stranger = ModelUpdateKeys.parse("someone-else-0123456789");
        ModelUpdateCodec signer = new ModelUpdateCodec(MODEL, 4, 3, old);
        ModelUpdate u = new ModelUpdate(MODEL, Replica.origin(3, 9), 42, 99, 6, new double[] {1, 2, 3, 4},
                new double[] {5, 6, 7});
        byte[] signed = signer.encodeSigned(u);
        assertEquals(ModelUpdateCodec.encode(u).length + ModelUpdateKeys.TAG_BYTES, signed.length);
        assertArrayEquals(u.deltaW(), signer.decode(signed).update().deltaW(), 0.0);
        // During a change of keys a job accepts both: the old job's updates and the new one's.
        ModelUpdateCodec during = new ModelUpdateCodec(MODEL, 4, 3, rotating);
        assertNotNull(during.decode(signed).update());
        assertNull(signer.decode(during.encodeSigned(u)).update(), "a job that knows only the old key refuses the new");
        assertNull(new ModelUpdateCodec(MODEL, 4, 3, stranger).decode(signed).update());
        // Unsigned, or tampered with anywhere (even with a fixed CRC), is refused whatever its fingerprint.
        ModelUpdateCodec.Decoded unsigned = signer.decode(ModelUpdateCodec.encode(u));
        assertTrue(unsigned.rejection().contains("not authenticated"), unsigned.rejection());
        for (int i : new int[] {5, 40, signed.length - 40, signed.length - 1}) {
            byte[] tampered = signed.clone();
            tampered[i] ^= 1;
            assertNull(signer.decode(tampered).update(), "byte " + i + " changed");
        }
        // A job without keys reads signed updates (it cannot check them), as tools reading the topic do.
        assertNotNull(codec.decode(signed).update());
    }

    @Test
    void keysAreAtLeastSixteenBytes() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ModelUpdateKeys.parse("short"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ModelUpdateKeys.parse("# only a comment\n\n"));
    }
}
