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

    private Dense() {}

    /** The BLAS implementation in use (for reports). */
    public static String kernelName() {
        return BLAS_IMPL.getClass().getSimpleName();
    }

    /**
     * Column-major {@code c = a * b} with a (m x k), b (k x n), c (m x n), each packed with
     * leading dimension equal to its row count. Modifies c.
     */
    public static void multiplyColumnMajor(int m, int n, int k, double[] a, double[] b, double[] c) {
        BLAS_IMPL.dgemm("N", "N", m, n, k, 1.0, a, 0, m, b, 0, k, 0.0, c, 0, m);
    }

    /**
     * Column-major {@code c = a^T * a} (the Gram matrix of the k columns of a, each of length
     * len, stored one after another). Modifies c (k x k).
     */
    public static void gramColumns(int len, int k, double[] a, double[] c) {
        BLAS_IMPL.dgemm("T", "N", k, k, len, 1.0, a, 0, len, a, 0, len, 0.0, c, 0, k);
    }

    /**
     * Row-major {@code c = h * g} for a square h (n x n) and g (n x cols). Modifies c.
     */
    public static void multiplyRowMajorSquareLeft(int n, int cols, double[] h, double[] g, double[] c) {
        // Row-major c = h g is column-major c^T = g^T h^T.
        BLAS_IMPL.dgemm("N", "N", cols, n, n, 1.0, g, 0, cols, h, 0, n, 0.0, c, 0, cols);
    }

    /** Row-major {@code y = a^T x} for a (rows x cols). Modifies y (length cols). */
    public static void multiplyTransposedVector(int rows, int cols, double[] a, double[] x, double[] y) {
        BLAS_IMPL.dgemv("N", cols, rows, 1.0, a, 0, cols, x, 0, 1, 0.0, y, 0, 1);
    }

    /** Column-major {@code y = a^T x} for a (rows x cols) column-major. Modifies y (length cols). */
    public static void multiplyTransposedVectorColumnMajor(int rows, int cols, double[] a, double[] x, double[] y) {
        BLAS_IMPL.dgemv("T", rows, cols, 1.0, a, 0, rows, x, 0, 1, 0.0, y, 0, 1);
    }

    /** Row-major {@code y = a x} for a (rows x cols). Modifies y (length rows). */
    public static void multiplyVector(int rows, int cols, double[] a, double[] x, double[] y) {
        BLAS_IMPL.dgemv("T", cols, rows, 1.0, a, 0, cols, x, 0, 1, 0.0, y, 0, 1);
    }

    /** Dot product of the first len entries. */
    public static double dot(int len, double[] x, double[] y) {
        return BLAS_IMPL.ddot(len, x, 0, 1, y, 0, 1);
    }

    /** Euclidean norm of the first len entries of x, starting at offset. */
    public static double norm(int len, double[] x, int offset) {
        return BLAS_IMPL.dnrm2(len, x, offset, 1);
    }

    /** {@code y += alpha * x} over len entries. Modifies y. */
    public static void addScaled(int len, double alpha, double[] x, int xOffset, double[] y, int yOffset) {
        BLAS_IMPL.daxpy(len, alpha, x, xOffset, 1, y, yOffset, 1);
    }

    /**
     * Row-major rank-one update {@code a += alpha * x y^T} for a (rows x cols). Modifies a.
     */
    public static void addOuter(int rows, int cols, double alpha, double[] x, double[] y, double[] a) {
        BLAS_IMPL.dger(cols, rows, alpha, y, 0, 1, x, 0, 1, a, 0, cols);
    }

    /**
     * Column-major {@code c = h * x} where h (n x n) is given row-major and x (n x cols) is
     * column-major. Modifies c.
     */
    public static void multiplyRowMajorLeftColumnMajor(int n, int cols, double[] h, double[] x, double[] c) {
        BLAS_IMPL.dgemm("T", "N", n, cols, n, 1.0, h, 0, n, x, 0, n, 0.0, c, 0, n);
    }

    /**
     * Column-major {@code c = a * b^T} with a (m x k) and b (n x k) column-major. Modifies c
     * (m x n column-major, which is the row-major n x m matrix c^T).
     */
    public static void multiplyColumnMajorTransposedRight(int m, int n, int k, double[] a, double[] b, double[] c) {
        BLAS_IMPL.dgemm("N", "T", m, n, k, 1.0, a, 0, m, b, 0, n, 0.0, c, 0, m);
    }

    /** {@code x *= alpha} over len entries. Modifies x. */
    public static void scale(int len, double alpha, double[] x) {
        BLAS_IMPL.dscal(len, alpha, x, 0, 1);
    }
}
