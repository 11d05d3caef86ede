package org.okrtrl.core.linalg;

import jdk.incubator.vector.DoubleVector;

/**
 * The passes of the r-OK reduction over the long factor columns, for the Java Vector API: the
 * Gram matrix, the new factors as combinations of the old (a tall matrix times a tiny one), and
 * A^T delta. Each keeps several FMA chains in registers per load so the FMAs, not the loads, set
 * the pace. Column-major; outputs are overwritten.
 */
final class FactorPassKernels {
    private static final int LANES = VectorKernels.LANES;
    private static final jdk.incubator.vector.VectorSpecies<Double> SPECIES = VectorKernels.SPECIES;
    /** Doubles per column per Gram chunk: 9 columns of 4 KB sit in L1 together. */
    private static final int GRAM_CHUNK = 512;

    private FactorPassKernels() {}

    /**
     * out (len x r) = t (len x k) * m (k x r): the new factors as combinations of the old. Up to
     * eight outputs are formed per pass over t, so the long columns of t stream through the core
     * once for r <= 8 instead of once per pair of outputs. Each entry is summed over j in order.
     */
    static void multiplyTallBySmall(int len, int k, int r, double[] t, double[] m, double[] out) {
        int vectorLen = len - len % LANES;
        int l0 = 0;
        for (; l0 + 8 <= r; l0 += 8) {
            eightOutputs(len, k, l0, vectorLen, t, m, out);
        }
        if (l0 + 4 <= r) {
            fourOutputs(len, k, l0, 0, vectorLen, t, m, out);
            l0 += 4;
        }
        for (int i = 0; i < vectorLen; i += LANES) {
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
        for (int i = vectorLen; i < len; i++) {
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

    private static void eightOutputs(int len, int k, int l0, int vectorLen, double[] t, double[] m, double[] out) {
        int m0 = l0 * k;
        int i = 0;
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

    /** Doubles of scratch {@link #gram} needs for k columns: one accumulator vector per pair. */
    static int gramScratchLength(int k) {
        return k * k * LANES;
    }

    /**
     * c (k x k) = a^T a for the k columns of a, each of length len. The columns are read in
     * chunks that fit L1 together, and every pair's accumulator vector is parked in partial
     * between chunks, so each column is streamed from memory once while every entry is still
     * the same FMA chain (then one lane reduction and the scalar tail) as a plain dot product.
     * Modifies c and partial.
     */
    static void gram(int len, int k, double[] a, double[] c, double[] partial) {
        int vectorLen = len - len % LANES;
        java.util.Arrays.fill(partial, 0, k * k * LANES, 0.0);
        for (int l0 = 0; l0 < vectorLen; l0 += GRAM_CHUNK) {
            int l1 = Math.min(vectorLen, l0 + GRAM_CHUNK);
            // Blocks of three rows against four columns: 12 FMA chains on 7 loads, so the FMAs,
            // not the loads, set the pace (24 chains measured no faster and risk spilling).
            // Indices past k repeat the last one; a repeated pair is computed from the same
            // partial sum and stores the same value.
            for (int i0 = 0; i0 < k; i0 += 3) {
                for (int j = i0; j < k; j += 4) {
                    gramThreeByFour(len, k, i0, j, l0, l1, a, partial);
                }
            }
        }
        for (int i = 0; i < k; i++) {
            int ai = i * len;
            for (int j = i; j < k; j++) {
                int bj = j * len;
                double d = DoubleVector.fromArray(SPECIES, partial, (i * k + j) * LANES)
                        .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                for (int l = vectorLen; l < len; l++) {
                    d += a[ai + l] * a[bj + l];
                }
                setSymmetric(c, k, i, j, d);
            }
        }
    }

    private static void gramThreeByFour(int len, int k, int i0, int j0, int l0, int l1, double[] a,
            double[] partial) {
        int last = k - 1;
        int i1 = Math.min(i0 + 1, last);
        int i2 = Math.min(i0 + 2, last);
        int r0 = i0 * len;
        int r1 = i1 * len;
        int r2 = i2 * len;
        int c0 = Math.min(j0, last);
        int c1 = Math.min(j0 + 1, last);
        int c2 = Math.min(j0 + 2, last);
        int c3 = Math.min(j0 + 3, last);
        int p0 = i0 * k;
        int p1 = i1 * k;
        int p2 = i2 * k;
        DoubleVector s00 = load(partial, p0 + c0);
        DoubleVector s01 = load(partial, p0 + c1);
        DoubleVector s02 = load(partial, p0 + c2);
        DoubleVector s03 = load(partial, p0 + c3);
        DoubleVector s10 = load(partial, p1 + c0);
        DoubleVector s11 = load(partial, p1 + c1);
        DoubleVector s12 = load(partial, p1 + c2);
        DoubleVector s13 = load(partial, p1 + c3);
        DoubleVector s20 = load(partial, p2 + c0);
        DoubleVector s21 = load(partial, p2 + c1);
        DoubleVector s22 = load(partial, p2 + c2);
        DoubleVector s23 = load(partial, p2 + c3);
        int o0 = c0 * len;
        int o1 = c1 * len;
        int o2 = c2 * len;
        int o3 = c3 * len;
        for (int l = l0; l < l1; l += LANES) {
            DoubleVector x0 = DoubleVector.fromArray(SPECIES, a, r0 + l);
            DoubleVector x1 = DoubleVector.fromArray(SPECIES, a, r1 + l);
            DoubleVector x2 = DoubleVector.fromArray(SPECIES, a, r2 + l);
            DoubleVector y = DoubleVector.fromArray(SPECIES, a, o0 + l);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            y = DoubleVector.fromArray(SPECIES, a, o1 + l);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            y = DoubleVector.fromArray(SPECIES, a, o2 + l);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
            y = DoubleVector.fromArray(SPECIES, a, o3 + l);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            s23 = x2.fma(y, s23);
        }
        s00.intoArray(partial, (p0 + c0) * LANES);
        s01.intoArray(partial, (p0 + c1) * LANES);
        s02.intoArray(partial, (p0 + c2) * LANES);
        s03.intoArray(partial, (p0 + c3) * LANES);
        s10.intoArray(partial, (p1 + c0) * LANES);
        s11.intoArray(partial, (p1 + c1) * LANES);
        s12.intoArray(partial, (p1 + c2) * LANES);
        s13.intoArray(partial, (p1 + c3) * LANES);
        s20.intoArray(partial, (p2 + c0) * LANES);
        s21.intoArray(partial, (p2 + c1) * LANES);
        s22.intoArray(partial, (p2 + c2) * LANES);
        s23.intoArray(partial, (p2 + c3) * LANES);
    }

    private static DoubleVector load(double[] partial, int pair) {
        return DoubleVector.fromArray(SPECIES, partial, pair * LANES);
    }

    /**
     * y (cols) = a^T x for a (rows x cols) column-major, four columns per pass over x so four
     * independent FMA chains hide the latency; each entry is the same chain, lane reduction and
     * scalar tail as {@link #dot}. Modifies y.
     */
    static void multiplyTransposedVectorColumnMajor(int rows, int cols, double[] a, double[] x, double[] y) {
        int vectorRows = rows - rows % LANES;
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
            for (int l = 0; l < vectorRows; l += LANES) {
                DoubleVector v = DoubleVector.fromArray(SPECIES, x, l);
                s0 = DoubleVector.fromArray(SPECIES, a, c0 + l).fma(v, s0);
                s1 = DoubleVector.fromArray(SPECIES, a, c1 + l).fma(v, s1);
                s2 = DoubleVector.fromArray(SPECIES, a, c2 + l).fma(v, s2);
                s3 = DoubleVector.fromArray(SPECIES, a, c3 + l).fma(v, s3);
            }
            double d0 = s0.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            double d1 = s1.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            double d2 = s2.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            double d3 = s3.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            for (int l = vectorRows; l < rows; l++) {
                double v = x[l];
                d0 += a[c0 + l] * v;
                d1 += a[c1 + l] * v;
                d2 += a[c2 + l] * v;
                d3 += a[c3 + l] * v;
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

    private static void setSymmetric(double[] c, int k, int i, int j, double value) {
        c[i * k + j] = value;
        c[j * k + i] = value;
    }
}
