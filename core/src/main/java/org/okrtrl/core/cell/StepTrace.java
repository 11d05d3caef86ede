package org.okrtrl.core.cell;

/**
 * Everything one step of a {@link Cell} computes and the learning rules read: the affine input
 * a_t = [x_t ; h_{t-1} ; 1], the new state h_t, and the Jacobians D_t = dh_t/dz_t and
 * H_t = dh_t/dh_{t-1} (ALGORITHMS.md section 1).
 *
 * <p>For both cells D_t is a row of g diagonal blocks, D_t[k, b n + k] = {@code dDiag[b n + k]},
 * so it is stored as that g n vector. H_t is dense n x n row-major. A trace is a reusable
 * buffer: the cell overwrites it each step.
 */
public final class StepTrace {
    public final int inputSize;
    public final int hiddenSize;
    public final int blocks;
    /** a_t = [x ; h_prev ; 1], length m + n + 1. */
    public final double[] affineInput;
    /** h_{t-1} (also inside affineInput, kept separately for the cells' formulas). */
    public final double[] previousHidden;
    /** Block activations: tanh(z) for the vanilla cell; [c ; f] for the highway cell. */
    public final double[] activations;
    /** h_t. */
    public final double[] hidden;
    /** The diagonals of D_t's g blocks, length g n. */
    public final double[] dDiag;
    /** H_t, n x n row-major. */
    public final double[] jacobian;

    public StepTrace(int inputSize, int hiddenSize, int blocks) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.blocks = blocks;
        this.affineInput = new double[inputSize + hiddenSize + 1];
        this.previousHidden = new double[hiddenSize];
        this.activations = new double[blocks * hiddenSize];
        this.hidden = new double[hiddenSize];
        this.dDiag = new double[blocks * hiddenSize];
        this.jacobian = new double[hiddenSize * hiddenSize];
    }

    /**
     * A trace over existing arrays (not copied): {a, h_prev, activations, h, dDiag, H} at
     * arrays[offset ...]; a stream's stored window is read and written through it.
     */
    public StepTrace(int inputSize, int hiddenSize, int blocks, double[][] arrays, int offset) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.blocks = blocks;
        this.affineInput = requireLength(arrays[offset], inputSize + hiddenSize + 1);
        this.previousHidden = requireLength(arrays[offset + 1], hiddenSize);
        this.activations = requireLength(arrays[offset + 2], blocks * hiddenSize);
        this.hidden = requireLength(arrays[offset + 3], hiddenSize);
        this.dDiag = requireLength(arrays[offset + 4], blocks * hiddenSize);
        this.jacobian = requireLength(arrays[offset + 5], hiddenSize * hiddenSize);
    }

    /** The number of arrays a trace consists of. */
    public static final int ARRAYS = 6;

    /** Fresh arrays for {@link #StepTrace(int, int, int, double[][], int)}, in its order. */
    public static double[][] newArrays(int inputSize, int hiddenSize, int blocks) {
        return new double[][] {new double[inputSize + hiddenSize + 1], new double[hiddenSize],
            new double[blocks * hiddenSize], new double[hiddenSize], new double[blocks * hiddenSize],
            new double[hiddenSize * hiddenSize]};
    }

    private static double[] requireLength(double[] a, int length) {
        if (a.length != length) {
            throw new IllegalArgumentException("trace array of length " + a.length + ", expected " + length);
        }
        return a;
    }

    /**
     * Sets a_t from x (length m, not modified) and h_prev (length n, not modified).
     */
    public void setInput(double[] x, double[] hPrev) {
        System.arraycopy(x, 0, affineInput, 0, inputSize);
        System.arraycopy(hPrev, 0, affineInput, inputSize, hiddenSize);
        affineInput[inputSize + hiddenSize] = 1.0;
        System.arraycopy(hPrev, 0, previousHidden, 0, hiddenSize);
    }

    /** Sets a_t for a one-hot input of the given symbol and h_prev (not modified). */
    public void setSymbolInput(int symbol, double[] hPrev) {
        java.util.Arrays.fill(affineInput, 0, inputSize, 0.0);
        affineInput[symbol] = 1.0;
        System.arraycopy(hPrev, 0, affineInput, inputSize, hiddenSize);
        affineInput[inputSize + hiddenSize] = 1.0;
        System.arraycopy(hPrev, 0, previousHidden, 0, hiddenSize);
    }

    /** Copies every field of other (same shape) into this trace. */
    public void copyFrom(StepTrace other) {
        System.arraycopy(other.affineInput, 0, affineInput, 0, affineInput.length);
        System.arraycopy(other.previousHidden, 0, previousHidden, 0, hiddenSize);
        System.arraycopy(other.activations, 0, activations, 0, activations.length);
        System.arraycopy(other.hidden, 0, hidden, 0, hiddenSize);
        System.arraycopy(other.dDiag, 0, dDiag, 0, dDiag.length);
        System.arraycopy(other.jacobian, 0, jacobian, 0, jacobian.length);
    }
}
