package org.okrtrl.operators;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.okrtrl.core.train.LearnerSpec;

/**
 * Trains one model per stream key, online, at every step: the key's learner lives in the named
 * keyed state {@value #STATE_NAME}. Per record: duplicates (seq at or below the last seen) are
 * dropped and counted; gaps are counted and, by policy, start a new sequence; "reset" starts a
 * new sequence. Every step emits one {@link Prediction}. If learning produces a non-finite
 * number, the key's model goes back to its initial state before anything is stored.
 */
public class OnlineTrainingFunction extends KeyedProcessFunction<String, StepBatch, Prediction>
        implements org.apache.flink.streaming.api.checkpoint.CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    public static final String STATE_NAME = "learner";
    /** Records the per-key rules reject (sequence numbers that jump too far). */
    public static final org.apache.flink.util.OutputTag<DeadLetter> DEAD_LETTERS =
            new org.apache.flink.util.OutputTag<>("training-dead-letters") {};

    private final TrainingConfig config;
    private final RecordTraining<KeyState> training;
    private transient ValueState<KeyState> state;
    private transient TrainingMetrics metrics;

    public OnlineTrainingFunction(TrainingConfig config) {
        this.config = config;
        this.training = new RecordTraining<>(config);
    }

    /** The descriptor of the keyed state (also used to read savepoints). */
    public static ValueStateDescriptor<KeyState> stateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, KeyStateSerializer.INSTANCE);
    }

    /** Refuses a restore from a job with one shared model: its state would otherwise be ignored. */
    @Override
    public void initializeState(org.apache.flink.runtime.state.FunctionInitializationContext context) {
        if (context.isRestored() && context.getOperatorStateStore().getRegisteredStateNames()
                .contains(SharedTrainingOperator.MODEL_STATE_NAME)) {
            throw new StateMismatchException("the restored state holds one shared model (it was written with --model "
                    + "shared), this job keeps one model per key; restore it with --model shared, or start this job "
                    + "without state", null);
        }
    }

    @Override
    public void snapshotState(org.apache.flink.runtime.state.FunctionSnapshotContext context) {
        // Everything this function keeps is keyed state, snapshotted by Flink.
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<KeyState> descriptor = stateDescriptor();
        if (config.ttl() != null) {
            descriptor.enableTimeToLive(config.ttl());
        }
        try {
            state = getRuntimeContext().getState(descriptor);
        } catch (RuntimeException e) {
            if (StateMismatchException.isIncompatibleState(e)) {
                throw StateMismatchException.keyedState("per-key state", e);
            }
            throw e;
        }
        metrics = TrainingMetrics.register(getRuntimeContext().getMetricGroup(), config.vocabulary() != null);
        streamsRestarted = getRuntimeContext().getMetricGroup().addGroup(TrainingMetrics.GROUP).counter("streamsRestarted");
    }

    @Override
    public void processElement(StepBatch batch, Context ctx, Collector<Prediction> out) throws Exception {
        KeyState key = state.value();
        if (key != null && !key.learnsAs(config.spec())) {
            key = adopt(key);
        }
        if (key == null) {
            key = KeyState.fresh(config.spec(), LearnerSpec.keySeed(config.seed(), batch.key));
            config.initialize(key.learner.model());
        }
        training.process(key, batch, ownLearner(), metrics, d -> ctx.output(DEAD_LETTERS, d), out::collect);
        if (metrics.stateBytes == 0) {
            metrics.stateBytes = key.arrayBytes();
        }
        state.update(key);
    }

    /**
     * The key under the job's settings after a restore that changed its learning rule or
     * optimiser settings: model kept, stream afresh (counted and logged); a changed shape fails
     * the job once, naming the setting.
     */
    private KeyState adopt(KeyState stored) {
        KeyState adopted;
        try {
            adopted = stored.adoptedBy(config.spec());
        } catch (IllegalArgumentException e) {
            throw new StateMismatchException("the restored model of a key does not fit this job's settings ("
                    + e.getMessage() + "): restore with the settings it was written with, or start the job without "
                    + "state", e);
        }
        if (!stored.spec.algorithm().equals(config.spec().algorithm())) {
            streamsRestarted.inc();
        }
        long now = System.currentTimeMillis();
        if (keysAdopted++ == 0 || now - lastAdoptLogMillis >= 60_000) {
            lastAdoptLogMillis = now;
            LOG.info("key state written for {} ({}, rate {}) continues under {} ({}, rate {}): its model is kept{}; "
                    + "the optimiser's state {} ({} keys so far on this instance)", stored.spec.algorithm(),
                    stored.spec.optimizer(), stored.spec.learningRate(), config.spec().algorithm(),
                    config.spec().optimizer(), config.spec().learningRate(),
                    stored.spec.algorithm().equals(config.spec().algorithm()) ? " with its stream"
                            : ", its stream starts afresh",
                    stored.spec.optimizer() == config.spec().optimizer() ? "is kept" : "starts afresh", keysAdopted);
        }
        return adopted;
    }

    private transient org.apache.flink.metrics.Counter streamsRestarted;
    private transient long keysAdopted;
    private transient long lastAdoptLogMillis;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OnlineTrainingFunction.class);

    private transient RecordTraining.KeyLearning<KeyState> ownLearnerCache;

    /** Every key learns with its own learner; a diverged key goes back to its initial model. */
    static final RecordTraining.KeyLearning<KeyState> OWN_LEARNER = new OwnLearner(null);

    /** The key learning of this function: as {@link #OWN_LEARNER}, the initial model the configuration's. */
    private RecordTraining.KeyLearning<KeyState> ownLearner() {
        if (ownLearnerCache == null) {
            ownLearnerCache = new OwnLearner(config);
        }
        return ownLearnerCache;
    }

    /** A key's own learner; config (nullable) gives the initial model a diverged key returns to. */
    private static final class OwnLearner implements RecordTraining.KeyLearning<KeyState> {
        private final TrainingConfig config;

        OwnLearner(TrainingConfig config) {
            this.config = config;
        }

        @Override
        public void resetSequence(KeyState key) {
            key.learner.resetSequence();
        }

        @Override
        public double observeSymbol(KeyState key, int symbol) {
            return key.learner.observeSymbol(symbol);
        }

        @Override
        public double observe(KeyState key, double[] x, double[] y) {
            return key.learner.observe(x, y);
        }

        @Override
        public double observeAndForecast(KeyState key, double[] observed, double[] x) {
            return key.learner.observeAndForecast(observed, x);
        }

        @Override
        public double scoreSymbol(KeyState key, int symbol) {
            return key.learner.scoreSymbol(symbol);
        }

        @Override
        public double score(KeyState key, double[] x, double[] y) {
            return key.learner.score(x, y);
        }

        @Override
        public double scoreAndForecast(KeyState key, double[] observed, double[] x) {
            return key.learner.scoreAndForecast(observed, x);
        }

        @Override
        public boolean healthy(KeyState key) {
            return key.learner.healthy();
        }

        @Override
        public void heal(KeyState key) {
            key.resetModel();
            if (config != null) {
                config.initialize(key.learner.model());
            }
        }

        @Override
        public double[] prediction(KeyState key) {
            return key.learner.prediction();
        }

        @Override
        public long modelSteps(KeyState key) {
            return key.learner.updates();
        }
    }
}
