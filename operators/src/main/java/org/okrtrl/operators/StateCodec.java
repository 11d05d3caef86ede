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

    /** Scalars, then the arrays with their lengths. */
    static void writeState(long[] scalars, double[][] arrays, DataOutputView out) throws IOException {
        out.writeInt(scalars.length);
        for (long s : scalars) {
            out.writeLong(s);
        }
        out.writeInt(arrays.length);
        for (double[] a : arrays) {
            out.writeInt(a.length);
            for (double d : a) {
                out.writeDouble(d);
            }
        }
    }

    /**
     * Reads the scalars (returned) and the arrays into arrays (modified), failing with a message
     * naming what when the stored shapes are not the expected ones.
     */
    static long[] readState(DataInputView in, int expectedScalars, double[][] arrays, String what) throws IOException {
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
        for (double[] a : arrays) {
            int len = in.readInt();
            if (len != a.length) {
                throw new IOException(what + " array of length " + len + ", expected " + a.length);
            }
            for (int i = 0; i < len; i++) {
                a[i] = in.readDouble();
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
