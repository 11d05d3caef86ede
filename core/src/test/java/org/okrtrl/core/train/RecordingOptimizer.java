package org.okrtrl.core.train;

/** Leaves parameters unchanged and records the sum of every gradient it is given. */
final class RecordingOptimizer implements Optimizer {
    final double[][] sums;
    int calls;

    RecordingOptimizer(Model model) {
        this.sums = new double[][] {new double[model.w.length], new double[model.v.length]};
    }

    @Override
    public void update(double[][] params, double[][] grads) {
        calls++;
        for (int g = 0; g < grads.length; g++) {
            for (int i = 0; i < grads[g].length; i++) {
                sums[g][i] += grads[g][i];
            }
        }
    }

    @Override
    public double[][] stateArrays() {
        return new double[0][];
    }

    @Override
    public void setLearningRate(double learningRate) {
        // Records gradients only; there is no step size.
    }
}
