package org.okrtrl.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * c += sum over s < k of a_s b_s^T for long k, with each block of c held in registers for the
 * whole sum: the batch form of {@link VectorKernels#addSumOfOuterProducts}, which reads and
 * writes c once per call. Every entry is the same chain as a sequence of those calls over the
 * same terms (FMAs in s order on vector rows, multiply-then-add on the scalar rows), so the
 * result is bit-identical to adding the terms call by call.
 */
final class OuterProductKernel {
    private static final VectorSpecies<Double> SPECIES = DoubleLanes.SPECIES;
    private static final int LANES = DoubleLanes.LANES;

    private OuterProductKernel() {}

    /**
     * c (m x n, column-major; modified) += a b^T with a (m x k) and b (n x k) column-major (not
     * modified).
     */
    static void add(int m, int n, int k, double[] a, double[] b, double[] c) {
        int vectorLen = m - m % LANES;
        int i = 0;
        for (; i + 4 * LANES <= vectorLen; i += 4 * LANES) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                fourByFour(m, n, k, i, j, a, b, c);
            }
            for (; j < n; j++) {
                rowsOfOneColumn(m, n, k, i, i + 4 * LANES, j, a, b, c);
            }
        }
        for (int j = 0; j < n && i < vectorLen; j++) {
            rowsOfOneColumn(m, n, k, i, vectorLen, j, a, b, c);
        }
        for (int j = 0; j < n; j++) {
            int cj = j * m;
            for (int row = vectorLen; row < m; row++) {
                double sum = c[cj + row];
                for (int s = 0; s < k; s++) {
                    sum += a[s * m + row] * b[s * n + j];
                }
                c[cj + row] = sum;
            }
        }
    }

    /** Rows [i, i + 4 LANES) of columns j .. j + 3: sixteen accumulators over all k terms. */
    private static void fourByFour(int m, int n, int k, int i, int j, double[] a, double[] b, double[] c) {
        int c0 = j * m + i;
        int c1 = c0 + m;
        int c2 = c1 + m;
        int c3 = c2 + m;
        DoubleVector x00 = DoubleVector.fromArray(SPECIES, c, c0);
        DoubleVector x10 = DoubleVector.fromArray(SPECIES, c, c0 + LANES);
        DoubleVector x20 = DoubleVector.fromArray(SPECIES, c, c0 + 2 * LANES);
        DoubleVector x30 = DoubleVector.fromArray(SPECIES, c, c0 + 3 * LANES);
        DoubleVector x01 = DoubleVector.fromArray(SPECIES, c, c1);
        DoubleVector x11 = DoubleVector.fromArray(SPECIES, c, c1 + LANES);
        DoubleVector x21 = DoubleVector.fromArray(SPECIES, c, c1 + 2 * LANES);
        DoubleVector x31 = DoubleVector.fromArray(SPECIES, c, c1 + 3 * LANES);
        DoubleVector x02 = DoubleVector.fromArray(SPECIES, c, c2);
        DoubleVector x12 = DoubleVector.fromArray(SPECIES, c, c2 + LANES);
        DoubleVector x22 = DoubleVector.fromArray(SPECIES, c, c2 + 2 * LANES);
        DoubleVector x32 = DoubleVector.fromArray(SPECIES, c, c2 + 3 * LANES);
        DoubleVector x03 = DoubleVector.fromArray(SPECIES, c, c3);
        DoubleVector x13 = DoubleVector.fromArray(SPECIES, c, c3 + LANES);
        DoubleVector x23 = DoubleVector.fromArray(SPECIES, c, c3 + 2 * LANES);
        DoubleVector x33 = DoubleVector.fromArray(SPECIES, c, c3 + 3 * LANES);
        for (int s = 0; s < k; s++) {
            int as = s * m + i;
            DoubleVector a0 = DoubleVector.fromArray(SPECIES, a, as);
            DoubleVector a1 = DoubleVector.fromArray(SPECIES, a, as + LANES);
            DoubleVector a2 = DoubleVector.fromArray(SPECIES, a, as + 2 * LANES);
            DoubleVector a3 = DoubleVector.fromArray(SPECIES, a, as + 3 * LANES);
            int bs = s * n + j;
            DoubleVector w = DoubleVector.broadcast(SPECIES, b[bs]);
            x00 = a0.fma(w, x00);
            x10 = a1.fma(w, x10);
            x20 = a2.fma(w, x20);
            x30 = a3.fma(w, x30);
            w = DoubleVector.broadcast(SPECIES, b[bs + 1]);
            x01 = a0.fma(w, x01);
            x11 = a1.fma(w, x11);
            x21 = a2.fma(w, x21);
            x31 = a3.fma(w, x31);
            w = DoubleVector.broadcast(SPECIES, b[bs + 2]);
            x02 = a0.fma(w, x02);
            x12 = a1.fma(w, x12);
            x22 = a2.fma(w, x22);
            x32 = a3.fma(w, x32);
            w = DoubleVector.broadcast(SPECIES, b[bs + 3]);
            x03 = a0.fma(w, x03);
            x13 = a1.fma(w, x13);
            x23 = a2.fma(w, x23);
            x33 = a3.fma(w, x33);
        }
        x00.intoArray(c, c0);
        x10.intoArray(c, c0 + LANES);
        x20.intoArray(c, c0 + 2 * LANES);
        x30.intoArray(c, c0 + 3 * LANES);
        x01.intoArray(c, c1);
        x11.intoArray(c, c1 + LANES);
        x21.intoArray(c, c1 + 2 * LANES);
        x31.intoArray(c, c1 + 3 * LANES);
        x02.intoArray(c, c2);
        x12.intoArray(c, c2 + LANES);
        x22.intoArray(c, c2 + 2 * LANES);
        x32.intoArray(c, c2 + 3 * LANES);
        x03.intoArray(c, c3);
        x13.intoArray(c, c3 + LANES);
        x23.intoArray(c, c3 + 2 * LANES);
        x33.intoArray(c, c3 + 3 * LANES);
    }

    /** Vector rows [from, to) of column j, one accumulator per vector, over all k terms. */
    private static void rowsOfOneColumn(int m, int n, int k, int from, int to, int j, double[] a, double[] b,
            double[] c) {
        int cj = j * m;
        for (int i = from; i < to; i += LANES) {
            DoubleVector acc = DoubleVector.fromArray(SPECIES, c, cj + i);
            for (int s = 0; s < k; s++) {
                acc = DoubleVector.fromArray(SPECIES, a, s * m + i)
                        .fma(DoubleVector.broadcast(SPECIES, b[s * n + j]), acc);
            }
            acc.intoArray(c, cj + i);
        }
    }
}
