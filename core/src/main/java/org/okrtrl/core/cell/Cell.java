package org.okrtrl.core.cell;

import java.util.SplittableRandom;

/**
 * A recurrent cell whose recurrent parameters enter only through one affine map
 * z_t = W a_t, a_t = [x_t ; h_{t-1} ; 1] (ALGORITHMS.md section 1). W has g n rows and
 * p = m + n + 1 columns, row-major; the immediate parameter Jacobian is D_t (x) a_t.
 */
public interface Cell {
    /** m, the input size. */
    int inputSize();

    /** n, the hidden size. */
    int hiddenSize();

    /** g, the number of pre-activation blocks. */
    int blocks();

    /** p = m + n + 1, the columns of W. */
    default int affineSize() {
        return inputSize() + hiddenSize() + 1;
    }

    /** Number of entries of W: g n p. */
    default int parameterCount() {
        return blocks() * hiddenSize() * affineSize();
    }

    /** Short name: "rnn" or "rhn". */
    String name();

    /**
     * Computes h_t from the trace's affine input with parameters w (not modified); fills the
     * trace's activations and hidden state.
     */
    void forward(double[] w, StepTrace trace);

    /** Fills the trace's D_t diagonals and H_t (after {@link #forward}); w is not modified. */
    void jacobians(double[] w, StepTrace trace);

    /**
     * Writes freshly initialised parameters into w (modified): uniform in +-sqrt(3 / fan-in)
     * per block of columns, biases at the cell's default.
     */
    void initialize(double[] w, SplittableRandom rng);

    /**
     * Writes w (modified) with weights from N(0, scale^2) and biases at the cell's default (see
     * docs/RESULTS.md for why small scales learn better online).
     */
    void initializeNormal(double[] w, SplittableRandom rng, double scale);

    /** A trace buffer of this cell's shape. */
    default StepTrace newTrace() {
        return new StepTrace(inputSize(), hiddenSize(), blocks());
    }
}
