package org.okrtrl.operators.replication;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A replica as stored, read back for inspection (tools and tests) without merging. Its W and
 * V are settled: the parts of its own updates it was still holding back ({@link Replica#publish})
 * are taken out, so they are the parameters of the linear rule, equal across replicas that
 * applied the same updates.
 */
public record StoredReplica(String fingerprint, long origin, long nextSeq, TreeMap<Long, long[]> ledger,
        TreeMap<Long, Long> closed, long published, long applied, long rejected, long gaps, long[] modelScalars,
        double[][] modelArrays) {
    public int subtask() {
        return Replica.subtaskOf(origin);
    }

    public double[] w() {
        return modelArrays[0];
    }

    public double[] v() {
        return modelArrays[1];
    }

    private static double[] readArray(DataInputStream in) throws IOException {
        double[] a = new double[in.readInt()];
        for (int j = 0; j < a.length; j++) {
            a[j] = in.readDouble();
        }
        return a;
    }

    /** Reads a replica written by {@link Replica#snapshot} (any earlier snapshot version too). */
    public static StoredReplica read(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int version = in.readInt();
            if (version < 1 || version > Replica.SNAPSHOT_VERSION) {
                throw new IllegalStateException("unknown shared-model snapshot version " + version);
            }
            String fingerprint = in.readUTF();
            long origin = in.readLong();
            long nextSeq = in.readLong();
            int entries = in.readInt();
            TreeMap<Long, long[]> ledger = new TreeMap<>();
            for (int i = 0; i < entries; i++) {
                long o = in.readLong();
                ledger.put(o, new long[] {in.readLong(), in.readLong()});
            }
            TreeMap<Long, Long> closed = new TreeMap<>();
            if (version >= 2) {
                int closedEntries = in.readInt();
                for (int i = 0; i < closedEntries; i++) {
                    closed.put(in.readLong(), in.readLong());
                }
            }
            long[] counters = new long[5];
            for (int i = 0; i < counters.length; i++) {
                counters[i] = in.readLong();
            }
            List<double[][]> held = new ArrayList<>();
            if (version >= 3) {
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    in.readLong();
                    held.add(new double[][] {readArray(in), readArray(in)});
                }
            }
            long[] scalars = new long[in.readInt()];
            for (int i = 0; i < scalars.length; i++) {
                scalars[i] = in.readLong();
            }
            double[][] arrays = new double[in.readInt()][];
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = new double[in.readInt()];
                for (int j = 0; j < arrays[i].length; j++) {
                    arrays[i][j] = in.readDouble();
                }
            }
            for (double[][] h : held) {
                HeldBackSteps.subtract(arrays[0], h[0], 1.0);
                HeldBackSteps.subtract(arrays[1], h[1], 1.0);
            }
            return new StoredReplica(fingerprint, origin, nextSeq, ledger, closed, counters[0], counters[1], counters[2], counters[3],
                    scalars, arrays);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt shared-model snapshot: " + e.getMessage(), e);
        }
    }
}
