package org.okrtrl.core.linalg;

/**
 * Singular value decomposition of a small square matrix by one-sided Jacobi rotations
 * (Hestenes 1958; Demmel and Veselic 1992), which is accurate to working precision for every
 * singular value, including repeated and zero ones.
 *
 * <p>After {@link #decompose(double[])}: {@code M = U diag(sigma) V^T}, sigma descending,
 * V orthogonal, columns of U unit length where sigma > 0 and zero where sigma = 0. Matrices
 * are k x k row-major. The instance owns its buffers: decomposing allocates nothing.
 */
public final class SmallSvd {
    private static final int MAX_SWEEPS = 60;

    private final int k;
    /** The working matrix W, stored by columns: column j is w[j k .. j k + k). */
    private final double[] w;
    /** The accumulated rotations V, stored by columns like w. */
    private final double[] v;
    private final double[] u;
    private final double[] sigma;
    private final int[] order;
    private final double[] scratch;

    public SmallSvd(int k) {
        this.k = k;
        this.w = new double[k * k];
        this.v = new double[k * k];
        this.u = new double[k * k];
        this.sigma = new double[k];
        this.order = new int[k];
        this.scratch = new double[k * k];
    }

    public int size() {
        return k;
    }

    /** Decomposes m (k x k row-major, not modified). */
    public void decompose(double[] m) {
        // W and V are kept by columns, so a rotation of two columns runs over contiguous memory
        // (C2 vectorises it); the arithmetic is that of the row-major form, entry for entry.
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                w[j * k + i] = m[i * k + j];
            }
        }
        java.util.Arrays.fill(v, 0.0);
        for (int i = 0; i < k; i++) {
            v[i * k + i] = 1.0;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < k - 1; p++) {
                for (int q = p + 1; q < k; q++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    int wpOffset = p * k;
                    int wqOffset = q * k;
                    for (int i = 0; i < k; i++) {
                        double wp = w[wpOffset + i];
                        double wq = w[wqOffset + i];
                        alpha += wp * wp;
                        beta += wq * wq;
                        gamma += wp * wq;
                    }
                    if (gamma == 0.0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2.0 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
                    if (zeta == 0.0) {
                        t = 1.0;
                    }
                    double c = 1.0 / Math.sqrt(1.0 + t * t);
                    double s = c * t;
                    rotate(w, p, q, c, s);
                    rotate(v, p, q, c, s);
                }
            }
            if (!rotated) {
                break;
            }
        }
        for (int j = 0; j < k; j++) {
            double norm = 0;
            for (int i = 0; i < k; i++) {
                norm += w[j * k + i] * w[j * k + i];
            }
            scratch[j] = Math.sqrt(norm);
            order[j] = j;
        }
        sortDescending();
        for (int dst = 0; dst < k; dst++) {
            int src = order[dst];
            double s = scratch[src];
            sigma[dst] = s;
            for (int i = 0; i < k; i++) {
                u[i * k + dst] = s > 0 ? w[src * k + i] / s : 0.0;
            }
        }
        // V's columns, permuted, into the row-major result (w is no longer needed).
        System.arraycopy(v, 0, w, 0, k * k);
        for (int dst = 0; dst < k; dst++) {
            int src = order[dst];
            for (int i = 0; i < k; i++) {
                v[i * k + dst] = w[src * k + i];
            }
        }
    }

    /** Rotates columns p and q of a (stored by columns). */
    private void rotate(double[] a, int p, int q, double c, double s) {
        int po = p * k;
        int qo = q * k;
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
