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
 * sqrt(P)) lies between them. AUTO is the sum up to two replicas and the mean above.
 *
 * <p>Why AUTO: between two exchanges every replica moves toward the same optimum on its own, and
 * the others' moves arrive late; once an exchange interval is long enough for one replica to
 * cover the remaining distance d, the merged move is P w d, which overshoots by (P w - 1) d. The
 * exchange is stable only while P w &lt;= 2. The sum (P w = P) matches one replica when exchanges
 * are frequent and diverged from four replicas on when they were not; the mean (P w = 1) never
 * overshoots but moves as if the learning rate were divided by P. docs/RESULTS.md section 0
 * measures all of them against one replica.
 */
public enum MergeRule {
    SUM("sum"),
    MEAN("mean"),
    SQRT("sqrt"),
    AUTO("auto");

    private final String label;

    MergeRule(String label) {
        this.label = label;
    }

    /** Parses auto, sum, mean or sqrt; IllegalArgumentException naming the value otherwise. */
    public static MergeRule parse(String name) {
        for (MergeRule r : values()) {
            if (r.label.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("merge rule must be auto, sum, mean or sqrt, got " + name);
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
            case AUTO -> replicas <= 2 ? 1.0 : 1.0 / replicas;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
