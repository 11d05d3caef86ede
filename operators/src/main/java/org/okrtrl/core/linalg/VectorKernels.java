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
    private static final int TALL_ROW_BLOCK = 8 * LANES;
    private static final int DEPTH_BLOCK = 64;
    /** Doubles per column per Gram chunk: 9 columns of 4 KB sit in L1 together. */
    private static final int GRAM_CHUNK = 512;

    private VectorKernels() {}

    /** Touches the Vector API so a missing module fails here, at probe time. */
    static int lanes() {
        return DoubleVector.zero(SPECIES).length();
    }

    /**
     * c (n x cols) = h (n x n) * x (n x cols). Row blocks are the outer loop, so a packed panel
     * of h (rows x DEPTH_BLOCK) stays in L1 while every column of x streams past it. Blocks of 8
     * vectors take 3 columns at a time (24 accumulators; 11 loads per 24 FMAs), the rows left
     * over blocks of 4 vectors with 4 columns (16 accumulators). Each entry of c is summed over j
     * in order with FMAs from zero, whichever block computes it. Modifies c and panel.
     */
    static void multiplySquareLeft(int n, int cols, double[] h, double[] x, double[] c, double[] panel) {
        int tallRows = n - n % TALL_ROW_BLOCK;
        int tallCols = cols - cols % 3;
        int wideRows = n - n % WIDE_ROW_BLOCK;
        int wideCols = cols - cols % 4;
        for (int j0 = 0; j0 < n; j0 += DEPTH_BLOCK) {
            // Depth blocks keep a (rows x DEPTH_BLOCK) panel of h in L1; partial sums
            // continue in c, so every entry is still summed over j in order.
            int j1 = Math.min(n, j0 + DEPTH_BLOCK);
            for (int row = 0; row < tallRows; row += TALL_ROW_BLOCK) {
                packPanel(n, row, TALL_ROW_BLOCK, j0, j1, h, panel);
                for (int col = 0; col < tallCols; col += 3) {
                    tallThreeColumns(n, row, col, j0, j1, panel, x, c);
                }
            }
            for (int row = tallRows; row < wideRows; row += WIDE_ROW_BLOCK) {
                packPanel(n, row, WIDE_ROW_BLOCK, j0, j1, h, panel);
                for (int col = 0; col < wideCols; col += 4) {
                    wideFourColumns(n, row, col, j0, j1, panel, x, c);
                }
            }
        }
        for (int row = 0; row < tallRows; row += ROW_BLOCK) {
            for (int col = tallCols; col < cols; col++) {
                oneColumn(n, row, col, h, x, c);
            }
        }
        for (int row = tallRows; row < wideRows; row += WIDE_ROW_BLOCK) {
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

    /** Doubles of scratch {@link #multiplySquareLeft} needs. */
    static int panelLength() {
        return TALL_ROW_BLOCK * DEPTH_BLOCK;
    }

    /**
     * Copies rows [row, row + 4 vectors) of h's columns j0..j1 contiguously into panel. Read in
     * place, those rows lie n doubles apart, and for n a multiple of 128 they fall into a
     * quarter of L1's sets and evict one another (the product ran at 60 instead of 85 GFLOP/s).
     */
    private static void packPanel(int n, int row, int rows, int j0, int j1, double[] h, double[] panel) {
        for (int j = j0; j < j1; j++) {
            System.arraycopy(h, j * n + row, panel, (j - j0) * rows, rows);
        }
    }

    /**
     * Rows [row, row + 8 vectors) of columns col..col + 2: 24 accumulators, so each of the 8
     * panel loads and 3 broadcasts per j feeds 24 FMAs (the 4 x 4 tile has one load per two).
     */
    private static void tallThreeColumns(int n, int row, int col, int j0, int j1, double[] panel, double[] x,
            double[] c) {
        int x0 = col * n;
        int x1 = x0 + n;
        int x2 = x1 + n;
        boolean first = j0 == 0;
        int r0 = x0 + row;
        int r1 = x1 + row;
        int r2 = x2 + row;
        DoubleVector a00 = start(first, c, r0);
        DoubleVector a10 = start(first, c, r0 + LANES);
        DoubleVector a20 = start(first, c, r0 + 2 * LANES);
        DoubleVector a30 = start(first, c, r0 + 3 * LANES);
        DoubleVector a40 = start(first, c, r0 + 4 * LANES);
        DoubleVector a50 = start(first, c, r0 + 5 * LANES);
        DoubleVector a60 = start(first, c, r0 + 6 * LANES);
        DoubleVector a70 = start(first, c, r0 + 7 * LANES);
        DoubleVector a01 = start(first, c, r1);
        DoubleVector a11 = start(first, c, r1 + LANES);
        DoubleVector a21 = start(first, c, r1 + 2 * LANES);
        DoubleVector a31 = start(first, c, r1 + 3 * LANES);
        DoubleVector a41 = start(first, c, r1 + 4 * LANES);
        DoubleVector a51 = start(first, c, r1 + 5 * LANES);
        DoubleVector a61 = start(first, c, r1 + 6 * LANES);
        DoubleVector a71 = start(first, c, r1 + 7 * LANES);
        DoubleVector a02 = start(first, c, r2);
        DoubleVector a12 = start(first, c, r2 + LANES);
        DoubleVector a22 = start(first, c, r2 + 2 * LANES);
        DoubleVector a32 = start(first, c, r2 + 3 * LANES);
        DoubleVector a42 = start(first, c, r2 + 4 * LANES);
        DoubleVector a52 = start(first, c, r2 + 5 * LANES);
        DoubleVector a62 = start(first, c, r2 + 6 * LANES);
        DoubleVector a72 = start(first, c, r2 + 7 * LANES);
        for (int j = j0; j < j1; j++) {
            int hj = (j - j0) * TALL_ROW_BLOCK;
            DoubleVector b0 = DoubleVector.broadcast(SPECIES, x[x0 + j]);
            DoubleVector b1 = DoubleVector.broadcast(SPECIES, x[x1 + j]);
            DoubleVector b2 = DoubleVector.broadcast(SPECIES, x[x2 + j]);
            DoubleVector v = DoubleVector.fromArray(SPECIES, panel, hj);
            a00 = v.fma(b0, a00);
            a01 = v.fma(b1, a01);
            a02 = v.fma(b2, a02);
            v = DoubleVector.fromArray(SPECIES, panel, hj + LANES);
            a10 = v.fma(b0, a10);
            a11 = v.fma(b1, a11);
            a12 = v.fma(b2, a12);
            v = DoubleVector.fromArray(SPECIES, panel, hj + 2 * LANES);
            a20 = v.fma(b0, a20);
            a21 = v.fma(b1, a21);
            a22 = v.fma(b2, a22);
            v = DoubleVector.fromArray(SPECIES, panel, hj + 3 * LANES);
            a30 = v.fma(b0, a30);
            a31 = v.fma(b1, a31);
            a32 = v.fma(b2, a32);
            v = DoubleVector.fromArray(SPECIES, panel, hj + 4 * LANES);
            a40 = v.fma(b0, a40);
            a41 = v.fma(b1, a41);
            a42 = v.fma(b2, a42);
            v = DoubleVector.fromArray(SPECIES, panel, hj + 5 * LANES);
            a50 = v.fma(b0, a50);
            a51 = v.fma(b1, a51);
            a52 = v.fma(b2, a52);
            v = DoubleVector.fromArray(SPECIES, panel, hj + 6 * LANES);
            a60 = v.fma(b0, a60);
            a61 = v.fma(b1, a61);
            a62 = v.fma(b2, a62);
            v = DoubleVector.fromArray(SPECIES, panel, hj + 7 * LANES);
            a70 = v.fma(b0, a70);
            a71 = v.fma(b1, a71);
            a72 = v.fma(b2, a72);
        }
        a00.intoArray(c, r0);
        a10.intoArray(c, r0 + LANES);
        a20.intoArray(c, r0 + 2 * LANES);
        a30.intoArray(c, r0 + 3 * LANES);
        a40.intoArray(c, r0 + 4 * LANES);
        a50.intoArray(c, r0 + 5 * LANES);
        a60.intoArray(c, r0 + 6 * LANES);
        a70.intoArray(c, r0 + 7 * LANES);
        a01.intoArray(c, r1);
        a11.intoArray(c, r1 + LANES);
        a21.intoArray(c, r1 + 2 * LANES);
        a31.intoArray(c, r1 + 3 * LANES);
        a41.intoArray(c, r1 + 4 * LANES);
        a51.intoArray(c, r1 + 5 * LANES);
        a61.intoArray(c, r1 + 6 * LANES);
        a71.intoArray(c, r1 + 7 * LANES);
        a02.intoArray(c, r2);
        a12.intoArray(c, r2 + LANES);
        a22.intoArray(c, r2 + 2 * LANES);
        a32.intoArray(c, r2 + 3 * LANES);
        a42.intoArray(c, r2 + 4 * LANES);
        a52.intoArray(c, r2 + 5 * LANES);
        a62.intoArray(c, r2 + 6 * LANES);
        a72.intoArray(c, r2 + 7 * LANES);
    }

    private static DoubleVector start(boolean first, double[] c, int offset) {
        return first ? DoubleVector.zero(SPECIES) : DoubleVector.fromArray(SPECIES, c, offset);
    }

    private static void wideFourColumns(int n, int row, int col, int j0, int j1, double[] panel, double[] x,
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
            int hj = (j - j0) * WIDE_ROW_BLOCK;
            DoubleVector h0 = DoubleVector.fromArray(SPECIES, panel, hj);
            DoubleVector h1 = DoubleVector.fromArray(SPECIES, panel, hj + LANES);
            DoubleVector h2 = DoubleVector.fromArray(SPECIES, panel, hj + 2 * LANES);
            DoubleVector h3 = DoubleVector.fromArray(SPECIES, panel, hj + 3 * LANES);
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
        int i = 0;
        // Two vector positions per pass share each broadcast of m: the loads no longer outnumber the FMAs.
        for (; i + LANES < vectorLen; i += 2 * LANES) {
            eightOutputsTwice(len, k, m0, i, t, m, out, l0 * len + i);
        }
        for (; i < vectorLen; i += LANES) {
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
            y[j] = dot(rows, a, j * rows, x, 0);
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

    /**
     * c (m x n, column-major) += sum over s < k of a_s b_s^T; see {@link #sumOfOuterProducts}.
     * Terms go eight at a time with sixteen rows of their a_s held in registers while every
     * column of c passes by; each entry still adds its terms in order of s, starting from c.
     */
    static void addSumOfOuterProducts(int m, int n, int k, double[] a, double[] b, double[] c) {
        int vectorLen = m - m % LANES;
        int pairedLen = m - m % (2 * LANES);
        int s0 = 0;
        for (; s0 + 8 <= k; s0 += 8) {
            for (int i = 0; i < pairedLen; i += 2 * LANES) {
                addEightOuterProducts(m, n, s0, i, a, b, c);
            }
            addOuterProducts(m, n, s0, s0 + 8, pairedLen, vectorLen, a, b, c);
        }
        if (s0 < k) {
            addOuterProducts(m, n, s0, k, 0, vectorLen, a, b, c);
        }
    }

    /** c += sum over s in [sFrom, sTo) of a_s b_s^T on rows [iFrom, m), vector rows below vectorLen. */
    private static void addOuterProducts(int m, int n, int sFrom, int sTo, int iFrom, int vectorLen, double[] a,
            double[] b, double[] c) {
        for (int j = 0; j < n; j++) {
            int cj = j * m;
            for (int i = iFrom; i < vectorLen; i += LANES) {
                DoubleVector acc = DoubleVector.fromArray(SPECIES, c, cj + i);
                for (int s = sFrom; s < sTo; s++) {
                    acc = DoubleVector.fromArray(SPECIES, a, s * m + i)
                            .fma(DoubleVector.broadcast(SPECIES, b[s * n + j]), acc);
                }
                acc.intoArray(c, cj + i);
            }
            for (int i = Math.max(iFrom, vectorLen); i < m; i++) {
                double sum = c[cj + i];
                for (int s = sFrom; s < sTo; s++) {
                    sum += a[s * m + i] * b[s * n + j];
                }
                c[cj + i] = sum;
            }
        }
    }

    private static void addEightOuterProducts(int m, int n, int s0, int i, double[] a, double[] b, double[] c) {
        int a0 = s0 * m + i;
        DoubleVector u0 = DoubleVector.fromArray(SPECIES, a, a0);
        DoubleVector v0 = DoubleVector.fromArray(SPECIES, a, a0 + LANES);
        DoubleVector u1 = DoubleVector.fromArray(SPECIES, a, a0 + m);
        DoubleVector v1 = DoubleVector.fromArray(SPECIES, a, a0 + m + LANES);
        DoubleVector u2 = DoubleVector.fromArray(SPECIES, a, a0 + 2 * m);
        DoubleVector v2 = DoubleVector.fromArray(SPECIES, a, a0 + 2 * m + LANES);
        DoubleVector u3 = DoubleVector.fromArray(SPECIES, a, a0 + 3 * m);
        DoubleVector v3 = DoubleVector.fromArray(SPECIES, a, a0 + 3 * m + LANES);
        DoubleVector u4 = DoubleVector.fromArray(SPECIES, a, a0 + 4 * m);
        DoubleVector v4 = DoubleVector.fromArray(SPECIES, a, a0 + 4 * m + LANES);
        DoubleVector u5 = DoubleVector.fromArray(SPECIES, a, a0 + 5 * m);
        DoubleVector v5 = DoubleVector.fromArray(SPECIES, a, a0 + 5 * m + LANES);
        DoubleVector u6 = DoubleVector.fromArray(SPECIES, a, a0 + 6 * m);
        DoubleVector v6 = DoubleVector.fromArray(SPECIES, a, a0 + 6 * m + LANES);
        DoubleVector u7 = DoubleVector.fromArray(SPECIES, a, a0 + 7 * m);
        DoubleVector v7 = DoubleVector.fromArray(SPECIES, a, a0 + 7 * m + LANES);
        int b0 = s0 * n;
        for (int j = 0; j < n; j++) {
            int cj = j * m + i;
            DoubleVector x = DoubleVector.fromArray(SPECIES, c, cj);
            DoubleVector y = DoubleVector.fromArray(SPECIES, c, cj + LANES);
            int bj = b0 + j;
            DoubleVector w = DoubleVector.broadcast(SPECIES, b[bj]);
            x = u0.fma(w, x);
            y = v0.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + n]);
            x = u1.fma(w, x);
            y = v1.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 2 * n]);
            x = u2.fma(w, x);
            y = v2.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 3 * n]);
            x = u3.fma(w, x);
            y = v3.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 4 * n]);
            x = u4.fma(w, x);
            y = v4.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 5 * n]);
            x = u5.fma(w, x);
            y = v5.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 6 * n]);
            x = u6.fma(w, x);
            y = v6.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 7 * n]);
            x = u7.fma(w, x);
            y = v7.fma(w, y);
            x.intoArray(c, cj);
            y.intoArray(c, cj + LANES);
        }
    }

    /** The vector part of {@link Dense#adamUpdate}; returns the first index it left to the caller. */
    static int adamUpdate(int len, double[] theta, double[] grad, double[] m, double[] v, double beta1, double beta2,
            double stepSize, double epsilon) {
        int vectorLen = SPECIES.loopBound(len);
        double oneMinusBeta1 = 1 - beta1;
        double oneMinusBeta2 = 1 - beta2;
        for (int i = 0; i < vectorLen; i += LANES) {
            DoubleVector g = DoubleVector.fromArray(SPECIES, grad, i);
            DoubleVector mi = DoubleVector.fromArray(SPECIES, m, i).mul(beta1).add(g.mul(oneMinusBeta1));
            // (1 - beta2) g g, multiplied left to right as the scalar loop does.
            DoubleVector vi = DoubleVector.fromArray(SPECIES, v, i).mul(beta2).add(g.mul(oneMinusBeta2).mul(g));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            DoubleVector step = mi.mul(stepSize).div(vi.sqrt().add(epsilon));
            DoubleVector.fromArray(SPECIES, theta, i).sub(step).intoArray(theta, i);
        }
        return vectorLen;
    }
}
