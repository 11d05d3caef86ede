package org.okrtrl.core.influence;

import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.linalg.Dense;

/**
 * KF-RTRL (Mujika, Meier, Steger, "Approximating Real-Time Recurrent Learning with Random
 * Kronecker Factors", NeurIPS 2018): G ~ A (x) u, reduced from two terms to one by the
 * published norm-balanced random-sign rule (ALGORITHMS.md section 5). Unbiased, but with more
 * variance than 1-OK.
 */
public final class KroneckerFactoredRtrl implements InfluenceEstimator {
    private final KroneckerSumState state;

    public KroneckerFactoredRtrl(Cell cell) {
        this.state = new KroneckerSumState(cell, 1);
    }

    @Override
    public String name() {
        return "kf";
    }

    @Override
    public void reset() {
        state.reset();
    }

    @Override
    public void advance(StepTrace step, SplitMix64 rng) {
        state.expand(step);
        int len = state.lengthA;
        int p = state.p;
        double[] terms = state.termsA;
        double[] us = state.termsU;
        double normHa = Dense.norm(len, terms, 0);
        double normU = Dense.norm(p, us, 0);
        double normD = Dense.norm(len, terms, len);
        double normA = Dense.norm(p, us, p);
        double[] outA = state.factorsA;
        double[] outU = state.factorsU;
        if (normHa == 0.0 || normU == 0.0) {
            System.arraycopy(terms, len, outA, 0, len);
            System.arraycopy(us, p, outU, 0, p);
            return;
        }
        if (normD == 0.0 || normA == 0.0) {
            System.arraycopy(terms, 0, outA, 0, len);
            System.arraycopy(us, 0, outU, 0, p);
            return;
        }
        double p1 = Math.sqrt(normHa / normU);
        double p2 = Math.sqrt(normD / normA);
        double c1 = rng.nextBoolean() ? 1.0 : -1.0;
        double c2 = rng.nextBoolean() ? 1.0 : -1.0;
        for (int j = 0; j < p; j++) {
            outU[j] = c1 * p1 * us[j] + c2 * p2 * us[p + j];
        }
        for (int i = 0; i < len; i++) {
            outA[i] = (c1 / p1) * terms[i] + (c2 / p2) * terms[len + i];
        }
    }

    @Override
    public void gradient(double[] delta, double[] gradW) {
        state.gradient(delta, gradW);
    }

    @Override
    public double[][] stateArrays() {
        return new double[][] {state.factorsA, state.factorsU};
    }

    @Override
    public void bind(double[][] arrays) {
        state.bind(arrays);
    }
}
