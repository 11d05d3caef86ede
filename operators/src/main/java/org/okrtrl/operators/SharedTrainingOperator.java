package org.okrtrl.operators;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;
import org.okrtrl.operators.replication.ModelUpdate;
import org.okrtrl.operators.replication.ModelUpdateCodec;
import org.okrtrl.operators.replication.Replica;

/**
 * Trains one model shared by all stream keys (ALGORITHMS.md section 11). Input 1, keyed by
 * stream id, carries the records; each key's {@link StreamKeyState} (hidden state, influence
 * factors, bookkeeping) is the keyed state {@value #STREAM_STATE_NAME}. Input 2, broadcast to
 * every instance, carries the other instances' model updates from the model topic.
 *
 * <p>Each instance holds a {@link Replica} of the model in union operator state
 * {@value #MODEL_STATE_NAME}. Every {@code modelSyncEvery} of its own events, and just before each
 * checkpoint barrier, it publishes the sum of its optimiser steps since its last publication to
 * the side output {@link #MODEL_UPDATES}; the job writes them to the model topic at once, so the
 * other replicas see them within milliseconds instead of a checkpoint interval later (staleness
 * is what costs a shared model bits per character: docs/RESULTS.md section 0). Updates a
 * failure rolls back are recognised by the replicas' ledgers ({@link Replica}), so every step
 * still enters the model exactly once.
 */
public final class SharedTrainingOperator extends AbstractStreamOperator<Prediction>
        implements TwoInputStreamOperator<StepBatch, RawRecord, Prediction> {
    private static final long serialVersionUID = 1L;
    public static final String STREAM_STATE_NAME = "stream";
    public static final String MODEL_STATE_NAME = "shared-model";
    public static final OutputTag<byte[]> MODEL_UPDATES =
            new OutputTag<>("model-updates", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private final TrainingConfig config;
    private final RecordTraining<StreamKeyState> training;
    private transient SharedStreams sharedStreams;
    private transient SharedLearner learner;
    private transient StreamState template;
    private transient Replica replica;
    private transient ModelUpdateCodec codec;
    private transient ValueState<StreamKeyState> streams;
    private transient ListState<byte[]> modelState;
    private transient TrainingMetrics metrics;
    private transient Counter updatesPublished;
    private transient Counter updatesApplied;
    private transient Counter updatesRejected;
    private transient Counter updatesOrphaned;
    private transient long eventsSincePublished;
    private transient Counter streamsRestarted;
    private transient int replicas;
    /** The factor on this replica's learning rate ({@link org.okrtrl.operators.replication.MergeRule}). */
    private transient double rateScale;
    private transient long lastRejectionLogMillis;
    private transient long suppressedRejections;
    private static final long REJECTION_LOG_INTERVAL_MILLIS = 1_000;
    private transient long lastRestartLogMillis;
    private static final long RESTART_LOG_INTERVAL_MILLIS = 60_000;
    /** From this rate scale on, rare exchanges made the replicas diverge offline. */
    private static final double RARE_EXCHANGE_SCALE = 8;

    public SharedTrainingOperator(TrainingConfig config) {
        this.config = config;
        this.training = new RecordTraining<>(config);
    }

    /** The keyed state of one stream (also used to read savepoints). */
    public static ValueStateDescriptor<StreamKeyState> streamStateDescriptor(LearnerSpec spec) {
        return new ValueStateDescriptor<>(STREAM_STATE_NAME, new StreamKeyStateSerializer(spec));
    }

    /** The union operator state holding each instance's replica (also used to read savepoints). */
    public static ListStateDescriptor<byte[]> modelStateDescriptor() {
        return new ListStateDescriptor<>(MODEL_STATE_NAME, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        LearnerSpec spec = config.spec();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        replicas = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        rateScale = config.merge().learningRateScale(replicas);
        if (rateScale >= RARE_EXCHANGE_SCALE && (config.modelSyncEvery() == 0 || config.modelSyncEvery() > 10_000)) {
            LOG.warn("{} replicas each step at {} times the learning rate (--merge {}) but exchange only every {}: "
                    + "offline, exchanges rarer than about 10,000 events per replica diverged at this scale "
                    + "(docs/RESULTS.md section 0g); set --model-sync-every 256 or --merge mean", replicas, rateScale,
                    config.merge(), config.modelSyncEvery() == 0 ? "checkpoint" : config.modelSyncEvery() + " events");
        }
        learner = spec.withLearningRate(spec.learningRate() * rateScale)
                .createShared(config.seed(), config.batchEvents(), true);
        // Every replica starts from the same model; a restore then replaces it with the stored one.
        config.initialize(learner.shared().model());
        org.okrtrl.operators.replication.ModelUpdateKeys keys = config.modelUpdateKeys();
        codec = new ModelUpdateCodec(config.modelFingerprint(), learner.shared().model().w.length,
                learner.shared().model().v.length, keys);
        if (keys != null) {
            LOG.info("model updates are signed and checked with HMAC-SHA256 ({} key(s) accepted)", keys.size());
        }
        modelState = context.getOperatorStateStore().getUnionListState(modelStateDescriptor());
        List<byte[]> stored = new ArrayList<>();
        if (context.isRestored()) {
            for (byte[] b : modelState.get()) {
                stored.add(b);
            }
            if (stored.isEmpty()) {
                throw new StateMismatchException("the restored state holds no shared model: it was written by a job "
                        + "with one model per key (--model per-key); restore it with --model per-key, or start this "
                        + "job without state (export-model and --initial-model carry a model across)", null);
            }
        }
        try {
            replica = Replica.restore(stored, learner, config.modelFingerprint(), subtask);
        } catch (IllegalStateException e) {
            throw new StateMismatchException(e.getMessage(), e);
        }
        replica.setMergeWeight(config.merge().weight(replicas), replicas);
        LOG.info("shared model {} on subtask {}: {} (origin {}, {} stored replicas)", config.modelFingerprint(), subtask,
                stored.isEmpty() ? "fresh" : "restored", replica.origin(), stored.size());
        if (!stored.isEmpty() && !replica.optimizerRestored()) {
            LOG.warn("the restored shared model was trained with another optimiser: its parameters are kept, the {} "
                    + "optimiser's state starts afresh", spec.optimizer());
        }
        ValueStateDescriptor<StreamKeyState> descriptor = streamStateDescriptor(spec);
        if (config.ttl() != null) {
            descriptor.enableTimeToLive(config.ttl());
        }
        try {
            streams = getPartitionedState(descriptor);
        } catch (Exception e) {
            if (StateMismatchException.isIncompatibleState(e)) {
                throw StateMismatchException.keyedState("per-stream state", e);
            }
            throw e;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup group = getMetricGroup().addGroup(TrainingMetrics.GROUP);
        metrics = TrainingMetrics.register(getMetricGroup(), config.vocabulary() != null);
        sharedStreams = new SharedStreams(learner);
        updatesPublished = group.counter("modelUpdatesPublished");
        updatesApplied = group.counter("modelUpdatesApplied");
        updatesRejected = group.counter("modelUpdatesRejected");
        // The replica keeps the count through checkpoints; the metric carries on from it.
        updatesRejected.inc(replica.rejected());
        updatesOrphaned = group.counter("modelUpdatesOrphaned");
        streamsRestarted = group.counter("streamsRestarted");
        group.gauge("modelSteps", () -> learner.shared().updates());
        group.gauge("parameterChecksum", () -> replica.parameterChecksum());
        group.gauge("exchangeLagPublications", () -> replica.exchangeLag());
        group.gauge("learningRateScale", () -> rateScale);
        group.gauge("newestAppliedUpdateAgeMillis", () -> replica.newestAppliedMillis() == 0 ? -1L
                : System.currentTimeMillis() - replica.newestAppliedMillis());
    }

    @Override
    public void processElement1(StreamRecord<StepBatch> element) throws Exception {
        StepBatch batch = element.getValue();
        StreamKeyState key = streams.value();
        if (key != null && !key.hasStreamFor(config.spec().algorithm())) {
            key = restartStream(key);
        } else if (key != null && !key.streamMatches(templateStream())) {
            key.convertStreamInto(learner.newStream(0));
        }
        if (key == null) {
            long keySeed = LearnerSpec.keySeed(config.seed(), batch.key);
            key = new StreamKeyState(keySeed, learner.newStream(LearnerSpec.streamSeed(keySeed)));
            if (metrics.stateBytes == 0) {
                metrics.stateBytes = key.stream.arrayBytes();
            }
        }
        training.process(key, batch, sharedStreams, metrics,
                d -> output.collect(OnlineTrainingFunction.DEAD_LETTERS, new StreamRecord<>(d)),
                p -> output.collect(element.hasTimestamp() ? new StreamRecord<>(p, element.getTimestamp())
                        : new StreamRecord<>(p)));
        streams.update(key);
        logSuppressedRejections();
        eventsSincePublished += batch.steps();
        if (config.modelSyncEvery() > 0 && eventsSincePublished >= config.modelSyncEvery()) {
            publish();
        }
    }

    /** A stream of this job's learner, for the shape of its arrays (made once). */
    private StreamState templateStream() {
        if (template == null) {
            template = learner.newStream(0);
        }
        return template;
    }

    /**
     * The key with a fresh stream state in place of one a restore dropped because the learning
     * rule changed (the key's counters and sequence position stay); counted and logged.
     */
    private StreamKeyState restartStream(StreamKeyState stale) {
        StreamKeyState fresh = new StreamKeyState(stale.keySeed, learner.newStream(LearnerSpec.streamSeed(stale.keySeed)));
        fresh.copyCountersFrom(stale);
        streamsRestarted.inc();
        long now = System.currentTimeMillis();
        if (streamsRestarted.getCount() == 1 || now - lastRestartLogMillis >= RESTART_LOG_INTERVAL_MILLIS) {
            lastRestartLogMillis = now;
            LOG.info("stream state written for {} does not fit this job's {}: the stream starts afresh, the shared model "
                    + "and the key's counters are kept ({} streams restarted so far on this instance)",
                    stale.algorithm, config.spec().algorithm(), streamsRestarted.getCount());
        }
        return fresh;
    }

    /** Publishes this replica's steps since its last publication, if it took any. */
    private void publish() {
        eventsSincePublished = 0;
        ModelUpdate update = replica.publish(System.currentTimeMillis());
        if (update != null) {
            output.collect(MODEL_UPDATES, new StreamRecord<>(codec.encodeSigned(update)));
            updatesPublished.inc();
        }
    }

    /**
     * Every key is one stream of the shared model; a stream that went non-finite starts over (the
     * shared model never took its contribution).
     */
    static final class SharedStreams implements RecordTraining.KeyLearning<StreamKeyState> {
        private final SharedLearner learner;

        SharedStreams(SharedLearner learner) {
            this.learner = learner;
        }

        @Override
        public void resetSequence(StreamKeyState key) {
            learner.resetSequence(key.stream);
        }

        @Override
        public double observeSymbol(StreamKeyState key, int symbol) {
            return learner.observeSymbol(key.stream, symbol);
        }

        @Override
        public double observe(StreamKeyState key, double[] x, double[] y) {
            return learner.observe(key.stream, x, y);
        }

        @Override
        public double observeAndForecast(StreamKeyState key, double[] observed, double[] x) {
            return learner.observeAndForecast(key.stream, observed, x);
        }

        @Override
        public double scoreSymbol(StreamKeyState key, int symbol) {
            return learner.scoreSymbol(key.stream, symbol);
        }

        @Override
        public double score(StreamKeyState key, double[] x, double[] y) {
            return learner.score(key.stream, x, y);
        }

        @Override
        public double scoreAndForecast(StreamKeyState key, double[] observed, double[] x) {
            return learner.scoreAndForecast(key.stream, observed, x);
        }

        @Override
        public boolean healthy(StreamKeyState key) {
            return key.stream.healthy();
        }

        @Override
        public void heal(StreamKeyState key) {
            learner.resetStream(key.stream);
            key.divergenceResets++;
        }

        @Override
        public double[] prediction(StreamKeyState key) {
            return key.stream.prediction();
        }

        @Override
        public long modelSteps(StreamKeyState key) {
            return learner.shared().updates();
        }
    }

    @Override
    public void processElement2(StreamRecord<RawRecord> element) {
        RawRecord r = element.getValue();
        ModelUpdateCodec.Decoded decoded = codec.decode(r.value);
        Replica.Outcome outcome;
        String reason;
        if (decoded.update() == null) {
            replica.countRejected();
            outcome = Replica.Outcome.REJECTED;
            reason = decoded.rejection();
        } else {
            ModelUpdate u = decoded.update();
            outcome = replica.receive(u);
            reason = "update " + u.seq() + " of origin " + u.origin() + " for model " + u.fingerprint();
        }
        if (outcome == Replica.Outcome.APPLIED) {
            updatesApplied.inc();
        } else if (outcome == Replica.Outcome.ORPHANED) {
            updatesOrphaned.inc();
        } else if (outcome == Replica.Outcome.REJECTED) {
            updatesRejected.inc();
            logRejection(r, reason);
        }
        logSuppressedRejections();
    }

    /**
     * Logs a rejected model-topic record with its position and reason; under a flood, at most one
     * line per {@value #REJECTION_LOG_INTERVAL_MILLIS} ms, the next one counting those left out.
     */
    private void logRejection(RawRecord r, String reason) {
        long now = System.currentTimeMillis();
        if (now - lastRejectionLogMillis < REJECTION_LOG_INTERVAL_MILLIS) {
            suppressedRejections++;
            return;
        }
        LOG.warn("rejected model-topic record {}-{}@{} ({} rejected on this instance, {} not logged since the last "
                + "line): {}", r.topic, r.partition, r.offset, updatesRejected.getCount(), suppressedRejections, reason);
        lastRejectionLogMillis = now;
        suppressedRejections = 0;
    }

    /** Rejections left out of the log are reported within one interval even if no other arrives. */
    private void logSuppressedRejections() {
        if (suppressedRejections > 0
                && System.currentTimeMillis() - lastRejectionLogMillis >= REJECTION_LOG_INTERVAL_MILLIS) {
            LOG.warn("{} more model-topic records rejected ({} on this instance); the last logged line gives a reason",
                    suppressedRejections, updatesRejected.getCount());
            lastRejectionLogMillis = System.currentTimeMillis();
            suppressedRejections = 0;
        }
    }

    @Override
    public void close() throws Exception {
        if (replica != null && updatesPublished != null) {
            // A failed start (a refused restore) has no replica to report on.
            LOG.info("replica {}: exchange lag {} publications, rate scale {}, {} published, {} applied",
                    replica.origin(), replica.exchangeLag(), rateScale, updatesPublished.getCount(),
                    updatesApplied.getCount());
        }
        super.close();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        publish();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        modelState.update(List.of(replica.snapshot()));
    }

    /** This instance's replica (tests inspect it). */
    public Replica replica() {
        return replica;
    }
}
