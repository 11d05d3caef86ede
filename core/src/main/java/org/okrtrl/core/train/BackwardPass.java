package org.okrtrl.core.train;

import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.linalg.Dense;

/**
 * Backpropagation through time over a run of recorded steps (Werbos 1990): given each step's
 * direct loss gradient dL/dh_t, accumulates dL/dW through the recurrence
 * dh_{t-1} += H_t^T dh_t and dW += (D_t^T dh_t) (x) a_t. Owns its scratch buffers.
 */
public final class BackwardPass {
    private final int n;
    private final int gn;
    private final int p;
    private final double[] carried;
    private final double[] previous;
    private final double[] dz;

    public BackwardPass(Cell cell) {
        this.n = cell.hiddenSize();
        this.gn = cell.blocks() * n;
        this.p = cell.affineSize();
        this.carried = new double[n];
        this.previous = new double[n];
        this.dz = new double[gn];
    }

    /**
     * Adds the gradient of the losses of steps [0, count) into gradW (modified). Step t's
     * record is traces[t] and its direct gradient directGradients[t] (neither modified). The
     * gradient stops at the first step: h_0 is treated as a constant.
     */
    public void accumulate(StepTrace[] traces, double[][] directGradients, int count, double[] gradW) {
        java.util.Arrays.fill(carried, 0.0);
        for (int t = count - 1; t >= 0; t--) {
            StepTrace step = traces[t];
            double[] direct = directGradients[t];
            for (int k = 0; k < n; k++) {
                carried[k] += direct[k];
            }
            for (int i = 0; i < gn; i++) {
                dz[i] = step.dDiag[i] * carried[i % n];
            }
            Dense.addOuter(gn, p, 1.0, dz, step.affineInput, gradW);
            if (t > 0) {
                Dense.multiplyTransposedVector(n, n, step.jacobian, carried, previous);
                System.arraycopy(previous, 0, carried, 0, n);
            }
        }
    }
}
