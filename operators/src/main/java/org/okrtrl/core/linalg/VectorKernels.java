package org.okrtrl.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two products of the r-OK step written for the Java Vector API with register blocking:
 * they reach near the core's double-precision peak where general BLAS calls of these shapes
 * (many columns against a small square matrix; a tall matrix against a tiny one) do not. Only
 * loaded when the JVM has {@code jdk.incubator.vector}; {@link Dense} falls back to BLAS
 * otherwise. Column-major throughout; outputs are overwritten.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int ROW_BLOCK = 2 * LANES;
    private static final int WIDE_ROW_BLOCK = 4 * LANES;
    private static final int DEPTH_BLOCK = 64;

    private VectorKernels() {}

    /** Touches the Vector API so a missing module fails here, at probe time. */
    static int lanes() {
        return DoubleVector.zero(SPECIES).length();
    }

    /**
     * c (n x cols) = h (n x n) * x (n x cols). Row blocks of 4 vectors are the outer loop, so a
     * block of h (4 vectors x n) stays in L1 while every column of x streams past it; a 4 x 4
     * tile keeps 16 accumulators in registers (two loads per four FMAs). Each entry of c is summed
     * over j in order with FMAs from zero, whichever block computes it.
     */
    static void multiplySquareLeft(int n, int cols, double[] h, double[] x, double[] c) {
        int wideRows = n - n % WIDE_ROW_BLOCK;
        int wideCols = cols - cols % 4;
        for (int j0 = 0; j0 < n; j0 += DEPTH_BLOCK) {
            // Depth blocks keep a (4 vectors x DEPTH_BLOCK) panel of h in L1; partial sums
            // continue in c, so every entry is still summed over j in order.
            int j1 = Math.min(n, j0 + DEPTH_BLOCK);
            for (int row = 0; row < wideRows; row += WIDE_ROW_BLOCK) {
                for (int col = 0; col < wideCols; col += 4) {
                    wideFourColumns(n, row, col, j0, j1, h, x, c);
                }
            }
        }
        for (int row = 0; row < wideRows; row += WIDE_ROW_BLOCK) {
            int col = wideCols;
            for (; col < cols; col++) {
                oneColumn(n, row, col, h, x, c);
                oneColumn(n, row + ROW_BLOCK, col, h, x, c);
            }
        }
        int vectorRows = n - n % ROW_BLOCK;
        for (int row = wideRows; row < vectorRows; row += ROW_BLOCK) {
            int col = 0;
            for (; col + 4 <= cols; col += 4) {
                fourColumns(n, row, col, h, x, c);
            }
            for (; col < cols; col++) {
                oneColumn(n, row, col, h, x, c);
            }
        }
        for (int row = vectorRows; row < n; row++) {
            for (int cc = 0; cc < cols; cc++) {
                double s = 0;
                int xo = cc * n;
                for (int j = 0; j < n; j++) {
                    s += h[j * n + row] * x[xo + j];
                }
                c[xo + row] = s;
            }
        }
    }

    private static DoubleVector start(boolean first, double[] c, int offset) {
        return first ? DoubleVector.zero(SPECIES) : DoubleVector.fromArray(SPECIES, c, offset);
    }

    private static void wideFourColumns(int n, int row, int col, int j0, int j1, double[] h, double[] x,
            double[] c) {
        int x0 = col * n;
        int x1 = x0 + n;
        int x2 = x1 + n;
        int x3 = x2 + n;
        boolean first = j0 == 0;
        DoubleVector a00 = start(first, c, x0 + row);
        DoubleVector a10 = start(first, c, x0 + row + LANES);
        DoubleVector a20 = start(first, c, x0 + row + 2 * LANES);
        DoubleVector a30 = start(first, c, x0 + row + 3 * LANES);
        DoubleVector a01 = start(first, c, x1 + row);
        DoubleVector a11 = start(first, c, x1 + row + LANES);
        DoubleVector a21 = start(first, c, x1 + row + 2 * LANES);
        DoubleVector a31 = start(first, c, x1 + row + 3 * LANES);
        DoubleVector a02 = start(first, c, x2 + row);
        DoubleVector a12 = start(first, c, x2 + row + LANES);
        DoubleVector a22 = start(first, c, x2 + row + 2 * LANES);
        DoubleVector a32 = start(first, c, x2 + row + 3 * LANES);
        DoubleVector a03 = start(first, c, x3 + row);
        DoubleVector a13 = start(first, c, x3 + row + LANES);
        DoubleVector a23 = start(first, c, x3 + row + 2 * LANES);
        DoubleVector a33 = start(first, c, x3 + row + 3 * LANES);
        for (int j = j0; j < j1; j++) {
            int hj = j * n + row;
            DoubleVector h0 = DoubleVector.fromArray(SPECIES, h, hj);
            DoubleVector h1 = DoubleVector.fromArray(SPECIES, h, hj + LANES);
            DoubleVector h2 = DoubleVector.fromArray(SPECIES, h, hj + 2 * LANES);
            DoubleVector h3 = DoubleVector.fromArray(SPECIES, h, hj + 3 * LANES);
            DoubleVector b = DoubleVector.broadcast(SPECIES, x[x0 + j]);
            a00 = h0.fma(b, a00);
            a10 = h1.fma(b, a10);
            a20 = h2.fma(b, a20);
            a30 = h3.fma(b, a30);
            b = DoubleVector.broadcast(SPECIES, x[x1 + j]);
            a01 = h0.fma(b, a01);
            a11 = h1.fma(b, a11);
            a21 = h2.fma(b, a21);
            a31 = h3.fma(b, a31);
            b = DoubleVector.broadcast(SPECIES, x[x2 + j]);
            a02 = h0.fma(b, a02);
            a12 = h1.fma(b, a12);
            a22 = h2.fma(b, a22);
            a32 = h3.fma(b, a32);
            b = DoubleVector.broadcast(SPECIES, x[x3 + j]);
            a03 = h0.fma(b, a03);
            a13 = h1.fma(b, a13);
            a23 = h2.fma(b, a23);
            a33 = h3.fma(b, a33);
        }
        a00.intoArray(c, x0 + row);
        a10.intoArray(c, x0 + row + LANES);
        a20.intoArray(c, x0 + row + 2 * LANES);
        a30.intoArray(c, x0 + row + 3 * LANES);
        a01.intoArray(c, x1 + row);
        a11.intoArray(c, x1 + row + LANES);
        a21.intoArray(c, x1 + row + 2 * LANES);
        a31.intoArray(c, x1 + row + 3 * LANES);
        a02.intoArray(c, x2 + row);
        a12.intoArray(c, x2 + row + LANES);
        a22.intoArray(c, x2 + row + 2 * LANES);
        a32.intoArray(c, x2 + row + 3 * LANES);
        a03.intoArray(c, x3 + row);
        a13.intoArray(c, x3 + row + LANES);
        a23.intoArray(c, x3 + row + 2 * LANES);
        a33.intoArray(c, x3 + row + 3 * LANES);
    }

    private static void fourColumns(int n, int row, int col, double[] h, double[] x, double[] c) {
        int x0 = col * n;
        int x1 = x0 + n;
        int x2 = x1 + n;
        int x3 = x2 + n;
        DoubleVector a00 = DoubleVector.zero(SPECIES);
        DoubleVector a01 = a00;
        DoubleVector a02 = a00;
        DoubleVector a03 = a00;
        DoubleVector a10 = a00;
        DoubleVector a11 = a00;
        DoubleVector a12 = a00;
        DoubleVector a13 = a00;
        for (int j = 0; j < n; j++) {
            DoubleVector h0 = DoubleVector.fromArray(SPECIES, h, j * n + row);
            DoubleVector h1 = DoubleVector.fromArray(SPECIES, h, j * n + row + LANES);
            DoubleVector b = DoubleVector.broadcast(SPECIES, x[x0 + j]);
            a00 = h0.fma(b, a00);
            a10 = h1.fma(b, a10);
            b = DoubleVector.broadcast(SPECIES, x[x1 + j]);
            a01 = h0.fma(b, a01);
            a11 = h1.fma(b, a11);
            b = DoubleVector.broadcast(SPECIES, x[x2 + j]);
            a02 = h0.fma(b, a02);
            a12 = h1.fma(b, a12);
            b = DoubleVector.broadcast(SPECIES, x[x3 + j]);
            a03 = h0.fma(b, a03);
            a13 = h1.fma(b, a13);
        }
        a00.intoArray(c, x0 + row);
        a10.intoArray(c, x0 + row + LANES);
        a01.intoArray(c, x1 + row);
        a11.intoArray(c, x1 + row + LANES);
        a02.intoArray(c, x2 + row);
        a12.intoArray(c, x2 + row + LANES);
        a03.intoArray(c, x3 + row);
        a13.intoArray(c, x3 + row + LANES);
    }

    private static void oneColumn(int n, int row, int col, double[] h, double[] x, double[] c) {
        int x0 = col * n;
        DoubleVector a0 = DoubleVector.zero(SPECIES);
        DoubleVector a1 = a0;
        for (int j = 0; j < n; j++) {
            DoubleVector b = DoubleVector.broadcast(SPECIES, x[x0 + j]);
            a0 = DoubleVector.fromArray(SPECIES, h, j * n + row).fma(b, a0);
            a1 = DoubleVector.fromArray(SPECIES, h, j * n + row + LANES).fma(b, a1);
        }
        a0.intoArray(c, x0 + row);
        a1.intoArray(c, x0 + row + LANES);
    }

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
            fourOutputs(len, k, l0, vectorLen, t, m, out);
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

    private static void fourOutputs(int len, int k, int l0, int vectorLen, double[] t, double[] m, double[] out) {
        int m0 = l0 * k;
        for (int i = 0; i < vectorLen; i += LANES) {
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
        for (int i = 0; i < vectorLen; i += LANES) {
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            DoubleVector a4 = a0;
            DoubleVector a5 = a0;
            DoubleVector a6 = a0;
            DoubleVector a7 = a0;
            for (int j = 0; j < k; j++) {
                DoubleVector v = DoubleVector.fromArray(SPECIES, t, j * len + i);
                int mj = m0 + j;
                a0 = v.fma(DoubleVector.broadcast(SPECIES, m[mj]), a0);
                a1 = v.fma(DoubleVector.broadcast(SPECIES, m[mj + k]), a1);
                a2 = v.fma(DoubleVector.broadcast(SPECIES, m[mj + 2 * k]), a2);
                a3 = v.fma(DoubleVector.broadcast(SPECIES, m[mj + 3 * k]), a3);
                a4 = v.fma(DoubleVector.broadcast(SPECIES, m[mj + 4 * k]), a4);
                a5 = v.fma(DoubleVector.broadcast(SPECIES, m[mj + 5 * k]), a5);
                a6 = v.fma(DoubleVector.broadcast(SPECIES, m[mj + 6 * k]), a6);
                a7 = v.fma(DoubleVector.broadcast(SPECIES, m[mj + 7 * k]), a7);
            }
            int o = l0 * len + i;
            a0.intoArray(out, o);
            a1.intoArray(out, o + len);
            a2.intoArray(out, o + 2 * len);
            a3.intoArray(out, o + 3 * len);
            a4.intoArray(out, o + 4 * len);
            a5.intoArray(out, o + 5 * len);
            a6.intoArray(out, o + 6 * len);
            a7.intoArray(out, o + 7 * len);
        }
    }

    /**
     * c (k x k, symmetric) = a^T a for the k columns of a, each of length len: the Gram matrices
     * of the OK reduction. Four column pairs share each load of column i.
     */
    static void gram(int len, int k, double[] a, double[] c) {
        int vectorLen = len - len % LANES;
        for (int i = 0; i < k; i++) {
            int ai = i * len;
            int j = i;
            for (; j + 3 < k; j += 4) {
                int b0 = j * len;
                int b1 = b0 + len;
                int b2 = b1 + len;
                int b3 = b2 + len;
                DoubleVector s0 = DoubleVector.zero(SPECIES);
                DoubleVector s1 = s0;
                DoubleVector s2 = s0;
                DoubleVector s3 = s0;
                for (int l = 0; l < vectorLen; l += LANES) {
                    DoubleVector x = DoubleVector.fromArray(SPECIES, a, ai + l);
                    s0 = x.fma(DoubleVector.fromArray(SPECIES, a, b0 + l), s0);
                    s1 = x.fma(DoubleVector.fromArray(SPECIES, a, b1 + l), s1);
                    s2 = x.fma(DoubleVector.fromArray(SPECIES, a, b2 + l), s2);
                    s3 = x.fma(DoubleVector.fromArray(SPECIES, a, b3 + l), s3);
                }
                double d0 = s0.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                double d1 = s1.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                double d2 = s2.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                double d3 = s3.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                for (int l = vectorLen; l < len; l++) {
                    double x = a[ai + l];
                    d0 += x * a[b0 + l];
                    d1 += x * a[b1 + l];
                    d2 += x * a[b2 + l];
                    d3 += x * a[b3 + l];
                }
                setSymmetric(c, k, i, j, d0);
                setSymmetric(c, k, i, j + 1, d1);
                setSymmetric(c, k, i, j + 2, d2);
                setSymmetric(c, k, i, j + 3, d3);
            }
            for (; j < k; j++) {
                setSymmetric(c, k, i, j, dot(len, a, ai, a, j * len));
            }
        }
    }

    private static void setSymmetric(double[] c, int k, int i, int j, double value) {
        c[i * k + j] = value;
        c[j * k + i] = value;
    }

    /** Dot product of len entries from the given offsets. */
    static double dot(int len, double[] x, int xOffset, double[] y, int yOffset) {
        int vectorLen = len - len % LANES;
        DoubleVector s = DoubleVector.zero(SPECIES);
        for (int l = 0; l < vectorLen; l += LANES) {
            s = DoubleVector.fromArray(SPECIES, x, xOffset + l).fma(DoubleVector.fromArray(SPECIES, y, yOffset + l), s);
        }
        double d = s.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (int l = vectorLen; l < len; l++) {
            d += x[xOffset + l] * y[yOffset + l];
        }
        return d;
    }

    /**
     * c (m x n, column-major) = sum over s < k of a_s b_s^T, with a (m x k) and b (n x k)
     * column-major: the gradient of a Kronecker sum, sum_s u_s (A_s^T delta)^T.
     */
    static void sumOfOuterProducts(int m, int n, int k, double[] a, double[] b, double[] c) {
        int vectorLen = m - m % LANES;
        for (int j = 0; j < n; j++) {
            int cj = j * m;
            for (int i = 0; i < vectorLen; i += LANES) {
                DoubleVector acc = DoubleVector.zero(SPECIES);
                for (int s = 0; s < k; s++) {
                    acc = DoubleVector.fromArray(SPECIES, a, s * m + i)
                            .fma(DoubleVector.broadcast(SPECIES, b[s * n + j]), acc);
                }
                acc.intoArray(c, cj + i);
            }
            for (int i = vectorLen; i < m; i++) {
                double sum = 0;
                for (int s = 0; s < k; s++) {
                    sum += a[s * m + i] * b[s * n + j];
                }
                c[cj + i] = sum;
            }
        }
    }

    /** c (m x n, column-major) += sum over s < k of a_s b_s^T; see {@link #sumOfOuterProducts}. */
    static void addSumOfOuterProducts(int m, int n, int k, double[] a, double[] b, double[] c) {
        int vectorLen = m - m % LANES;
        for (int j = 0; j < n; j++) {
            int cj = j * m;
            for (int i = 0; i < vectorLen; i += LANES) {
                DoubleVector acc = DoubleVector.fromArray(SPECIES, c, cj + i);
                for (int s = 0; s < k; s++) {
                    acc = DoubleVector.fromArray(SPECIES, a, s * m + i)
                            .fma(DoubleVector.broadcast(SPECIES, b[s * n + j]), acc);
                }
                acc.intoArray(c, cj + i);
            }
            for (int i = vectorLen; i < m; i++) {
                double sum = c[cj + i];
                for (int s = 0; s < k; s++) {
                    sum += a[s * m + i] * b[s * n + j];
                }
                c[cj + i] = sum;
            }
        }
    }
}
