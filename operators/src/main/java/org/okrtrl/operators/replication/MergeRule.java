package org.okrtrl.operators.replication;

/**
 * How replicas of one shared model combine their updates (ALGORITHMS.md section 11). Every rule
 * here is linear: a replica publishes its own steps since its last publication multiplied by a
 * weight w, keeps only that weighted part of them itself (from when its update returns from the
 * topic, {@link Replica#publish}), and adds every other replica's published update as it is.
 * Once every update is delivered everywhere all replicas equal theta_0 + w * (the sum of all
 * replicas' steps), whatever the arrival order, so agreement and exactly-once delivery keep
 * working as with plain addition. A rule may also scale the rate of a replica's own optimiser
 * ({@link #learningRateScale}).
 *
 * <p>SUM (w = 1) is asynchronous SGD with a staleness of one exchange; MEAN (w = 1 / P) is local
 * SGD / federated averaging (McMahan et al., AISTATS 2017; Stich, ICLR 2019); SQRT (w = 1 /
 * sqrt(P)) lies between them. SCALED is the mean with every replica stepping at s = min(P, 8)
 * times the learning rate: the linear scaling rule of large-batch training (Goyal et al., 2017)
 * applied to model averaging. AUTO, the default, is SCALED: it did best at every parallelism
 * measured, in the offline simulator with and without a delayed exchange and through the job
 * (docs/RESULTS.md section 0h).
 *
 * <p>Why: between two exchanges every replica moves toward the same optimum on its own, and the
 * others' moves arrive late; once an exchange interval is long enough for one replica to cover
 * the remaining distance d, the merged move is P w d, which overshoots by (P w - 1) d. The
 * exchange is stable only while P w &lt;= 2, so the sum diverged from four replicas on unless
 * exchanges were very frequent. The mean (P w = 1) never overshoots but moves as if the learning
 * rate were divided by P: each replica's steps keep 1 / P of their size. SCALED gives them their
 * size back (s w = 1 along directions where the replicas agree) while keeping the mean's
 * contraction where they have converged, and the average over P replicas cancels most of the
 * extra noise of the larger local steps. Beyond s = 8 the local steps themselves became unstable
 * (P = 16 with one stream per replica: 3.57 bits at s = 16, 3.47 at s = 8). A delayed exchange
 * no longer upsets it because a replica holds all of its own steps until they return with the
 * others' ({@link Replica#publish}); lowering s for the delay, as an earlier version did, cost
 * more than it saved (section 0h).
 */
public enum MergeRule {
    SUM("sum"),
    MEAN("mean"),
    SQRT("sqrt"),
    SCALED("scaled"),
    AUTO("auto");

    /** The largest factor SCALED multiplies a replica's learning rate by. */
    public static final int MAX_RATE_SCALE = 8;

    private final String label;

    MergeRule(String label) {
        this.label = label;
    }

    /** Parses auto, sum, mean, sqrt or scaled; IllegalArgumentException naming the value otherwise. */
    public static MergeRule parse(String name) {
        for (MergeRule r : values()) {
            if (r.label.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("merge rule must be auto, scaled, sum, mean or sqrt, got " + name);
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
            case SCALED -> 1.0 / replicas;
            case AUTO -> 1.0 / replicas;
        };
    }

    /** The factor a replica's own learning rate is multiplied by when P replicas share the model. */
    public double learningRateScale(int replicas) {
        weight(replicas);
        return switch (this) {
            case SCALED, AUTO -> Math.min(replicas, MAX_RATE_SCALE);
            default -> 1.0;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
