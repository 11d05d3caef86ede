package org.okrtrl.operators;

/**
 * A learner's state arrays in their canonical order, each a {@code double[]} or a
 * {@code float[]}: the double arrays fill every position but the float slots, in order (see
 * {@code SequenceLearner.floatSlots()}). The order is the same whichever precision r-OK keeps its
 * factors in, so stored state moves between precisions by converting slot by slot.
 */
final class CanonicalArrays {
    private CanonicalArrays() {}

    /** The arrays of d and f merged in canonical order (the arrays themselves, not copies). */
    static Object[] of(double[][] d, float[][] f, int[] floatSlots) {
        Object[] all = new Object[d.length + f.length];
        boolean[] isFloat = new boolean[all.length];
        for (int slot : floatSlots) {
            isFloat[slot] = true;
        }
        int nextDouble = 0;
        int nextFloat = 0;
        for (int i = 0; i < all.length; i++) {
            all[i] = isFloat[i] ? f[nextFloat++] : d[nextDouble++];
        }
        return all;
    }

    /** A stream's arrays (rule, hidden state, prediction) in canonical order. */
    static Object[] of(org.okrtrl.core.train.StreamState s) {
        return of(s.stateArrays(), s.floatStateArrays(), s.floatSlots());
    }

    /** A learner's arrays in canonical order. */
    static Object[] of(org.okrtrl.core.train.SequenceLearner l) {
        return of(l.stateArrays(), l.floatStateArrays(), l.floatSlots());
    }

    /** Length of a double[] or float[]. */
    static int length(Object array) {
        return array instanceof float[] f ? f.length : ((double[]) array).length;
    }

    /**
     * Copies every array of from into the same-length array of to (modified), rounding double to
     * float or widening float to double where the two differ.
     */
    static void copy(Object[] from, Object[] to) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("state of " + from.length + " arrays, expected " + to.length);
        }
        for (int i = 0; i < to.length; i++) {
            copy(from[i], to[i]);
        }
    }

    static void copy(Object from, Object to) {
        if (length(from) != length(to)) {
            throw new IllegalArgumentException("state array of length " + length(from) + ", expected " + length(to));
        }
        if (from instanceof double[] d && to instanceof double[] e) {
            System.arraycopy(d, 0, e, 0, d.length);
        } else if (from instanceof float[] f && to instanceof float[] g) {
            System.arraycopy(f, 0, g, 0, f.length);
        } else if (from instanceof double[] d) {
            float[] g = (float[]) to;
            for (int i = 0; i < d.length; i++) {
                g[i] = (float) d[i];
            }
        } else {
            float[] f = (float[]) from;
            double[] e = (double[]) to;
            for (int i = 0; i < f.length; i++) {
                e[i] = f[i];
            }
        }
    }

    /** Bytes of the arrays' elements. */
    static long bytes(Object[] arrays) {
        long bytes = 0;
        for (Object a : arrays) {
            bytes += (long) length(a) * (a instanceof float[] ? Float.BYTES : Double.BYTES);
        }
        return bytes;
    }
}
