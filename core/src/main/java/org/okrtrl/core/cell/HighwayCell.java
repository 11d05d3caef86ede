package org.okrtrl.core.cell;

import java.util.SplittableRandom;
import org.okrtrl.core.linalg.Dense;

/**
 * Recurrent Highway Network of recurrence depth 1 with coupled carry and transform gates
 * (Zilly, Srivastava, Koutnik, Schmidhuber, "Recurrent Highway Networks", ICML 2017), the cell
 * of the OK-RTRL paper's experiments: [zc ; zf] = W a_t, c = tanh(zc), f = sigmoid(zf),
 * h_t = f * h_{t-1} + (1 - f) * c. The carry bias is the f block's bias column.
 */
public final class HighwayCell extends AffineCell {
    private final double carryBias;

    /**
     * @param carryBias initial bias of the carry gate f (positive: f starts near 1, the cell
     *     remembers by default)
     */
    public HighwayCell(int inputSize, int hiddenSize, double carryBias) {
        super(inputSize, hiddenSize);
        this.carryBias = carryBias;
    }

    @Override
    public int blocks() {
        return 2;
    }

    @Override
    public String name() {
        return "rhn";
    }

    @Override
    public void forward(double[] w, StepTrace trace) {
        double[] act = trace.activations;
        Dense.multiplyVector(2 * n, affineSize(), w, trace.affineInput, act);
        for (int k = 0; k < n; k++) {
            double c = Math.tanh(act[k]);
            double f = 1.0 / (1.0 + Math.exp(-act[n + k]));
            act[k] = c;
            act[n + k] = f;
            trace.hidden[k] = f * trace.previousHidden[k] + (1.0 - f) * c;
        }
    }

    @Override
    public void jacobians(double[] w, StepTrace trace) {
        int p = affineSize();
        double[] act = trace.activations;
        for (int k = 0; k < n; k++) {
            double c = act[k];
            double f = act[n + k];
            double dc = (1.0 - f) * (1.0 - c * c);
            double df = (trace.previousHidden[k] - c) * f * (1.0 - f);
            trace.dDiag[k] = dc;
            trace.dDiag[n + k] = df;
            int rowC = k * p + m;
            int rowF = (n + k) * p + m;
            for (int j = 0; j < n; j++) {
                trace.jacobian[k * n + j] = dc * w[rowC + j] + df * w[rowF + j];
            }
            trace.jacobian[k * n + k] += f;
        }
    }

    @Override
    double initialBias(int row) {
        return row >= n ? carryBias : 0.0;
    }

    @Override
    public void initialize(double[] w, SplittableRandom rng) {
        int p = affineSize();
        double inputScale = Math.sqrt(3.0 / m);
        double recurrentScale = Math.sqrt(3.0 / n);
        for (int row = 0; row < 2 * n; row++) {
            for (int j = 0; j < p; j++) {
                double scale = j < m ? inputScale : j < m + n ? recurrentScale : 0.0;
                w[row * p + j] = scale * (2 * rng.nextDouble() - 1);
            }
            if (row >= n) {
                w[row * p + p - 1] = carryBias;
            }
        }
    }
}
