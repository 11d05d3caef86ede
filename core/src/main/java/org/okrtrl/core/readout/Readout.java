package org.okrtrl.core.readout;

import java.util.SplittableRandom;
import org.okrtrl.core.linalg.Dense;

/**
 * The non-recurrent output layer o = link(V [h ; 1]) with V of o rows and n + 1 columns,
 * row-major. Two links cover the project's losses:
 * <ul>
 *   <li>{@link Link#SOFTMAX}: a distribution over o symbols, cross-entropy loss (nats; bits
 *       are nats / ln 2);</li>
 *   <li>{@link Link#LINEAR}: real outputs, squared error 0.5 ||o - y||^2.</li>
 * </ul>
 * In both, dL/d(V [h ; 1]) = o - y, with y the one-hot target for the softmax.
 */
public final class Readout {
    /** The output nonlinearity and its matching loss. */
    public enum Link {
        SOFTMAX,
        LINEAR
    }

    private static final double MIN_PROBABILITY = 1e-300;

    private final Link link;
    private final int hidden;
    private final int outputs;

    public Readout(Link link, int hiddenSize, int outputSize) {
        if (hiddenSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException("hidden and output sizes must be >= 1");
        }
        this.link = link;
        this.hidden = hiddenSize;
        this.outputs = outputSize;
    }

    public Link link() {
        return link;
    }

    public int outputSize() {
        return outputs;
    }

    public int hiddenSize() {
        return hidden;
    }

    /** Number of entries of V: o (n + 1). */
    public int parameterCount() {
        return outputs * (hidden + 1);
    }

    /** Writes small random weights into v (modified). */
    public void initialize(double[] v, SplittableRandom rng) {
        double scale = Math.sqrt(3.0 / hidden);
        for (int i = 0; i < outputs; i++) {
            for (int k = 0; k < hidden; k++) {
                v[i * (hidden + 1) + k] = scale * (2 * rng.nextDouble() - 1);
            }
            v[i * (hidden + 1) + hidden] = 0.0;
        }
    }

    /** Writes v (modified) with weights from N(0, scale^2) and zero biases. */
    public void initializeNormal(double[] v, SplittableRandom rng, double scale) {
        for (int i = 0; i < outputs; i++) {
            for (int k = 0; k < hidden; k++) {
                v[i * (hidden + 1) + k] = scale * rng.nextGaussian();
            }
            v[i * (hidden + 1) + hidden] = 0.0;
        }
    }

    /** out = link(V [h ; 1]). Modifies out only. */
    public void predict(double[] v, double[] h, double[] out) {
        int cols = hidden + 1;
        Dense.multiplyVector(outputs, hidden, cols, v, h, out);
        for (int i = 0; i < outputs; i++) {
            out[i] += v[i * cols + hidden];
        }
        if (link == Link.SOFTMAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < outputs; i++) {
                max = Math.max(max, out[i]);
            }
            double sum = 0;
            for (int i = 0; i < outputs; i++) {
                out[i] = Math.exp(out[i] - max);
                sum += out[i];
            }
            for (int i = 0; i < outputs; i++) {
                out[i] /= sum;
            }
        }
    }

    /** Loss of a prediction against a target vector (one-hot or any distribution for softmax). */
    public double loss(double[] out, double[] target) {
        double loss = 0;
        if (link == Link.SOFTMAX) {
            for (int i = 0; i < outputs; i++) {
                if (target[i] != 0.0) {
                    loss -= target[i] * Math.log(Math.max(out[i], MIN_PROBABILITY));
                }
            }
        } else {
            for (int i = 0; i < outputs; i++) {
                double e = out[i] - target[i];
                loss += 0.5 * e * e;
            }
        }
        return loss;
    }

    /** Cross-entropy (nats) of a softmax prediction for the observed symbol. */
    public double loss(double[] out, int symbol) {
        requireSoftmax();
        return -Math.log(Math.max(out[symbol], MIN_PROBABILITY));
    }

    /** dL/d(logits or outputs) = out - target. Modifies dOut only. */
    public void outputGradient(double[] out, double[] target, double[] dOut) {
        for (int i = 0; i < outputs; i++) {
            dOut[i] = out[i] - target[i];
        }
    }

    /** dL/d(logits) = out - onehot(symbol) for a softmax readout. Modifies dOut only. */
    public void outputGradient(double[] out, int symbol, double[] dOut) {
        requireSoftmax();
        System.arraycopy(out, 0, dOut, 0, outputs);
        dOut[symbol] -= 1.0;
    }

    /**
     * Backpropagates dOut: writes delta = V_h^T dOut into deltaH (modified) and adds
     * dOut [h ; 1]^T into gradV (modified).
     */
    public void backward(double[] v, double[] h, double[] dOut, double[] deltaH, double[] gradV) {
        int cols = hidden + 1;
        Dense.transposedProductAndOuterUpdate(outputs, hidden, cols, v, dOut, h, deltaH, gradV);
        for (int i = 0; i < outputs; i++) {
            if (dOut[i] != 0.0) {
                gradV[i * cols + hidden] += dOut[i];
            }
        }
    }

    private void requireSoftmax() {
        if (link != Link.SOFTMAX) {
            throw new IllegalStateException("symbol targets need a softmax readout");
        }
    }

}
