package org.okrtrl.operators.replication;

/**
 * How replicas of one shared model combine their updates (ALGORITHMS.md section 13). Every rule
 * here is linear: a replica publishes its own steps since its last publication multiplied by a
 * weight w, keeps only that weighted part of them itself, and adds every other replica's
 * published update as it is. Once every update is delivered everywhere all replicas equal
 * theta_0 + w * (the sum of all replicas' steps), whatever the arrival order, so agreement and
 * exactly-once delivery keep working as with plain addition.
 *
 * <p>SUM (w = 1) is asynchronous SGD with a staleness of one exchange; MEAN (w = 1 / P) is local
 * SGD / federated averaging (McMahan et al., AISTATS 2017; Stich, ICLR 2019); SQRT (w = 1 /
 * sqrt(P)) lies between them. docs/RESULTS.md section 3 measures them against one replica.
 */
public enum MergeRule {
    SUM("sum"),
    MEAN("mean"),
    SQRT("sqrt");

    private final String label;

    MergeRule(String label) {
        this.label = label;
    }

    /** Parses sum, mean or sqrt; IllegalArgumentException naming the value otherwise. */
    public static MergeRule parse(String name) {
        for (MergeRule r : values()) {
            if (r.label.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("merge rule must be sum, mean or sqrt, got " + name);
    }

    /** The weight w of a replica's own steps when P replicas share the model. */
    public double weight(int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
        }
        return switch (this) {
            case SUM -> 1.0;
            case MEAN -> 1.0 / replicas;
            case SQRT -> 1.0 / Math.sqrt(replicas);
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
