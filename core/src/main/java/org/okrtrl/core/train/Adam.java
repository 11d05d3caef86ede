package org.okrtrl.core.train;

import org.okrtrl.core.linalg.Dense;

/**
 * Adam (Kingma and Ba, ICLR 2015) with bias correction. The OK-RTRL paper trains with
 * learning rate 10^-3.5 ({@link #DEFAULT_LEARNING_RATE}); the product's default depends on the
 * model's size ({@link Defaults#learningRate}).
 */
public final class Adam implements Optimizer {
    /** The OK-RTRL paper's rate, 10^-3.5. */
    public static final double DEFAULT_LEARNING_RATE = Math.pow(10, -3.5);

    /** Kingma and Ba's first-moment decay. */
    public static final double BETA1 = 0.9;

    /** Kingma and Ba's second-moment decay; wide text models take {@link Defaults#ADAM_BETA2_WIDE}. */
    public static final double BETA2 = 0.999;

    /** Kingma and Ba's epsilon. */
    public static final double EPSILON = 1e-8;

    private double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[][] first;
    private final double[][] second;
    /** {t} as a one-element array so the step count travels with the other state arrays. */
    private final double[] step = new double[1];

    /** @param groupSizes the length of each parameter group, in update order */
    public Adam(double learningRate, int... groupSizes) {
        this(learningRate, BETA1, BETA2, EPSILON, groupSizes);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon, int... groupSizes) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.first = new double[groupSizes.length][];
        this.second = new double[groupSizes.length][];
        for (int g = 0; g < groupSizes.length; g++) {
            first[g] = new double[groupSizes[g]];
            second[g] = new double[groupSizes[g]];
        }
    }

    @Override
    public void update(double[][] params, double[][] grads) {
        step[0] += 1;
        double t = step[0];
        double correction1 = 1.0 - Math.pow(beta1, t);
        double correction2 = 1.0 - Math.pow(beta2, t);
        double stepSize = learningRate * Math.sqrt(correction2) / correction1;
        for (int g = 0; g < params.length; g++) {
            Dense.adamUpdate(params[g].length, params[g], grads[g], first[g], second[g], beta1, beta2, stepSize,
                    epsilon);
        }
    }

    @Override
    public double[][] stateArrays() {
        double[][] arrays = new double[2 * first.length + 1][];
        for (int g = 0; g < first.length; g++) {
            arrays[2 * g] = first[g];
            arrays[2 * g + 1] = second[g];
        }
        arrays[arrays.length - 1] = step;
        return arrays;
    }

    @Override
    public void setLearningRate(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        this.learningRate = learningRate;
    }
}
