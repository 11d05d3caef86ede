package org.okrtrl.core.train;

/** A first-order update rule over parameter groups. */
public interface Optimizer {
    /**
     * Applies one update: params[i] (modified) from grads[i] (not modified); the groups keep
     * their order and sizes from call to call.
     */
    void update(double[][] params, double[][] grads);

    /** The arrays of the optimiser's own state (live views), empty if it has none. */
    double[][] stateArrays();

    /** The step size from the next update on (its state is kept). */
    void setLearningRate(double learningRate);
}
