package org.okrtrl.core.train;

import org.okrtrl.core.linalg.Dense;

/** Clipping by global norm (Pascanu, Mikolov, Bengio, ICML 2013). */
public final class GradientClipping {
    private GradientClipping() {}

    /** The Euclidean norm of all groups together. */
    public static double globalNorm(double[][] grads) {
        double sum = 0;
        for (double[] g : grads) {
            sum += Dense.dot(g.length, g, g);
        }
        return Math.sqrt(sum);
    }

    /**
     * Rescales every group (modified) so the global norm is at most maxNorm (no-op when
     * maxNorm <= 0). Returns the norm before clipping.
     */
    public static double clipByGlobalNorm(double[][] grads, double maxNorm) {
        double norm = globalNorm(grads);
        if (maxNorm > 0 && norm > maxNorm) {
            double scale = maxNorm / norm;
            for (double[] g : grads) {
                for (int i = 0; i < g.length; i++) {
                    g[i] *= scale;
                }
            }
        }
        return norm;
    }
}
