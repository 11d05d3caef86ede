package org.okrtrl.core.linalg;

import static jdk.incubator.vector.VectorOperators.ADD;

import jdk.incubator.vector.DoubleVector;

/**
 * The passes of the r-OK reduction over the long factor columns besides the Gram matrix
 * ({@link GramKernel}), for the Java Vector API: the new factors as combinations of the old (a
 * tall matrix times a tiny one), and A^T delta. Each keeps several FMA chains in registers per
 * load so the FMAs, not the loads, set the pace. Column-major; outputs are overwritten.
 */
final class FactorPassKernels {
    private static final int LANES = VectorKernels.LANES;
    private static final jdk.incubator.vector.VectorSpecies<Double> SPECIES = VectorKernels.SPECIES;

    private FactorPassKernels() {}

    /**
     * out (len x r) = t (len x k) * m (k x r): the new factors as combinations of the old. Up to
     * eight outputs are formed per pass over t, so the long columns of t stream through the core
     * once for r <= 8 instead of once per pair of outputs. Each entry is summed over j in order.
     */
    static void multiplyTallBySmall(int len, int k, int r, double[] t, double[] m, double[] out) {
        int head = VectorKernels.vectorHead(len);
        int end = VectorKernels.vectorEnd(len);
        int l0 = 0;
        for (; l0 + 8 <= r; l0 += 8) {
            eightOutputs(len, k, l0, head, end, t, m, out);
        }
        if (l0 + 4 <= r) {
            fourOutputs(len, k, l0, head, end, t, m, out);
            l0 += 4;
        }
        for (int i = head; i < end; i += LANES) {
            int l = l0;
            for (; l + 1 < r; l += 2) {
                DoubleVector acc0 = DoubleVector.zero(SPECIES);
                DoubleVector acc1 = acc0;
                int m0 = l * k;
                int m1 = m0 + k;
                for (int j = 0; j < k; j++) {
                    DoubleVector v = DoubleVector.fromArray(SPECIES, t, j * len + i);
                    acc0 = v.fma(DoubleVector.broadcast(SPECIES, m[m0 + j]), acc0);
                    acc1 = v.fma(DoubleVector.broadcast(SPECIES, m[m1 + j]), acc1);
                }
                acc0.intoArray(out, l * len + i);
                acc1.intoArray(out, (l + 1) * len + i);
            }
            if (l < r) {
                DoubleVector acc = DoubleVector.zero(SPECIES);
                for (int j = 0; j < k; j++) {
                    acc = DoubleVector.fromArray(SPECIES, t, j * len + i)
                            .fma(DoubleVector.broadcast(SPECIES, m[l * k + j]), acc);
                }
                acc.intoArray(out, l * len + i);
            }
        }
        scalarPositions(len, k, r, 0, head, t, m, out);
        scalarPositions(len, k, r, end, len, t, m, out);
    }

    private static void scalarPositions(int len, int k, int r, int from, int to, double[] t, double[] m,
            double[] out) {
        for (int i = from; i < to; i++) {
            for (int l = 0; l < r; l++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += t[j * len + i] * m[l * k + j];
                }
                out[l * len + i] = s;
            }
        }
    }

    /** Outputs l0..l0 + 3 on the vector positions [from, to). */
    private static void fourOutputs(int len, int k, int l0, int from, int to, double[] t, double[] m, double[] out) {
        int m0 = l0 * k;
        for (int i = from; i < to; i += LANES) {
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            for (int j = 0; j < k; j++) {
                DoubleVector v = DoubleVector.fromArray(SPECIES, t, j * len + i);
                int mj = m0 + j;
                a0 = v.fma(DoubleVector.broadcast(SPECIES, m[mj]), a0);
                a1 = v.fma(DoubleVector.broadcast(SPECIES, m[mj + k]), a1);
                a2 = v.fma(DoubleVector.broadcast(SPECIES, m[mj + 2 * k]), a2);
                a3 = v.fma(DoubleVector.broadcast(SPECIES, m[mj + 3 * k]), a3);
            }
            int o = l0 * len + i;
            a0.intoArray(out, o);
            a1.intoArray(out, o + len);
            a2.intoArray(out, o + 2 * len);
            a3.intoArray(out, o + 3 * len);
        }
    }

    private static void eightOutputs(int len, int k, int l0, int head, int vectorLen, double[] t, double[] m,
            double[] out) {
        int m0 = l0 * k;
        int i = head;
        // Two vector positions per pass share each broadcast of m: the loads no longer outnumber the FMAs.
        for (; i + LANES < vectorLen; i += 2 * LANES) {
            eightOutputsTwice(len, k, m0, i, t, m, out, l0 * len + i);
        }
        if (i < vectorLen) {
            fourOutputs(len, k, l0, i, vectorLen, t, m, out);
            fourOutputs(len, k, l0 + 4, i, vectorLen, t, m, out);
        }
    }

    private static void eightOutputsTwice(int len, int k, int m0, int i, double[] t, double[] m, double[] out, int o) {
        DoubleVector a0 = DoubleVector.zero(SPECIES);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        DoubleVector a4 = a0;
        DoubleVector a5 = a0;
        DoubleVector a6 = a0;
        DoubleVector a7 = a0;
        DoubleVector b0 = a0;
        DoubleVector b1 = a0;
        DoubleVector b2 = a0;
        DoubleVector b3 = a0;
        DoubleVector b4 = a0;
        DoubleVector b5 = a0;
        DoubleVector b6 = a0;
        DoubleVector b7 = a0;
        for (int j = 0; j < k; j++) {
            int tj = j * len + i;
            DoubleVector v = DoubleVector.fromArray(SPECIES, t, tj);
            DoubleVector w = DoubleVector.fromArray(SPECIES, t, tj + LANES);
            int mj = m0 + j;
            DoubleVector c = DoubleVector.broadcast(SPECIES, m[mj]);
            a0 = v.fma(c, a0);
            b0 = w.fma(c, b0);
            c = DoubleVector.broadcast(SPECIES, m[mj + k]);
            a1 = v.fma(c, a1);
            b1 = w.fma(c, b1);
            c = DoubleVector.broadcast(SPECIES, m[mj + 2 * k]);
            a2 = v.fma(c, a2);
            b2 = w.fma(c, b2);
            c = DoubleVector.broadcast(SPECIES, m[mj + 3 * k]);
            a3 = v.fma(c, a3);
            b3 = w.fma(c, b3);
            c = DoubleVector.broadcast(SPECIES, m[mj + 4 * k]);
            a4 = v.fma(c, a4);
            b4 = w.fma(c, b4);
            c = DoubleVector.broadcast(SPECIES, m[mj + 5 * k]);
            a5 = v.fma(c, a5);
            b5 = w.fma(c, b5);
            c = DoubleVector.broadcast(SPECIES, m[mj + 6 * k]);
            a6 = v.fma(c, a6);
            b6 = w.fma(c, b6);
            c = DoubleVector.broadcast(SPECIES, m[mj + 7 * k]);
            a7 = v.fma(c, a7);
            b7 = w.fma(c, b7);
        }
        a0.intoArray(out, o);
        b0.intoArray(out, o + LANES);
        a1.intoArray(out, o + len);
        b1.intoArray(out, o + len + LANES);
        a2.intoArray(out, o + 2 * len);
        b2.intoArray(out, o + 2 * len + LANES);
        a3.intoArray(out, o + 3 * len);
        b3.intoArray(out, o + 3 * len + LANES);
        a4.intoArray(out, o + 4 * len);
        b4.intoArray(out, o + 4 * len + LANES);
        a5.intoArray(out, o + 5 * len);
        b5.intoArray(out, o + 5 * len + LANES);
        a6.intoArray(out, o + 6 * len);
        b6.intoArray(out, o + 6 * len + LANES);
        a7.intoArray(out, o + 7 * len);
        b7.intoArray(out, o + 7 * len + LANES);
    }

    /**
     * y (cols) = a^T x for a (rows x cols) column-major, four columns per pass over x so four
     * independent FMA chains hide the latency; each entry is the same chain, lane reduction and
     * scalar tail as {@link #dot}. Modifies y.
     */
    static void multiplyTransposedVectorColumnMajor(int rows, int cols, double[] a, double[] x, double[] y) {
        int head = VectorKernels.vectorHead(rows);
        int end = VectorKernels.vectorEnd(rows);
        int j = 0;
        for (; j + 3 < cols; j += 4) {
            int c0 = j * rows;
            int c1 = c0 + rows;
            int c2 = c1 + rows;
            int c3 = c2 + rows;
            DoubleVector s0 = DoubleVector.zero(SPECIES);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int l = head; l < end; l += LANES) {
                DoubleVector v = DoubleVector.fromArray(SPECIES, x, l);
                s0 = DoubleVector.fromArray(SPECIES, a, c0 + l).fma(v, s0);
                s1 = DoubleVector.fromArray(SPECIES, a, c1 + l).fma(v, s1);
                s2 = DoubleVector.fromArray(SPECIES, a, c2 + l).fma(v, s2);
                s3 = DoubleVector.fromArray(SPECIES, a, c3 + l).fma(v, s3);
            }
            double d0 = s0.reduceLanes(ADD);
            double d1 = s1.reduceLanes(ADD);
            double d2 = s2.reduceLanes(ADD);
            double d3 = s3.reduceLanes(ADD);
            if (head != 0 || end != rows) {
                d0 = VectorKernels.scalarEnds(rows, head, end, a, c0, x, 0, d0);
                d1 = VectorKernels.scalarEnds(rows, head, end, a, c1, x, 0, d1);
                d2 = VectorKernels.scalarEnds(rows, head, end, a, c2, x, 0, d2);
                d3 = VectorKernels.scalarEnds(rows, head, end, a, c3, x, 0, d3);
            }
            y[j] = d0;
            y[j + 1] = d1;
            y[j + 2] = d2;
            y[j + 3] = d3;
        }
        for (; j < cols; j++) {
            y[j] = VectorKernels.dot(rows, a, j * rows, x, 0);
        }
    }
}
