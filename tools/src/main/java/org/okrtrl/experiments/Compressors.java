package org.okrtrl.experiments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * General-purpose compressors as a yardstick that needs no network: the bits per character of
 * {@code gzip -9} (the JDK's Deflater), {@code bzip2 -9} (Apache Commons Compress) and
 * {@code xz -9} (XZ for Java, preset 9) over the same characters a learner was trained on.
 * Each count includes the format's headers, as the command-line tools' outputs would.
 */
final class Compressors {
    private Compressors() {}

    /** Bits per character of each compressor over one text. */
    record Bits(long characters, double gzip, double bzip2, double xz) {}

    static Bits measure(byte[] text) {
        long n = text.length;
        return new Bits(n, bitsPerChar(gzip(text), n), bitsPerChar(bzip2(text), n), bitsPerChar(xz(text), n));
    }

    private static double bitsPerChar(long bytes, long chars) {
        return 8.0 * bytes / chars;
    }

    static long gzip(byte[] text) {
        return compressedSize(text, out -> new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(9);
            }
        });
    }

    static long bzip2(byte[] text) {
        return compressedSize(text, out -> new BZip2CompressorOutputStream(out, 9));
    }

    static long xz(byte[] text) {
        return compressedSize(text, out -> new XZOutputStream(out, new LZMA2Options(9)));
    }

    private interface Wrapper {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static long compressedSize(byte[] text, Wrapper wrapper) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream(text.length / 2 + 64);
        try (OutputStream out = wrapper.wrap(sink)) {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink.size();
    }
}
