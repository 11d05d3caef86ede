package org.okrtrl.core.cell;

import java.util.SplittableRandom;
import org.okrtrl.core.linalg.Dense;

/**
 * The vanilla recurrent network h_t = tanh(W a_t) (Elman 1990): g = 1,
 * D_t = diag(1 - h_t^2), H_t = D_t W_h.
 */
public final class TanhCell extends AffineCell {

    public TanhCell(int inputSize, int hiddenSize) {
        super(inputSize, hiddenSize);
    }

    @Override
    public int blocks() {
        return 1;
    }

    @Override
    public String name() {
        return "rnn";
    }

    @Override
    public void forward(double[] w, StepTrace trace) {
        Dense.multiplyVector(n, affineSize(), w, trace.affineInput, trace.activations);
        for (int k = 0; k < n; k++) {
            double h = Math.tanh(trace.activations[k]);
            trace.activations[k] = h;
            trace.hidden[k] = h;
        }
    }

    @Override
    public void jacobians(double[] w, StepTrace trace) {
        int p = affineSize();
        for (int k = 0; k < n; k++) {
            double h = trace.hidden[k];
            double d = 1.0 - h * h;
            trace.dDiag[k] = d;
            int row = k * p + m;
            for (int j = 0; j < n; j++) {
                trace.jacobian[k * n + j] = d * w[row + j];
            }
        }
    }

    @Override
    public void initialize(double[] w, SplittableRandom rng) {
        int p = affineSize();
        double inputScale = 1.0 / Math.sqrt(m);
        double recurrentScale = 1.0 / Math.sqrt(n);
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < p; j++) {
                double scale = j < m ? inputScale : j < m + n ? recurrentScale : 0.0;
                w[k * p + j] = scale * (2 * rng.nextDouble() - 1) * Math.sqrt(3.0);
            }
        }
    }
}
