package org.okrtrl.core.influence;

import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.linalg.Dense;

/**
 * Unbiased Online Recurrent Optimization (Tallec and Ollivier, ICLR 2018): G ~ s (x) w with
 * s of length n and w shaped like W, O(n^2) per step, unbiased with high variance
 * (ALGORITHMS.md section 6).
 */
public final class Uoro implements InfluenceEstimator {
    private static final double EPSILON = 1e-7;

    private final int n;
    private final int gn;
    private final int p;
    private double[] s;
    private double[] w;
    private final double[] hs;
    private final double[] nu;
    private final double[] nuD;

    public Uoro(Cell cell) {
        this.n = cell.hiddenSize();
        this.gn = cell.blocks() * n;
        this.p = cell.affineSize();
        this.s = new double[n];
        this.w = new double[gn * p];
        this.hs = new double[n];
        this.nu = new double[n];
        this.nuD = new double[gn];
    }

    @Override
    public String name() {
        return "uoro";
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(s, 0.0);
        java.util.Arrays.fill(w, 0.0);
    }

    @Override
    public void advance(StepTrace step, SplitMix64 rng) {
        Dense.multiplyVector(n, n, step.jacobian, s, hs);
        for (int k = 0; k < n; k++) {
            nu[k] = rng.nextBoolean() ? 1.0 : -1.0;
        }
        // nu^T F_t = (nu^T D_t) (x) a_t, and nu^T D_t has entries nu_k d[b n + k].
        for (int i = 0; i < gn; i++) {
            nuD[i] = nu[i % n] * step.dDiag[i];
        }
        double normNuF = Dense.norm(gn, nuD, 0) * Dense.norm(p, step.affineInput, 0);
        double rho0 = Math.sqrt((Dense.norm(w.length, w, 0) + EPSILON) / (Dense.norm(n, hs, 0) + EPSILON));
        double rho1 = Math.sqrt((normNuF + EPSILON) / (Math.sqrt(n) + EPSILON));
        for (int k = 0; k < n; k++) {
            s[k] = rho0 * hs[k] + rho1 * nu[k];
        }
        Dense.scale(w.length, 1.0 / rho0, w);
        Dense.addOuter(gn, p, 1.0 / rho1, nuD, step.affineInput, w);
    }

    @Override
    public void gradient(double[] delta, double[] gradW) {
        double projection = Dense.dot(n, delta, s);
        for (int i = 0; i < w.length; i++) {
            gradW[i] = projection * w[i];
        }
    }

    @Override
    public double[][] stateArrays() {
        return new double[][] {s, w};
    }

    @Override
    public void bind(double[][] state) {
        if (state.length != 2 || state[0].length != s.length || state[1].length != w.length) {
            throw new IllegalArgumentException("uoro state must be {s (" + s.length + "), w (" + w.length + ")}");
        }
        s = state[0];
        w = state[1];
    }
}
