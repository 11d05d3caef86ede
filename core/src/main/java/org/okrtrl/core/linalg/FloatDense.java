package org.okrtrl.core.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The passes over r-OK's influence factors on {@code float[]} arrays (influence factors kept in
 * float), with the same kernels as {@link Dense}'s double passes: both are expanded from one
 * source, {@code core/src/main/kernels}. The small operands that the double side computes (the
 * Jacobian, the reduction's map, delta) are converted by the caller; the Gram matrix comes back
 * in double for the reduction's eigendecompositions.
 *
 * <p>Conventions as {@link Dense}: column-major, the caller owns every output buffer, which is
 * the only argument a method modifies; no method allocates.
 */
public final class FloatDense {
    private static final BLAS BLAS_IMPL = BLAS.getInstance();

    private FloatDense() {}

    /** c (n x cols) = h (n x n) * x (n x cols), all column-major. Modifies c. */
    public static void multiplySquareLeft(int n, int cols, float[] h, float[] x, float[] c) {
        if (Dense.VECTOR_API) {
            FloatSquareProductKernel.multiplySquareLeft(n, cols, h, x, c);
        } else {
            BLAS_IMPL.sgemm("N", "N", n, cols, n, 1.0f, h, 0, n, x, 0, n, 0.0f, c, 0, n);
        }
    }

    /** out (len x r) = t (len x k) * m (k x r), all column-major. Modifies out. */
    public static void multiplyTallBySmall(int len, int k, int r, float[] t, float[] m, float[] out) {
        if (Dense.VECTOR_API) {
            FloatFactorPassKernels.multiplyTallBySmall(len, k, r, t, m, out);
        } else {
            BLAS_IMPL.sgemm("N", "N", len, r, k, 1.0f, t, 0, len, m, 0, k, 0.0f, out, 0, len);
        }
    }

    /**
     * c (k x k, double) = a^T a for the k columns of a (each of length len, one after another),
     * summed in float. Modifies c and scratch, of at least {@link #gramScratchLength(int)} floats.
     */
    public static void gramColumns(int len, int k, float[] a, double[] c, float[] scratch) {
        if (Dense.VECTOR_API) {
            FloatGramKernel.gram(len, k, a, c, scratch);
            return;
        }
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double d = scalarDot(len, a, i * len, a, j * len);
                c[i * k + j] = d;
                c[j * k + i] = d;
            }
        }
    }

    /** Length of the scratch {@link #gramColumns} needs for k columns. */
    public static int gramScratchLength(int k) {
        return Dense.VECTOR_API ? FloatGramKernel.scratchLength(k) : 0;
    }

    /** y (cols) = a^T x for a (rows x cols) column-major. Modifies y. */
    public static void multiplyTransposedVectorColumnMajor(int rows, int cols, float[] a, float[] x, float[] y) {
        if (Dense.VECTOR_API && rows >= 16) {
            FloatFactorPassKernels.multiplyTransposedVectorColumnMajor(rows, cols, a, x, y);
            return;
        }
        for (int j = 0; j < cols; j++) {
            y[j] = scalarDot(rows, a, j * rows, x, 0);
        }
    }

    private static float scalarDot(int len, float[] x, int xOffset, float[] y, int yOffset) {
        float s = 0;
        for (int i = 0; i < len; i++) {
            s = Math.fma(x[xOffset + i], y[yOffset + i], s);
        }
        return s;
    }

    /**
     * Writes the transpose of the row-major n x n matrix a, rounded to float, into t (modified):
     * the Jacobian H_t as the float product's column-major operand, in one pass.
     */
    public static void transposeRounded(int n, double[] a, float[] t) {
        // 16 x 16 tiles, as Dense.transposeSquare: the rows read and the columns written stay in cache.
        final int tile = 16;
        for (int i0 = 0; i0 < n; i0 += tile) {
            int i1 = Math.min(n, i0 + tile);
            for (int j0 = 0; j0 < n; j0 += tile) {
                int j1 = Math.min(n, j0 + tile);
                for (int i = i0; i < i1; i++) {
                    int row = i * n;
                    for (int j = j0; j < j1; j++) {
                        t[j * n + i] = (float) a[row + j];
                    }
                }
            }
        }
    }

    /** to[0..len) = from[0..len) rounded to float. Modifies to. */
    public static void round(int len, double[] from, float[] to) {
        for (int i = 0; i < len; i++) {
            to[i] = (float) from[i];
        }
    }

    /** to[0..len) = from[0..len), exactly. Modifies to. */
    public static void widen(int len, float[] from, double[] to) {
        for (int i = 0; i < len; i++) {
            to[i] = from[i];
        }
    }
}
