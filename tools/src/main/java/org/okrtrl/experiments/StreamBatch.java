package org.okrtrl.experiments;

import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SequenceLearner;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;
import org.okrtrl.operators.replication.MergeRule;
import org.okrtrl.operators.replication.ModelUpdate;
import org.okrtrl.operators.replication.Replica;

/**
 * B streams learning one model, the way the streaming job's shared mode does (and the paper's
 * batches): with B = 1 a single learner with its own model; with B > 1 one shared learner,
 * one optimiser step per B events on their mean gradient. A learner or stream that turns
 * non-finite is replaced or reset, and counted.
 *
 * <p>With P > 1 replicas it simulates the job at parallelism P offline, on the job's own
 * classes: stream s belongs to replica s mod P, each replica is a {@link Replica} of the shared
 * model with its own optimiser and batch, and every {@code syncEvery} of its own events a
 * replica publishes its steps, which every replica receives at once or, with an exchange lag
 * of L, after L more publications of each replica (the job exchanges them through the model
 * topic, at checkpoints and every --model-sync-every events, and measures L).
 */
final class StreamBatch {
    private final LearnerSpec spec;
    private final long seed;
    private SequenceLearner single;
    private final Replica[] replicas;
    private final StreamState[] streams;
    private final long syncEvery;
    private final long[] ownEvents;
    private final OuterNesterov outer;
    /** Updates on their way: delivered to every replica, their publisher included, when due. */
    private final java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();
    private final long lagPublications;
    private long publications;
    private long clock;
    private long resets;
    private long exchanges;

    StreamBatch(LearnerSpec spec, long seed, int streamCount) {
        this(spec, seed, streamCount, Replication.NONE);
    }

    /**
     * @param replication P replicas sharing the streams (1: one shared model, as before), the
     *     events of its own streams between a replica's publications and how updates merge
     */
    StreamBatch(LearnerSpec spec, long seed, int streamCount, Replication replication) {
        int replicaCount = replication.replicas();
        long syncEvery = replication.syncEvery();
        MergeRule merge = replication.merge();
        this.spec = spec;
        this.seed = seed;
        this.syncEvery = syncEvery;
        // The job's lag counts the publisher's own publications; P replicas publish P times as often.
        this.lagPublications = (long) replication.exchangeLag() * replicaCount;
        if (replicaCount < 1 || replicaCount > Math.max(1, streamCount)) {
            throw new IllegalArgumentException("replicas must be between 1 and the number of streams (" + streamCount
                    + "), got " + replicaCount);
        }
        if (streamCount == 1) {
            this.single = spec.create(seed);
            this.replicas = null;
            this.streams = null;
            this.ownEvents = null;
            this.outer = null;
        } else {
            this.replicas = new Replica[replicaCount];
            for (int r = 0; r < replicaCount; r++) {
                // Every instance draws the same model from the job's seed and steps every B of its own
                // events, as the job's replicas do with --batch-events B.
                LearnerSpec own = spec.withLearningRate(spec.learningRate() * (replication.outerLearningRate() > 0 ? 1
                        : merge.learningRateScale(replicaCount)));
                replicas[r] = Replica.fresh(own.createShared(seed, streamCount, replicaCount > 1), "experiment", r);
                if (replication.outerLearningRate() <= 0) {
                    replicas[r].setHoldBack(replication.holdBack());
                    replicas[r].setMergeWeight(merge.weight(replicaCount), replicaCount);
                }
            }
            this.outer = replication.outerLearningRate() > 0 && replicaCount > 1
                    ? new OuterNesterov(replication.outerLearningRate(), replication.outerMomentum(), replicas) : null;
            this.ownEvents = new long[replicaCount];
            this.streams = new StreamState[streamCount];
            for (int s = 0; s < streamCount; s++) {
                streams[s] = learnerOf(s).newStream(LearnerSpec.streamSeed(seed * 1_000_003L + s));
            }
        }
    }

    int size() {
        return streams == null ? 1 : streams.length;
    }

    private SharedLearner learnerOf(int s) {
        return replicas[s % replicas.length].learner();
    }

    /** Stream s observes the next symbol; returns the loss of its previous prediction (NaN at a start). */
    double observeSymbol(int s, int symbol) {
        if (single != null) {
            double loss = single.observeSymbol(symbol);
            if (!single.healthy()) {
                replaceSingle();
                return Double.NaN;
            }
            return loss;
        }
        double loss = learnerOf(s).observeSymbol(streams[s], symbol);
        eventDone(s);
        if (!streams[s].healthy()) {
            learnerOf(s).resetStream(streams[s]);
            resets++;
            return Double.NaN;
        }
        return loss;
    }

    /** Stream s consumes an input symbol and learns from this step's target. */
    double observe(int s, int input, int target) {
        if (single != null) {
            return single.observe(input, target);
        }
        double loss = learnerOf(s).observe(streams[s], input, target);
        eventDone(s);
        return loss;
    }

    /** Counts an event of stream s's replica; at its sync interval the replica publishes to the others. */
    private void eventDone(int s) {
        if (replicas.length == 1) {
            return;
        }
        int r = s % replicas.length;
        clock++;
        if (++ownEvents[r] % syncEvery != 0) {
            return;
        }
        if (outer != null) {
            outer.publish(r);
            exchanges++;
            return;
        }
        // The events of all replicas so far serve as the clock the job reads from the wall.
        ModelUpdate update = replicas[r].publish(clock);
        publications++;
        if (update != null) {
            inFlight.addLast(new InFlight(update, publications + lagPublications));
            exchanges++;
        }
        while (!inFlight.isEmpty() && inFlight.peekFirst().due() <= publications) {
            deliver(inFlight.removeFirst().update());
        }
    }

    private record InFlight(ModelUpdate update, long due) {}

    /** Every replica receives u (its publisher finds it already applied). */
    private void deliver(ModelUpdate u) {
        for (int other = 0; other < replicas.length; other++) {
            Replica.Outcome outcome = replicas[other].receive(u);
            Replica.Outcome expected = replicas[other].origin() == u.origin() ? Replica.Outcome.ALREADY_APPLIED
                    : Replica.Outcome.APPLIED;
            if (outcome != expected) {
                throw new IllegalStateException("replica " + other + " answered " + outcome + " to update " + u.seq()
                        + " of origin " + u.origin());
            }
        }
    }

    /** Starts a new sequence on stream s (and replaces or resets it if it went non-finite). */
    void endSequence(int s) {
        if (single != null) {
            single.resetSequence();
            if (!single.healthy()) {
                replaceSingle();
            }
            return;
        }
        if (!streams[s].healthy()) {
            learnerOf(s).resetStream(streams[s]);
            resets++;
        } else {
            learnerOf(s).resetSequence(streams[s]);
        }
    }

    private void replaceSingle() {
        resets++;
        single = spec.create(seed + resets * 7919);
    }

    /** The model being trained (replica 0's with several replicas). */
    Model model() {
        return single != null ? single.model() : replicas[0].learner().shared().model();
    }

    /**
     * Measures every synchronous round (with an outer step only) by the probe; returns whether
     * there are rounds to measure.
     */
    boolean probeRounds(RoundProbe probe) {
        if (outer == null) {
            return false;
        }
        outer.setProbe(probe);
        return true;
    }

    /** Updates published and delivered between replicas. */
    long exchanges() {
        return exchanges;
    }

    /** Times a learner was replaced (B = 1) or a stream reset (B > 1) after a non-finite step. */
    long resets() {
        long refused = 0;
        if (replicas != null) {
            for (Replica r : replicas) {
                refused += r.learner().shared().refusedUpdates();
            }
        }
        return resets + refused;
    }
}
