package org.okrtrl.core.linalg;

import jdk.incubator.vector.DoubleVector;

/**
 * The influence product H_t [A_1 ... A_r] (a small square matrix times many columns) for the
 * Java Vector API, with a packed panel of H_t and register tiles; near the core's double peak
 * where a general BLAS call of this shape is not. Column-major; outputs are overwritten.
 */
final class SquareProductKernel {
    private static final int LANES = VectorKernels.LANES;
    private static final jdk.incubator.vector.VectorSpecies<Double> SPECIES = VectorKernels.SPECIES;
    private static final int ROW_BLOCK = 2 * LANES;
    private static final int WIDE_ROW_BLOCK = 4 * LANES;
    private static final int TALL_ROW_BLOCK = 8 * LANES;
    private static final int DEPTH_BLOCK = 64;

    /** The packed panel of each thread, used from {@link AlignedScratch#START}. */
    private static final ThreadLocal<double[]> PANEL = ThreadLocal.withInitial(
            () -> new double[AlignedScratch.allocationLength(TALL_ROW_BLOCK * DEPTH_BLOCK)]);

    private SquareProductKernel() {}

    /**
     * c (n x cols) = h (n x n) * x (n x cols). Row blocks are the outer loop, so a packed panel
     * of h (rows x DEPTH_BLOCK) stays in L1 while every column of x streams past it. Blocks of 8
     * vectors take 3 columns at a time (24 accumulators; 11 loads per 24 FMAs), the rows left
     * over blocks of 4 vectors with 4 columns (16 accumulators). Each entry of c is summed over j
     * in order with FMAs from zero, whichever block computes it. Modifies c.
     */
    static void multiplySquareLeft(int n, int cols, double[] h, double[] x, double[] c) {
        double[] panel = PANEL.get();
        int start = AlignedScratch.START;
        int tallRows = n - n % TALL_ROW_BLOCK;
        int tallCols = cols - cols % 3;
        int wideRows = n - n % WIDE_ROW_BLOCK;
        int wideCols = cols - cols % 4;
        for (int j0 = 0; j0 < n; j0 += DEPTH_BLOCK) {
            // Depth blocks keep a (rows x DEPTH_BLOCK) panel of h in L1; partial sums
            // continue in c, so every entry is still summed over j in order.
            int j1 = Math.min(n, j0 + DEPTH_BLOCK);
            for (int row = 0; row < tallRows; row += TALL_ROW_BLOCK) {
                packPanel(n, row, TALL_ROW_BLOCK, j0, j1, h, panel, start);
                for (int col = 0; col < tallCols; col += 3) {
                    tallThreeColumns(n, row, col, j0, j1, panel, start, x, c);
                }
            }
            for (int row = tallRows; row < wideRows; row += WIDE_ROW_BLOCK) {
                packPanel(n, row, WIDE_ROW_BLOCK, j0, j1, h, panel, start);
                for (int col = 0; col < wideCols; col += 4) {
                    wideFourColumns(n, row, col, j0, j1, panel, start, x, c);
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

    /**
     * Copies rows [row, row + 4 vectors) of h's columns j0..j1 contiguously into panel. Read in
     * place, those rows lie n doubles apart, and for n a multiple of 128 they fall into a
     * quarter of L1's sets and evict one another (the product ran at 60 instead of 85 GFLOP/s).
     */
    private static void packPanel(int n, int row, int rows, int j0, int j1, double[] h, double[] panel, int start) {
        for (int j = j0; j < j1; j++) {
            System.arraycopy(h, j * n + row, panel, start + (j - j0) * rows, rows);
        }
    }

    /**
     * Rows [row, row + 8 vectors) of columns col..col + 2: 24 accumulators, so each of the 8
     * panel loads and 3 broadcasts per j feeds 24 FMAs (the 4 x 4 tile has one load per two).
     */
    private static void tallThreeColumns(int n, int row, int col, int j0, int j1, double[] panel, int start,
            double[] x, double[] c) {
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
            int hj = start + (j - j0) * TALL_ROW_BLOCK;
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

    private static void wideFourColumns(int n, int row, int col, int j0, int j1, double[] panel, int start,
            double[] x, double[] c) {
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
            int hj = start + (j - j0) * WIDE_ROW_BLOCK;
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
}
