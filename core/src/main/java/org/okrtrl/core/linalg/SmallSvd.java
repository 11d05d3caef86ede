package org.okrtrl.core.linalg;

/**
 * Singular value decomposition of a small square matrix by one-sided Jacobi rotations
 * (Hestenes 1958; Demmel and Veselic 1992), which is accurate to working precision for every
 * singular value, including repeated and zero ones.
 *
 * <p>The pairs of columns are visited in round-robin order (Brent and Luk 1985): each round
 * rotates disjoint pairs, so the processor overlaps their dependent chains (dot product, square
 * roots, divisions) instead of waiting on each in turn, and each column's squared norm is carried
 * from rotation to rotation within a sweep. With the Vector API the columns are padded to whole
 * vectors and each column operation is a few vector instructions.
 *
 * <p>After {@link #decompose(double[])}: {@code M = U diag(sigma) V^T}, sigma descending,
 * V orthogonal, columns of U unit length where sigma > 0 and zero where sigma = 0. Matrices
 * are k x k row-major. The instance owns its buffers: decomposing allocates nothing.
 */
public final class SmallSvd {
    private static final int MAX_SWEEPS = 60;
    /** A pair counts as orthogonal when |w_p . w_q| <= this times ||w_p|| ||w_q||. */
    private static final double TOLERANCE = 1e-15;

    private final int k;
    /** Entries per stored column: k, or k rounded up to whole vectors with the Vector API. */
    private final int stride;
    private final boolean vector;
    /** The working matrix W, stored by columns: column j is w[j stride .. j stride + k), zero beyond. */
    private final double[] w;
    /** The accumulated rotations V, stored by columns like w. */
    private final double[] v;
    /** Squared column norms of W, carried through a sweep. */
    private final double[] norms2;
    private final double[] u;
    private final double[] sigma;
    private final int[] order;
    private final double[] scratch;
    /** The pairs (first[i], second[i]) of one sweep, round after round (round-robin order). */
    private final int[] first;
    private final int[] second;

    public SmallSvd(int k) {
        this.k = k;
        this.vector = Dense.VECTOR_API;
        this.stride = vector ? VectorKernels.paddedLength(k) : k;
        this.w = new double[k * stride];
        this.v = new double[k * stride];
        this.norms2 = new double[k];
        this.u = new double[k * k];
        this.sigma = new double[k];
        this.order = new int[k];
        this.scratch = new double[k * k];
        int players = k + k % 2;
        int pairs = k * (k - 1) / 2;
        this.first = new int[pairs];
        this.second = new int[pairs];
        // The circle method: player 0 stays, the others turn one place per round; with k odd the
        // extra player is a bye.
        int[] seat = new int[players];
        for (int i = 0; i < players; i++) {
            seat[i] = i;
        }
        int next = 0;
        for (int round = 0; round < players - 1; round++) {
            for (int i = 0; i < players / 2; i++) {
                int a = seat[i];
                int b = seat[players - 1 - i];
                if (a < k && b < k) {
                    first[next] = Math.min(a, b);
                    second[next] = Math.max(a, b);
                    next++;
                }
            }
            int last = seat[players - 1];
            System.arraycopy(seat, 1, seat, 2, players - 2);
            seat[1] = last;
        }
    }

    public int size() {
        return k;
    }

    /** Decomposes m (k x k row-major, not modified). */
    public void decompose(double[] m) {
        java.util.Arrays.fill(w, 0.0);
        java.util.Arrays.fill(v, 0.0);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                w[j * stride + i] = m[i * k + j];
            }
            v[i * stride + i] = 1.0;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            for (int j = 0; j < k; j++) {
                norms2[j] = columnDot(j * stride, j * stride);
            }
            if (!sweep()) {
                break;
            }
        }
        for (int j = 0; j < k; j++) {
            scratch[j] = Math.sqrt(columnDot(j * stride, j * stride));
            order[j] = j;
        }
        sortDescending();
        for (int dst = 0; dst < k; dst++) {
            int src = order[dst];
            double s = scratch[src];
            sigma[dst] = s;
            for (int i = 0; i < k; i++) {
                u[i * k + dst] = s > 0 ? w[src * stride + i] / s : 0.0;
            }
        }
        // V's columns, permuted, into the row-major result (w is no longer needed).
        System.arraycopy(v, 0, w, 0, k * stride);
        for (int dst = 0; dst < k; dst++) {
            int src = order[dst];
            for (int i = 0; i < k; i++) {
                v[i * k + dst] = w[src * stride + i];
            }
        }
    }

    /** One sweep over every pair; returns whether any pair was rotated. */
    private boolean sweep() {
        boolean rotated = false;
        for (int pair = 0; pair < first.length; pair++) {
            int p = first[pair];
            int q = second[pair];
            int po = p * stride;
            int qo = q * stride;
            double gamma = columnDot(po, qo);
            double alpha = norms2[p];
            double beta = norms2[q];
            if (!(gamma * gamma > TOLERANCE * TOLERANCE * (alpha * beta))) {
                continue;
            }
            rotated = true;
            // t = tan(theta) of the rotation that zeroes w_p . w_q, the smaller root of
            // t^2 gamma + t (beta - alpha) - gamma = 0, written with one square root.
            double tau = beta - alpha;
            double rho = Math.sqrt(tau * tau + 4.0 * gamma * gamma);
            double t = 2.0 * gamma * Math.copySign(1.0, tau) / (Math.abs(tau) + rho);
            double c = 1.0 / Math.sqrt(1.0 + t * t);
            double s = c * t;
            rotate(w, po, qo, c, s);
            rotate(v, po, qo, c, s);
            norms2[p] = alpha - t * gamma;
            norms2[q] = beta + t * gamma;
        }
        return rotated;
    }

    private double columnDot(int po, int qo) {
        if (vector) {
            return VectorKernels.columnDot(stride, w, po, qo);
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += w[po + i] * w[qo + i];
        }
        return sum;
    }

    /** Rotates columns (at po and qo) of a: (a_p, a_q) becomes (c a_p - s a_q, s a_p + c a_q). */
    private void rotate(double[] a, int po, int qo, double c, double s) {
        if (vector) {
            VectorKernels.rotateColumns(stride, a, po, qo, c, s);
            return;
        }
        for (int i = 0; i < k; i++) {
            double ap = a[po + i];
            double aq = a[qo + i];
            a[po + i] = c * ap - s * aq;
            a[qo + i] = s * ap + c * aq;
        }
    }

    private void sortDescending() {
        // Insertion sort of the k column indices by their norms held in scratch[0..k).
        for (int i = 1; i < k; i++) {
            int idx = order[i];
            double key = scratch[idx];
            int j = i - 1;
            while (j >= 0 && scratch[order[j]] < key) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = idx;
        }
    }

    /** Singular values, descending (a view of the instance's buffer). */
    public double[] singularValues() {
        return sigma;
    }

    /** Left singular vectors as columns of a k x k row-major matrix (a view). */
    public double[] left() {
        return u;
    }

    /** Right singular vectors as columns of a k x k row-major matrix (a view). */
    public double[] right() {
        return v;
    }
}
