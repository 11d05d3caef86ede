package org.okrtrl.core.influence;

import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.linalg.Dense;

/**
 * Real Time Recurrent Learning (Williams and Zipser 1989): the exact influence matrix
 * G_t = H_t G_{t-1} + D_t (x) a_t, n x (g n p), O(n^3) memory and O(n^4) time per step.
 * The reference every approximation is measured against. G is stored column-major, so
 * H_t G_{t-1} is one product with the square kernel of {@link Dense}.
 */
public final class ExactRtrl implements InfluenceEstimator {
    private final int n;
    private final int p;
    private final int gn;
    private final int columns;
    private double[] influence;
    private final double[] next;
    private final double[] jacobianColumnMajor;

    public ExactRtrl(Cell cell) {
        this.n = cell.hiddenSize();
        this.p = cell.affineSize();
        this.gn = cell.blocks() * n;
        this.columns = gn * p;
        this.influence = new double[n * columns];
        this.next = new double[n * columns];
        this.jacobianColumnMajor = new double[n * n];
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
        Dense.transposeSquare(n, step.jacobian, jacobianColumnMajor);
        Dense.multiplySquareLeft(n, columns, jacobianColumnMajor, influence, next);
        double[] a = step.affineInput;
        for (int i = 0; i < gn; i++) {
            double d = step.dDiag[i];
            if (d != 0.0) {
                // F_t[k, (i, j)] = D_t[k, i] a_t[j], non-zero only for k = i mod n.
                int offset = i * p * n + i % n;
                for (int j = 0; j < p; j++) {
                    next[offset + j * n] += d * a[j];
                }
            }
        }
        // Copied rather than swapped so that a bound state array stays the live one.
        System.arraycopy(next, 0, influence, 0, influence.length);
    }

    @Override
    public void gradient(double[] delta, double[] gradW) {
        Dense.multiplyTransposedVectorColumnMajor(n, columns, influence, delta, gradW);
    }

    @Override
    public double[][] stateArrays() {
        return new double[][] {influence};
    }

    @Override
    public void bind(double[][] state) {
        if (state.length != 1 || state[0].length != influence.length) {
            throw new IllegalArgumentException("rtrl state must be one array of " + influence.length);
        }
        influence = state[0];
    }

    /** G_t, n x (g n p) column-major (a view). */
    public double[] influence() {
        return influence;
    }
}
