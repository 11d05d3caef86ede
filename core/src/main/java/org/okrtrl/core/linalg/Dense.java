package org.okrtrl.core.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Dense kernels on flat {@code double[]} arrays, backed by netlib's Java BLAS (the
 * {@code VectorBLAS} implementation when the JVM runs with {@code --add-modules
 * jdk.incubator.vector}, a scalar one otherwise).
 *
 * <p>Conventions: row-major unless a method says "column-major"; the caller owns and passes
 * every output buffer, which is the only argument a method modifies. No method allocates.
 */
public final class Dense {
    private static final BLAS BLAS_IMPL = BLAS.getInstance();
    static final boolean VECTOR_API = probeVectorApi();

    private Dense() {}

    private static boolean probeVectorApi() {
        if (Boolean.getBoolean("okrtrl.disableVectorKernels")) {
            return false;
        }
        try {
            return DoubleLanes.lanes() > 1 && FloatLanes.lanes() > 1;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** The kernels in use (for reports): own Vector API kernels or BLAS for the r-OK products. */
    public static String kernelName() {
        return (VECTOR_API ? "Vector API kernels + " : "") + BLAS_IMPL.getClass().getSimpleName();
    }

    /**
     * Column-major {@code c = h * x} for h (n x n) and x (n x cols), both column-major. The
     * influence product H_t [A_1 ... A_r]. Modifies c.
     */
    public static void multiplySquareLeft(int n, int cols, double[] h, double[] x, double[] c) {
        if (VECTOR_API) {
            DoubleSquareProductKernel.multiplySquareLeft(n, cols, h, x, c);
        } else {
            BLAS_IMPL.dgemm("N", "N", n, cols, n, 1.0, h, 0, n, x, 0, n, 0.0, c, 0, n);
        }
    }

    /**
     * Column-major {@code out = t * m} for a tall t (len x k) and a small m (k x r). Modifies
     * out (len x r).
     */
    public static void multiplyTallBySmall(int len, int k, int r, double[] t, double[] m, double[] out) {
        if (VECTOR_API) {
            DoubleFactorPassKernels.multiplyTallBySmall(len, k, r, t, m, out);
        } else {
            BLAS_IMPL.dgemm("N", "N", len, r, k, 1.0, t, 0, len, m, 0, k, 0.0, out, 0, len);
        }
    }

    /** Writes the transpose of the row-major n x n matrix a into t (modified). */
    public static void transposeSquare(int n, double[] a, double[] t) {
        // 16 x 16 tiles: both the rows read and the columns written stay in cache.
        final int tile = 16;
        for (int i0 = 0; i0 < n; i0 += tile) {
            int i1 = Math.min(n, i0 + tile);
            for (int j0 = 0; j0 < n; j0 += tile) {
                int j1 = Math.min(n, j0 + tile);
                for (int i = i0; i < i1; i++) {
                    int row = i * n;
                    for (int j = j0; j < j1; j++) {
                        t[j * n + i] = a[row + j];
                    }
                }
            }
        }
    }


    /**
     * Column-major {@code c = a^T * a} (the Gram matrix of the k columns of a, each of length
     * len, stored one after another). Modifies c (k x k) and scratch, of at least
     * {@link #gramScratchLength(int)} doubles.
     */
    public static void gramColumns(int len, int k, double[] a, double[] c, double[] scratch) {
        if (VECTOR_API) {
            DoubleGramKernel.gram(len, k, a, c, scratch);
        } else {
            BLAS_IMPL.dgemm("T", "N", k, k, len, 1.0, a, 0, len, a, 0, len, 0.0, c, 0, k);
        }
    }

    /** Length of the scratch {@link #gramColumns} needs for k columns. */
    public static int gramScratchLength(int k) {
        return VECTOR_API ? DoubleGramKernel.scratchLength(k) : 0;
    }

    // Level-1 and level-2 operations are plain loops: they are O(n^2) at most per step, and
    // loops that C2 compiles allocate nothing, whatever else the JIT has seen.

    /** Row-major {@code y = a^T x} for a (rows x cols). Modifies y (length cols). */
    public static void multiplyTransposedVector(int rows, int cols, double[] a, double[] x, double[] y) {
        java.util.Arrays.fill(y, 0, cols, 0.0);
        for (int i = 0; i < rows; i++) {
            double xi = x[i];
            if (xi == 0.0) {
                continue;
            }
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                y[j] += a[row + j] * xi;
            }
        }
    }

    /** Column-major {@code y = a^T x} for a (rows x cols) column-major. Modifies y (length cols). */
    public static void multiplyTransposedVectorColumnMajor(int rows, int cols, double[] a, double[] x, double[] y) {
        if (VECTOR_API && rows >= 16) {
            DoubleFactorPassKernels.multiplyTransposedVectorColumnMajor(rows, cols, a, x, y);
            return;
        }
        for (int j = 0; j < cols; j++) {
            y[j] = dot(rows, a, j * rows, x, 0);
        }
    }

    /**
     * {@code y = a x} over the leading len columns of a row-major matrix whose rows start
     * rowStride apart (rowStride >= len). Modifies y (length rows).
     */
    public static void multiplyVector(int rows, int len, int rowStride, double[] a, double[] x, double[] y) {
        if (VECTOR_API && len >= 16) {
            VectorKernels.multiplyVector(rows, len, rowStride, a, x, y);
            return;
        }
        for (int i = 0; i < rows; i++) {
            y[i] = dot(len, a, i * rowStride, x, 0);
        }
    }

    /** Row-major {@code y = a x} for a (rows x cols). Modifies y (length rows). */
    public static void multiplyVector(int rows, int cols, double[] a, double[] x, double[] y) {
        if (VECTOR_API && cols >= 16) {
            VectorKernels.multiplyVector(rows, cols, a, x, y);
            return;
        }
        for (int i = 0; i < rows; i++) {
            y[i] = dot(cols, a, i * cols, x, 0);
        }
    }

    /** Dot product of the first len entries. */
    public static double dot(int len, double[] x, double[] y) {
        return dot(len, x, 0, y, 0);
    }

    /** Dot product of len entries from the given offsets. */
    public static double dot(int len, double[] x, int xOffset, double[] y, int yOffset) {
        if (VECTOR_API && len >= 16) {
            return DoubleLanes.dot(len, x, xOffset, y, yOffset);
        }
        return scalarDot(len, x, xOffset, y, yOffset);
    }

    /** Dot product with four partial sums for throughput (short vectors, and without the Vector API). */
    static double scalarDot(int len, double[] x, int xOffset, double[] y, int yOffset) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += x[xOffset + i] * y[yOffset + i];
            s1 += x[xOffset + i + 1] * y[yOffset + i + 1];
            s2 += x[xOffset + i + 2] * y[yOffset + i + 2];
            s3 += x[xOffset + i + 3] * y[yOffset + i + 3];
        }
        for (; i < len; i++) {
            s0 += x[xOffset + i] * y[yOffset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Euclidean norm of the first len entries of x, starting at offset. */
    public static double norm(int len, double[] x, int offset) {
        return Math.sqrt(dot(len, x, offset, x, offset));
    }

    /**
     * Row-major rank-one update {@code a += alpha * x y^T} for a (rows x cols). Modifies a.
     */
    public static void addOuter(int rows, int cols, double alpha, double[] x, double[] y, double[] a) {
        for (int i = 0; i < rows; i++) {
            double s = alpha * x[i];
            if (s == 0.0) {
                continue;
            }
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                a[row + j] += s * y[j];
            }
        }
    }

    /**
     * y (len) = sum_i x_i a_i over the leading len columns of the rows of a (rows x rowStride
     * row-major), and c_i += x_i z for every row i with x_i != 0, c laid out like a: a readout's
     * delta and its weight gradient in one pass. Rows with x_i = 0 are skipped. Modifies y and c.
     */
    public static void transposedProductAndOuterUpdate(int rows, int len, int rowStride, double[] a, double[] x,
            double[] z, double[] y, double[] c) {
        if (VECTOR_API && len >= 16) {
            VectorKernels.transposedProductAndOuterUpdate(rows, len, rowStride, a, x, z, y, c);
            return;
        }
        java.util.Arrays.fill(y, 0, len, 0.0);
        for (int i = 0; i < rows; i++) {
            double g = x[i];
            if (g == 0.0) {
                continue;
            }
            int row = i * rowStride;
            for (int k = 0; k < len; k++) {
                y[k] += a[row + k] * g;
                c[row + k] += g * z[k];
            }
        }
    }

    /** The largest |x_i| of the first len entries, or NaN if any is not finite. */
    public static double maxAbsOrNaN(int len, double[] x) {
        if (VECTOR_API && len >= 16) {
            double max = VectorKernels.maxAbs(len, x);
            return max <= Double.MAX_VALUE ? max : Double.NaN;
        }
        double max = 0;
        for (int i = 0; i < len; i++) {
            double v = Math.abs(x[i]);
            if (!(v <= Double.MAX_VALUE)) {
                return Double.NaN;
            }
            max = Math.max(max, v);
        }
        return max;
    }

    /**
     * One Adam step over len parameters (Kingma and Ba, ICLR 2015): m = beta1 m + (1 - beta1) g,
     * v = beta2 v + (1 - beta2) g^2, theta -= stepSize m / (sqrt(v) + epsilon), with stepSize
     * already bias-corrected. Modifies theta, m and v; the same operations in the same order
     * with or without the Vector API, so both give identical bits.
     */
    public static void adamUpdate(int len, double[] theta, double[] grad, double[] m, double[] v, double beta1,
            double beta2, double stepSize, double epsilon) {
        int i = VECTOR_API ? VectorKernels.adamUpdate(len, theta, grad, m, v, beta1, beta2, stepSize, epsilon) : 0;
        for (; i < len; i++) {
            double gi = grad[i];
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            theta[i] -= stepSize * m[i] / (Math.sqrt(v[i]) + epsilon);
        }
    }

    /** {@code x *= alpha} over len entries. Modifies x. */
    public static void scale(int len, double alpha, double[] x) {
        for (int i = 0; i < len; i++) {
            x[i] *= alpha;
        }
    }


    /**
     * Column-major {@code c += a * b^T} with a (m x k) and b (n x k) column-major. Modifies c.
     */
    public static void addColumnMajorTransposedRight(int m, int n, int k, double[] a, double[] b, double[] c) {
        if (VECTOR_API) {
            VectorKernels.addSumOfOuterProducts(m, n, k, a, b, c);
        } else {
            BLAS_IMPL.dgemm("N", "T", m, n, k, 1.0, a, 0, m, b, 0, n, 1.0, c, 0, m);
        }
    }

    /**
     * Column-major {@code c = a * b^T} with a (m x k) and b (n x k) column-major. Modifies c
     * (m x n column-major, which is the row-major n x m matrix c^T).
     */
    public static void multiplyColumnMajorTransposedRight(int m, int n, int k, double[] a, double[] b, double[] c) {
        if (VECTOR_API) {
            VectorKernels.sumOfOuterProducts(m, n, k, a, b, c);
        } else {
            BLAS_IMPL.dgemm("N", "T", m, n, k, 1.0, a, 0, m, b, 0, n, 0.0, c, 0, m);
        }
    }

}
