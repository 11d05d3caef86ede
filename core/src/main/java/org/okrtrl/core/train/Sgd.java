package org.okrtrl.core.train;

/** Plain stochastic gradient descent: theta -= lr * g. */
public final class Sgd implements Optimizer {
    private double learningRate;

    public Sgd(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void update(double[][] params, double[][] grads) {
        for (int g = 0; g < params.length; g++) {
            double[] theta = params[g];
            double[] grad = grads[g];
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= learningRate * grad[i];
            }
        }
    }

    @Override
    public double[][] stateArrays() {
        return new double[0][];
    }

    @Override
    public void setLearningRate(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        this.learningRate = learningRate;
    }
}
