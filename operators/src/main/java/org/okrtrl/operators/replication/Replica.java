package org.okrtrl.operators.replication;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.SharedModel;

/**
 * One parallel instance's replica of the shared model (ALGORITHMS.md section 11): the learner
 * with its parameters and optimiser, the sum of its own steps not yet published, and a ledger
 * of every update the parameters contain, per origin the highest sequence number and the count.
 *
 * <p>An origin is one incarnation of one instance: {@code epoch << 16 | subtask}. The epoch
 * grows by one at every restore, so sequence numbers of an origin are never reused, even for
 * updates whose transaction was aborted by a failure. Each origin publishes 1, 2, 3, ... to a
 * single partition (keyed by origin), so an update is new exactly when its number is above the
 * ledger's highest for its origin; that one rule both skips the replica's own updates and
 * replays after a restore apply each update exactly once.
 *
 * <p>Updates may be published between checkpoints ({@code --model-sync-every}), so the model topic
 * can hold updates that a restore rolled back: published after their origin's last completed
 * checkpoint, by an incarnation that then failed. Its successor replays the same input and
 * publishes those steps again under a new origin. A restore therefore closes every stored origin
 * at the last sequence number its checkpoint covers ({@code nextSeq - 1}); an update of an
 * earlier epoch beyond its origin's closing number is {@link Outcome#ORPHANED} and skipped
 * everywhere, so each step still enters the model exactly once. This holds because every replica's
 * snapshot contains exactly the model-topic prefix its broadcast source had emitted before the
 * checkpoint barrier, which was on the topic before any replica passed that barrier.
 */
public final class Replica {
    private static final int SUBTASK_BITS = 16;
    static final int SNAPSHOT_VERSION = 3;
    /** The most updates whose given-up part a replica holds ({@link HeldBackSteps}). */
    public static final int MAX_HELD_BACK = HeldBackSteps.MAX_PARTS;

    private final SharedLearner learner;
    private final String fingerprint;
    private boolean optimizerRestored;
    private double exchangeLag;
    private long exchangeLagSamples;
    private final long origin;
    private long nextSeq = 1;
    /** origin -> {highest sequence number applied, updates applied}. */
    private final TreeMap<Long, long[]> ledger;
    /** Origins of earlier epochs -> the last sequence number their checkpoints covered. */
    private final TreeMap<Long, Long> closed;
    private final double[] publishW;
    private final double[] publishV;
    private long published;
    private long applied;
    private long rejected;
    private long gaps;
    private long orphaned;
    private long newestAppliedMillis;
    private double mergeWeight = 1.0;
    private HeldBackSteps heldBack;
    private boolean holdBack = true;

    private Replica(SharedLearner learner, String fingerprint, long origin, TreeMap<Long, long[]> ledger,
            TreeMap<Long, Long> closed) {
        this.learner = learner;
        this.fingerprint = fingerprint;
        this.origin = origin;
        this.ledger = ledger;
        this.closed = closed;
        SharedModel shared = learner.shared();
        this.publishW = new double[shared.model().w.length];
        this.publishV = new double[shared.model().v.length];
        this.heldBack = new HeldBackSteps(0, 1);
    }

    /** A replica of a new job: epoch 0, its learner fresh (every instance draws the same model). */
    public static Replica fresh(SharedLearner learner, String fingerprint, int subtask) {
        return new Replica(learner, fingerprint, origin(0, subtask), new TreeMap<>(), new TreeMap<>());
    }

    public static long origin(long epoch, int subtask) {
        return (epoch << SUBTASK_BITS) | subtask;
    }

    public static long epochOf(long origin) {
        return origin >>> SUBTASK_BITS;
    }

    public static int subtaskOf(long origin) {
        return (int) (origin & ((1 << SUBTASK_BITS) - 1));
    }

    public SharedLearner learner() {
        return learner;
    }

    public long origin() {
        return origin;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Whether a restore kept the optimiser's state (false when the job's optimiser changed: its
     * state then starts afresh, the parameters are kept; also false for a fresh replica).
     */
    public boolean optimizerRestored() {
        return optimizerRestored;
    }

    /**
     * Sets the weight w of this replica's own steps ({@link MergeRule#weight}) when P replicas
     * share the model: from the next publication on, it publishes w times its steps and keeps
     * only that part of them itself (once its peers' steps of the same time have arrived).
     */
    public void setMergeWeight(double weight, int replicas) {
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException("merge weight must be in (0, 1], got " + weight);
        }
        double[] w = learner.shared().model().w;
        double[] v = learner.shared().model().v;
        heldBack.setEnabled(false, w, v);
        this.heldBack = new HeldBackSteps(subtaskOf(origin), replicas);
        heldBack.setEnabled(holdBack, w, v);
        this.mergeWeight = weight;
    }

    public double mergeWeight() {
        return mergeWeight;
    }

    /**
     * Whether the part (1 - w) of its own published steps that a replica gives up is held until
     * its peers' steps of the same time arrive (true, the default; {@link HeldBackSteps}) or
     * taken back at once when it is published (false: kept to measure what the delay costs;
     * docs/RESULTS.md section 0h).
     */
    public void setHoldBack(boolean hold) {
        heldBack.setEnabled(hold, learner.shared().model().w, learner.shared().model().v);
        this.holdBack = hold;
    }

    /** Own publications whose held-back part is not yet all taken back. */
    public int heldBack() {
        return heldBack.size();
    }

    /**
     * The steps taken since the last publication as the next update of this origin, entered in
     * the ledger; null when there were none.
     *
     * <p>The update carries w times the steps; the replica gives up the other (1 - w) of them
     * only as its peers' steps of the same time arrive ({@link HeldBackSteps}): until then its
     * own steps stand in for theirs. Taking them back at once (as the linear rule alone would)
     * leaves every replica short of (1 - w) of its recent steps for as long as the others' take to
     * arrive, and its own gradient then pushes to make that up: with w = 1 / P and the rate
     * scaled by P, a delay of a few exchanges made the replicas overshoot and part. Once every
     * update has arrived the parameters are those of the linear rule.
     */
    public ModelUpdate publish(long nowMillis) {
        long steps = learner.shared().drainLocalUpdate(publishW, publishV);
        if (steps == 0) {
            return null;
        }
        long seq = nextSeq++;
        if (mergeWeight != 1.0) {
            double[] partW = new double[publishW.length];
            double[] partV = new double[publishV.length];
            splitOff(publishW, partW);
            splitOff(publishV, partV);
            heldBack.hold(seq, nowMillis, partW, partV, learner.shared().model().w, learner.shared().model().v);
        }
        record(origin, seq);
        published++;
        return new ModelUpdate(fingerprint, origin, seq, nowMillis, steps, publishW.clone(), publishV.clone());
    }

    /** steps becomes w times itself; part receives the other (1 - w) of it. */
    private void splitOff(double[] steps, double[] part) {
        double rest = 1.0 - mergeWeight;
        for (int i = 0; i < steps.length; i++) {
            part[i] = rest * steps[i];
            steps[i] *= mergeWeight;
        }
    }

    /** What {@link #receive} did with an update. */
    public enum Outcome {
        APPLIED,
        ALREADY_APPLIED,
        /** Published after its origin's last checkpoint by an incarnation a restore rolled back. */
        ORPHANED,
        REJECTED
    }

    /**
     * Adds u to the parameters unless the ledger already holds it, a restore rolled it back, or it
     * belongs to another model.
     */
    public Outcome receive(ModelUpdate u) {
        if (!Fingerprint.sameModel(fingerprint, u.fingerprint())) {
            rejected++;
            return Outcome.REJECTED;
        }
        if (u.origin() == origin) {
            // Our own update back from the topic: how many publications later it arrived is the
            // exchange's delay, which every other replica's updates to us share.
            double lag = nextSeq - 1 - u.seq();
            exchangeLag = exchangeLagSamples++ == 0 ? lag : 0.9 * exchangeLag + 0.1 * lag;
        }
        if (epochOf(u.origin()) < epochOf(origin) && u.seq() > closed.getOrDefault(u.origin(), 0L)) {
            orphaned++;
            return Outcome.ORPHANED;
        }
        long highest = highest(u.origin());
        if (u.seq() <= highest) {
            return Outcome.ALREADY_APPLIED;
        }
        if (u.seq() != highest + 1) {
            gaps++;
        }
        learner.shared().applyRemoteUpdate(u.deltaW(), u.deltaV());
        if (epochOf(u.origin()) == epochOf(origin)) {
            heldBack.peerArrived(subtaskOf(u.origin()), u.createdMillis(), learner.shared().model().w,
                    learner.shared().model().v);
        }
        record(u.origin(), u.seq());
        applied++;
        newestAppliedMillis = Math.max(newestAppliedMillis, u.createdMillis());
        return Outcome.APPLIED;
    }

    /**
     * How many of its own publications later this replica's updates come back from the model
     * topic (a moving average; 0 until the first returns): the delay, in exchange intervals, with
     * which the replicas see each other's steps.
     */
    public double exchangeLag() {
        return exchangeLag;
    }

    /** Counts an update that could not even be decoded. */
    public void countRejected() {
        rejected++;
    }

    private void record(long from, long seq) {
        long[] entry = ledger.computeIfAbsent(from, o -> new long[2]);
        entry[0] = seq;
        entry[1]++;
    }

    private long highest(long from) {
        long[] entry = ledger.get(from);
        return entry == null ? 0 : entry[0];
    }

    /** The ledger: origin -> {highest sequence number, updates applied} (a copy). */
    public Map<Long, long[]> ledger() {
        TreeMap<Long, long[]> copy = new TreeMap<>();
        ledger.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    public long published() {
        return published;
    }

    public long applied() {
        return applied;
    }

    public long rejected() {
        return rejected;
    }

    /** Updates skipped because a restore rolled back the incarnation that published them. */
    public long orphaned() {
        return orphaned;
    }

    /** Origins of earlier epochs and the last sequence number of each that a checkpoint covered (a copy). */
    public Map<Long, Long> closedOrigins() {
        return new TreeMap<>(closed);
    }

    /** Updates that arrived with a sequence number beyond the next expected one. */
    public long gaps() {
        return gaps;
    }

    /** Publication time of the newest update applied from another replica (0: none yet). */
    public long newestAppliedMillis() {
        return newestAppliedMillis;
    }

    /** A checksum of the parameters: replicas that agree report the same value up to rounding. */
    public double parameterChecksum() {
        double sum = 0;
        int i = 0;
        for (double x : learner.shared().model().w) {
            sum += x * (1 + (i++ % 7));
        }
        for (double x : learner.shared().model().v) {
            sum += x * (1 + (i++ % 7));
        }
        return sum;
    }

    /** The replica's whole state as bytes (for Flink's union operator state). */
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(SNAPSHOT_VERSION);
            out.writeUTF(fingerprint);
            out.writeLong(origin);
            out.writeLong(nextSeq);
            out.writeInt(ledger.size());
            for (Map.Entry<Long, long[]> e : ledger.entrySet()) {
                out.writeLong(e.getKey());
                out.writeLong(e.getValue()[0]);
                out.writeLong(e.getValue()[1]);
            }
            out.writeInt(closed.size());
            for (Map.Entry<Long, Long> e : closed.entrySet()) {
                out.writeLong(e.getKey());
                out.writeLong(e.getValue());
            }
            for (long s : new long[] {published, applied, rejected, gaps, newestAppliedMillis}) {
                out.writeLong(s);
            }
            heldBack.write(out);
            SharedModel shared = learner.shared();
            long[] scalars = shared.scalarState();
            out.writeInt(scalars.length);
            for (long s : scalars) {
                out.writeLong(s);
            }
            double[][] arrays = shared.stateArrays();
            out.writeInt(arrays.length);
            for (double[] a : arrays) {
                out.writeInt(a.length);
                for (double d : a) {
                    out.writeDouble(d);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The replica of instance {@code subtask} after a restore from the replicas a checkpoint or
     * savepoint holds (every instance is given all of them: union redistribution).
     *
     * <p>Every instance takes the same base, the stored replica of the lowest subtask: its
     * settled parameters ({@link StoredReplica}), optimiser moments and ledger, so all replicas start
     * equal. The other stored replicas differ from it only by updates published before the checkpoint that it had not
     * applied yet (their own last publications, committed to the model topic with the
     * checkpoint); every instance receives them from the topic and, by the ledger rule, applies
     * them exactly once. If the topic no longer holds them (deleted, expired), every instance
     * misses the same updates: the replicas still agree, and what is lost is those few steps, not
     * agreement. (Taking each instance's own stored replica as its base, as earlier versions did,
     * kept those steps but let the replicas part for good when the topic lost them.) Only the
     * base's own instance keeps the base's partly accumulated batch, so no gradient is applied
     * twice. The new origin's epoch is one above every stored origin's, and every stored origin is
     * closed at the last sequence number its checkpoint covered.
     *
     * @param learner a fresh learner of the configured model (its state is overwritten)
     */
    public static Replica restore(List<byte[]> snapshots, SharedLearner learner, String fingerprint, int subtask) {
        if (snapshots.isEmpty()) {
            return fresh(learner, fingerprint, subtask);
        }
        List<StoredReplica> stored = new ArrayList<>();
        for (byte[] s : snapshots) {
            stored.add(StoredReplica.read(s));
        }
        long maxEpoch = 0;
        for (StoredReplica s : stored) {
            if (!Fingerprint.sameModel(s.fingerprint(), fingerprint)) {
                throw new IllegalStateException("the restored shared model does not fit this job's settings ("
                        + Fingerprint.difference(s.fingerprint(), fingerprint) + "): restore with the settings it "
                        + "was written with, or start the job without state (--initial-model takes an exported model)");
            }
            maxEpoch = Math.max(maxEpoch, epochOf(s.origin()));
        }
        StoredReplica base = stored.stream().min(java.util.Comparator.comparingInt(StoredReplica::subtask)).orElseThrow();
        SharedModel shared = learner.shared();
        boolean optimizerKept;
        try {
            optimizerKept = shared.restoreArrays(base.modelArrays());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the restored shared model does not fit this job's model: " + e.getMessage(),
                    e);
        }
        long[] scalars = base.modelScalars().clone();
        if (base.subtask() != subtask) {
            // Another instance's partial batch stays with that instance's successor only.
            java.util.Arrays.fill(shared.gradW(), 0.0);
            java.util.Arrays.fill(shared.gradV(), 0.0);
            scalars[0] = 0;
            shared.drainLocalUpdate(new double[shared.model().w.length], new double[shared.model().v.length]);
            scalars[3] = 0;
        }
        shared.restoreScalarState(scalars);
        TreeMap<Long, Long> closed = new TreeMap<>();
        for (StoredReplica s : stored) {
            s.closed().forEach(closed::putIfAbsent);
            closed.put(s.origin(), s.nextSeq() - 1);
        }
        Replica r = new Replica(learner, fingerprint, origin(maxEpoch + 1, subtask), new TreeMap<>(base.ledger()),
                closed);
        r.applied = base.applied();
        // Rejections are this instance's own record (a metric that survives restores).
        r.rejected = stored.stream().filter(s -> s.subtask() == subtask).mapToLong(StoredReplica::rejected).findFirst()
                .orElse(0);
        r.optimizerRestored = optimizerKept;
        return r;
    }
}
