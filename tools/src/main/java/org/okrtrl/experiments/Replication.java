package org.okrtrl.experiments;

import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.operators.replication.MergeRule;

/**
 * The job's replication simulated offline: P replicas of the shared model, each with its share of
 * the streams, exchanging their updates every E events of their own under a merge rule of the
 * job's (delivered at once or a given number of exchange intervals late), or in synchronous rounds with an outer Nesterov step ({@link OuterNesterov}) when
 * outerLearningRate is positive.
 */
record Replication(int replicas, long syncEvery, MergeRule merge, double outerLearningRate, double outerMomentum,
        int exchangeLag, boolean holdBack) {
    static final Replication NONE = new Replication(1, Long.MAX_VALUE, MergeRule.SUM);

    Replication(int replicas, long syncEvery, MergeRule merge) {
        this(replicas, syncEvery, merge, 0, 0, 0, true);
    }

    /**
     * @param exchangeLag how many exchange intervals an update takes to reach every replica,
     *     its own included (0: at once); the job's is measured as {@code exchangeLagPublications}
     * @param holdBack whether a replica holds the part of its steps it gives up until its peers'
     *     steps of the same time arrive ({@link org.okrtrl.operators.replication.Replica#setHoldBack})
     */
    Replication {
        if (replicas < 1 || syncEvery < 1 || exchangeLag < 0) {
            throw new IllegalArgumentException("--replicas and --sync-every must be >= 1, --exchange-lag >= 0");
        }
    }

    StreamBatch streams(LearnerSpec spec, long seed, int streams) {
        return new StreamBatch(spec, seed, streams, this);
    }
}
