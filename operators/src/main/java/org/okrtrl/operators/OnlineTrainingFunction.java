package org.okrtrl.operators;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SequenceLearner;

/**
 * Trains one model per stream key, online, at every step: the key's learner lives in the named
 * keyed state {@value #STATE_NAME}. Per record: duplicates (seq at or below the last seen) are
 * dropped and counted; gaps are counted and, by policy, start a new sequence; "reset" starts a
 * new sequence. Every step emits one {@link Prediction}. If learning produces a non-finite
 * number, the key's model goes back to its initial state before anything is stored.
 */
public class OnlineTrainingFunction extends KeyedProcessFunction<String, StepBatch, Prediction> {
    private static final long serialVersionUID = 1L;
    public static final String STATE_NAME = "learner";
    /** Records the per-key rules reject (sequence numbers that jump too far). */
    public static final org.apache.flink.util.OutputTag<DeadLetter> DEAD_LETTERS =
            new org.apache.flink.util.OutputTag<>("training-dead-letters") {};

    private final TrainingConfig config;
    private final RecordRules rules;
    private final Predictions predictions;
    private transient ValueState<KeyState> state;
    private transient TrainingMetrics metrics;

    public OnlineTrainingFunction(TrainingConfig config) {
        this.config = config;
        this.rules = config.rules();
        this.predictions = new Predictions(config);
    }

    /** The descriptor of the keyed state (also used to read savepoints). */
    public static ValueStateDescriptor<KeyState> stateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, KeyStateSerializer.INSTANCE);
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<KeyState> descriptor = stateDescriptor();
        if (config.ttl() != null) {
            descriptor.enableTimeToLive(config.ttl());
        }
        state = getRuntimeContext().getState(descriptor);
        metrics = TrainingMetrics.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(StepBatch batch, Context ctx, Collector<Prediction> out) throws Exception {
        KeyState key = state.value();
        if (key == null) {
            key = KeyState.fresh(config.spec(), LearnerSpec.keySeed(config.seed(), batch.key));
        }
        RecordRules.Action action = metrics.admit(rules, config, key, batch, d -> ctx.output(DEAD_LETTERS, d));
        if (action == RecordRules.Action.DROP_DUPLICATE || action == RecordRules.Action.REJECT_SEQ_JUMP) {
            state.update(key);
            return;
        }
        if (action == RecordRules.Action.NEW_SEQUENCE) {
            key.learner.resetSequence();
        }
        int count = batch.steps();
        for (int position = 0; position < count; position++) {
            long start = System.nanoTime();
            Prediction p = step(key, batch, position);
            metrics.stepNanos.update(System.nanoTime() - start);
            metrics.scored(p.surpriseBits);
            out.collect(p);
        }
        key.steps += count;
        metrics.events.inc(count);
        if (metrics.stateBytes == 0) {
            metrics.stateBytes = key.arrayBytes();
        }
        state.update(key);
    }

    private Prediction step(KeyState key, StepBatch batch, int position) {
        SequenceLearner learner = key.learner;
        if (batch.symbols != null) {
            int symbol = batch.symbols[position];
            double loss = learner.observeSymbol(symbol);
            boolean reset = false;
            if (!learner.healthy()) {
                key.resetModel();
                metrics.modelResets.inc();
                reset = true;
                learner = key.learner;
                loss = Double.NaN;
                learner.observeSymbol(symbol);
            }
            return predictions.symbolStep(batch, position, loss, learner.prediction(), key, learner.updates(), reset);
        }
        double loss = learner.observe(batch.x, batch.y);
        boolean reset = false;
        if (!learner.healthy() || !Double.isFinite(loss)) {
            key.resetModel();
            metrics.modelResets.inc();
            reset = true;
            learner = key.learner;
            loss = Double.NaN;
        }
        return predictions.realStep(batch, loss, learner.prediction(), key, learner.updates(), reset);
    }
}
