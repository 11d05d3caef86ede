package org.okrtrl.operators;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The binary pieces both keyed-state serializers are made of: a key's counters, and a learner's
 * scalars and arrays as raw doubles read back into arrays of the expected shapes.
 */
final class StateCodec {
    private StateCodec() {}

    /** The counters of layout 1 (lastSeq .. divergence resets), then, if extended, the rest. */
    static void writeCounters(StreamCounters c, DataOutputView out, boolean extended) throws IOException {
        out.writeLong(c.lastSeq);
        out.writeLong(c.records);
        out.writeLong(c.steps);
        out.writeLong(c.duplicates);
        out.writeLong(c.gaps);
        out.writeLong(c.divergenceResets);
        if (extended) {
            out.writeLong(c.unknownSymbols);
            out.writeDouble(c.runningBits);
            out.writeLong(c.scoredSteps);
        }
    }

    /** Reads what {@link #writeCounters} wrote into c (modified). */
    static void readCounters(StreamCounters c, DataInputView in, boolean extended) throws IOException {
        c.lastSeq = in.readLong();
        c.records = in.readLong();
        c.steps = in.readLong();
        c.duplicates = in.readLong();
        c.gaps = in.readLong();
        c.divergenceResets = in.readLong();
        if (extended) {
            c.unknownSymbols = in.readLong();
            c.runningBits = in.readDouble();
            c.scoredSteps = in.readLong();
        }
    }

    /**
     * A real-valued stream's running statistics (layouts that have them): a presence flag, then
     * the input and target statistics and the last target (empty when not kept).
     */
    static void writeStatistics(StreamCounters c, DataOutputView out) throws IOException {
        boolean present = c.series != null && c.series.input != null && c.series.target != null;
        out.writeBoolean(present);
        if (present) {
            writeArray(c.series.input, out);
            writeArray(c.series.target, out);
            writeArray(c.series.last != null ? c.series.last : new double[0], out);
        }
    }

    /** Reads what {@link #writeStatistics} wrote into c (modified). */
    static void readStatistics(StreamCounters c, DataInputView in) throws IOException {
        if (in.readBoolean()) {
            c.series = new org.okrtrl.core.train.SeriesState();
            c.series.input = readArray(in);
            c.series.target = readArray(in);
            double[] last = readArray(in);
            c.series.last = last.length == 0 ? null : last;
        } else {
            c.series = null;
        }
    }

    private static void writeArray(double[] a, DataOutputView out) throws IOException {
        out.writeInt(a.length);
        for (double d : a) {
            out.writeDouble(d);
        }
    }

    private static double[] readArray(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > (1 << 20)) {
            throw new IOException("corrupt statistics array of length " + length);
        }
        double[] a = new double[length];
        for (int i = 0; i < length; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    /** Tags of a stored array's element type (layouts with tagged arrays). */
    private static final byte DOUBLE_ARRAY = 0;
    private static final byte FLOAT_ARRAY = 1;

    /**
     * Scalars, then the arrays in canonical order ({@link CanonicalArrays}), each with its type
     * tag and length: a double array as raw doubles, a float array as raw floats.
     */
    static void writeState(long[] scalars, Object[] arrays, DataOutputView out) throws IOException {
        writeState(scalars, arrays, out, true);
    }

    /**
     * As {@link #writeState(long[], Object[], DataOutputView)}; untagged writes the layout of
     * earlier versions (every array as doubles, float ones widened), which only tests write.
     */
    static void writeState(long[] scalars, Object[] arrays, DataOutputView out, boolean tagged) throws IOException {
        out.writeInt(scalars.length);
        for (long s : scalars) {
            out.writeLong(s);
        }
        out.writeInt(arrays.length);
        for (Object a : arrays) {
            if (!tagged) {
                out.writeInt(CanonicalArrays.length(a));
                for (int i = 0; i < CanonicalArrays.length(a); i++) {
                    out.writeDouble(a instanceof float[] f ? f[i] : ((double[]) a)[i]);
                }
            } else if (a instanceof float[] f) {
                out.writeByte(FLOAT_ARRAY);
                out.writeInt(f.length);
                for (float v : f) {
                    out.writeFloat(v);
                }
            } else {
                double[] d = (double[]) a;
                out.writeByte(DOUBLE_ARRAY);
                out.writeInt(d.length);
                for (double v : d) {
                    out.writeDouble(v);
                }
            }
        }
    }

    /**
     * Reads the scalars (returned) and the arrays into arrays (canonical order, modified),
     * converting a stored double array into a float one or back where the stored and expected
     * types differ. tagged: the layout has a type tag before each array (else every stored array
     * is double, as earlier versions wrote them). Fails with a message naming what when the
     * stored shapes are not the expected ones.
     */
    static long[] readState(DataInputView in, int expectedScalars, Object[] arrays, String what, boolean tagged)
            throws IOException {
        long[] scalars = new long[in.readInt()];
        if (scalars.length != expectedScalars) {
            throw new IOException(what + " holds " + scalars.length + " scalars, expected " + expectedScalars);
        }
        for (int i = 0; i < scalars.length; i++) {
            scalars[i] = in.readLong();
        }
        int count = in.readInt();
        if (count != arrays.length) {
            throw new IOException(what + " holds " + count + " arrays, expected " + arrays.length);
        }
        for (Object a : arrays) {
            byte tag = tagged ? in.readByte() : DOUBLE_ARRAY;
            if (tag != DOUBLE_ARRAY && tag != FLOAT_ARRAY) {
                throw new IOException(what + " array with unknown type tag " + tag);
            }
            int len = in.readInt();
            if (len != CanonicalArrays.length(a)) {
                throw new IOException(what + " array of length " + len + ", expected " + CanonicalArrays.length(a));
            }
            if (a instanceof double[] d) {
                for (int i = 0; i < len; i++) {
                    d[i] = tag == FLOAT_ARRAY ? in.readFloat() : in.readDouble();
                }
            } else {
                float[] f = (float[]) a;
                for (int i = 0; i < len; i++) {
                    f[i] = tag == FLOAT_ARRAY ? in.readFloat() : (float) in.readDouble();
                }
            }
        }
        return scalars;
    }

    /** Copies every array of source into the same-shaped target (modified). */
    static void copyArrays(double[][] source, double[][] target) {
        for (int i = 0; i < source.length; i++) {
            System.arraycopy(source[i], 0, target[i], 0, source[i].length);
        }
    }
}
