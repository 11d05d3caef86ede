package org.okrtrl.core.linalg;

/**
 * Cholesky factorisation with complete (diagonal) pivoting of a small symmetric positive
 * semi-definite matrix, stopping at its numerical rank (Higham, "Accuracy and Stability of
 * Numerical Algorithms", 2nd ed., section 10.3): {@code P^T G P = R^T R} with R upper triangular,
 * its first {@link #rank()} rows non-zero.
 *
 * <p>For a Gram matrix G = A^T A this gives the R factor of a QR decomposition of A's columns
 * (in pivot order) without touching A: A P = Q R, with Q = A P_1 R_11^{-1} orthonormal, where P_1
 * holds the first rank() pivots. Elimination stops when every remaining diagonal entry of the
 * Schur complement is at most {@code relativeFloor} times G's largest diagonal entry; those
 * directions count as rounding noise. Matrices are k x k row-major. The instance owns its
 * buffers: decomposing allocates nothing.
 */
public final class PivotedCholesky {
    private final int k;
    /** The working copy of G; R is formed in its upper triangle. */
    private final double[] r;
    private final int[] pivot;
    private int rank;

    public PivotedCholesky(int k) {
        this.k = k;
        this.r = new double[k * k];
        this.pivot = new int[k];
    }

    /**
     * Factorises g (k x k row-major, symmetric positive semi-definite, not modified).
     *
     * @return the numerical rank
     */
    public int decompose(double[] g, double relativeFloor) {
        System.arraycopy(g, 0, r, 0, k * k);
        double largest = 0;
        for (int i = 0; i < k; i++) {
            pivot[i] = i;
            largest = Math.max(largest, r[i * k + i]);
        }
        double floor = largest * relativeFloor;
        rank = 0;
        for (int step = 0; step < k; step++) {
            int best = step;
            for (int i = step + 1; i < k; i++) {
                if (r[i * k + i] > r[best * k + best]) {
                    best = i;
                }
            }
            double d = r[best * k + best];
            if (!(d > floor) || d <= 0) {
                break;
            }
            swapSymmetric(step, best);
            double root = Math.sqrt(d);
            r[step * k + step] = root;
            for (int j = step + 1; j < k; j++) {
                r[step * k + j] /= root;
            }
            // The trailing Schur complement, upper triangle only (the lower one is not read).
            for (int i = step + 1; i < k; i++) {
                double ri = r[step * k + i];
                for (int j = i; j < k; j++) {
                    r[i * k + j] -= ri * r[step * k + j];
                }
            }
            rank++;
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (j < i || i >= rank) {
                    r[i * k + j] = 0.0;
                }
            }
        }
        return rank;
    }

    /** Swaps rows and columns a <= b of the symmetric working matrix (upper triangle kept). */
    private void swapSymmetric(int a, int b) {
        if (a == b) {
            return;
        }
        int p = pivot[a];
        pivot[a] = pivot[b];
        pivot[b] = p;
        // Rows of R already formed (above a) swap their columns a and b; in the trailing
        // symmetric part, read through the upper triangle, rows and columns swap together.
        for (int i = 0; i < k; i++) {
            if (i == a || i == b) {
                continue;
            }
            double ia = upper(i, a);
            double ib = upper(i, b);
            setUpper(i, a, ib);
            setUpper(i, b, ia);
        }
        double aa = r[a * k + a];
        r[a * k + a] = r[b * k + b];
        r[b * k + b] = aa;
    }

    private double upper(int i, int j) {
        return i <= j ? r[i * k + j] : r[j * k + i];
    }

    private void setUpper(int i, int j, double value) {
        if (i <= j) {
            r[i * k + j] = value;
        } else {
            r[j * k + i] = value;
        }
    }

    /** The numerical rank of the last decomposition. */
    public int rank() {
        return rank;
    }

    /** R, k x k row-major, upper triangular, rows from rank() on zero (a view). */
    public double[] upperFactor() {
        return r;
    }

    /** pivot[i] is the column of G that R's column i stands for (a view). */
    public int[] pivots() {
        return pivot;
    }

    /**
     * Solves R_11 z = b in place for the leading rank() x rank() block of R, for each of the
     * {@code cols} columns of b (k x cols row-major; rows from rank() on are not read). Modifies b.
     */
    public void solveLeading(double[] b, int cols) {
        for (int i = rank - 1; i >= 0; i--) {
            double diagonal = r[i * k + i];
            for (int c = 0; c < cols; c++) {
                double s = b[i * cols + c];
                for (int j = i + 1; j < rank; j++) {
                    s -= r[i * k + j] * b[j * cols + c];
                }
                b[i * cols + c] = s / diagonal;
            }
        }
    }
}
