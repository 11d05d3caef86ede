package org.okrtrl.core.train;

/** The optimisers users can choose: {@code adam} and {@code sgd}. */
public enum OptimizerType {
    ADAM("adam"),
    SGD("sgd");

    private final String label;

    OptimizerType(String label) {
        this.label = label;
    }

    /** Parses adam or sgd; IllegalArgumentException naming the value otherwise. */
    public static OptimizerType parse(String name) {
        for (OptimizerType t : values()) {
            if (t.label.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("optimizer must be adam or sgd, got " + name);
    }

    /**
     * An optimiser of this type for a model with the given parameter counts.
     *
     * @param adamBeta2 Adam's second-moment decay (ignored by SGD)
     */
    public Optimizer create(double learningRate, double adamBeta2, int recurrentParameters, int readoutParameters) {
        return this == ADAM ? new Adam(learningRate, Adam.BETA1, adamBeta2, Adam.EPSILON, recurrentParameters,
                readoutParameters) : new Sgd(learningRate);
    }

    @Override
    public String toString() {
        return label;
    }
}
