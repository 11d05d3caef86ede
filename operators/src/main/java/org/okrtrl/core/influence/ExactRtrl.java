package org.okrtrl.core.influence;

import org.okrtrl.core.SplitMix64;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.linalg.Dense;

/**
 * Real Time Recurrent Learning (Williams and Zipser 1989): the exact influence matrix
 * G_t = H_t G_{t-1} + D_t (x) a_t, n x (g n p), O(n^3) memory and O(n^4) time per step.
 * The reference every approximation is measured against.
 */
public final class ExactRtrl implements InfluenceEstimator {
    private final int n;
    private final int p;
    private final int gn;
    private final int columns;
    private double[] influence;
    private double[] next;

    public ExactRtrl(Cell cell) {
        this.n = cell.hiddenSize();
        this.p = cell.affineSize();
        this.gn = cell.blocks() * n;
        this.columns = gn * p;
        this.influence = new double[n * columns];
        this.next = new double[n * columns];
    }

    @Override
    public String name() {
        return "rtrl";
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(influence, 0.0);
    }

    @Override
    public void advance(StepTrace step, SplitMix64 rng) {
        Dense.multiplyRowMajorSquareLeft(n, columns, step.jacobian, influence, next);
        double[] a = step.affineInput;
        for (int i = 0; i < gn; i++) {
            double d = step.dDiag[i];
            if (d != 0.0) {
                int k = i % n;
                Dense.addScaled(p, d, a, 0, next, k * columns + i * p);
            }
        }
        double[] swap = influence;
        influence = next;
        next = swap;
    }

    @Override
    public void gradient(double[] delta, double[] gradW) {
        Dense.multiplyTransposedVector(n, columns, influence, delta, gradW);
    }

    @Override
    public double[][] stateArrays() {
        return new double[][] {influence};
    }

    /** G_t, n x (g n p) row-major (a view). */
    public double[] influence() {
        return influence;
    }
}
