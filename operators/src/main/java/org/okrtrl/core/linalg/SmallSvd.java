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
    private final double[] w;
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
        System.arraycopy(m, 0, w, 0, k * k);
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
                    for (int i = 0; i < k; i++) {
                        double wp = w[i * k + p];
                        double wq = w[i * k + q];
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
                norm += w[i * k + j] * w[i * k + j];
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
                u[i * k + dst] = s > 0 ? w[i * k + src] / s : 0.0;
            }
        }
        // Permute V's columns in place through w (no longer needed).
        System.arraycopy(v, 0, w, 0, k * k);
        for (int dst = 0; dst < k; dst++) {
            int src = order[dst];
            for (int i = 0; i < k; i++) {
                v[i * k + dst] = w[i * k + src];
            }
        }
    }

    private void rotate(double[] a, int p, int q, double c, double s) {
        for (int i = 0; i < k; i++) {
            double ap = a[i * k + p];
            double aq = a[i * k + q];
            a[i * k + p] = c * ap - s * aq;
            a[i * k + q] = s * ap + c * aq;
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
