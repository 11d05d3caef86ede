package org.okrtrl.operators;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
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
    private static final double LN2 = Math.log(2);

    private final TrainingConfig config;
    private transient ValueState<KeyState> state;
    private transient Counter records;
    private transient Counter steps;
    private transient Counter duplicates;
    private transient Counter gaps;
    private transient Counter divergenceResets;
    private transient Counter unknownSymbols;
    private transient Histogram stepNanos;
    private transient double runningBits = Double.NaN;
    private transient long lastStateBytes;


    public OnlineTrainingFunction(TrainingConfig config) {
        this.config = config;
    }

    /** The descriptor of the keyed state (also used to read savepoints). */
    public static ValueStateDescriptor<KeyState> stateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, KeyStateSerializer.INSTANCE);
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(stateDescriptor());
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        records = metrics.counter("records");
        steps = metrics.counter("events");
        duplicates = metrics.counter("duplicates");
        gaps = metrics.counter("gaps");
        divergenceResets = metrics.counter("modelResets");
        unknownSymbols = metrics.counter("unknownSymbols");
        stepNanos = metrics.histogram("stepTimeNanos", new DescriptiveStatisticsHistogram(1000));
        metrics.gauge("runningBitsPerCharacter", () -> runningBits);
        metrics.gauge("stateBytes", () -> lastStateBytes);
    }

    @Override
    public void processElement(StepBatch batch, Context ctx, Collector<Prediction> out) throws Exception {
        KeyState key = state.value();
        if (key == null) {
            key = KeyState.fresh(config.spec(), LearnerSpec.keySeed(config.seed(), batch.key));
        }
        if (batch.seq <= key.lastSeq) {
            key.duplicates++;
            duplicates.inc();
            state.update(key);
            return;
        }
        if (batch.consecutive && key.lastSeq >= 0 && batch.seq > key.lastSeq + 1) {
            key.gaps++;
            gaps.inc();
            if (config.gapPolicy() == TrainingConfig.GapPolicy.RESET) {
                key.learner.resetSequence();
            }
        }
        if (batch.reset) {
            key.learner.resetSequence();
        }
        key.lastSeq = batch.seq;
        key.records++;
        records.inc();
        key.unknownSymbols += batch.unknown;
        unknownSymbols.inc(batch.unknown);
        int count = batch.steps();
        for (int position = 0; position < count; position++) {
            long start = System.nanoTime();
            Prediction p = step(key, batch, position);
            stepNanos.update(System.nanoTime() - start);
            out.collect(p);
        }
        key.steps += count;
        steps.inc(count);
        if (lastStateBytes == 0) {
            // Every key's state has the same shape: measure it once.
            lastStateBytes = key.arrayBytes();
        }
        state.update(key);
    }

    private Prediction step(KeyState key, StepBatch batch, int position) {
        Prediction p = new Prediction();
        p.key = batch.key;
        p.seq = batch.seq;
        p.position = position;
        p.surpriseBits = Double.NaN;
        p.loss = Double.NaN;
        SequenceLearner learner = key.learner;
        double loss;
        if (batch.symbols != null) {
            int symbol = batch.symbols[position];
            p.symbol = config.vocabulary().symbol(symbol);
            loss = learner.observeSymbol(symbol);
            if (!learner.healthy()) {
                key.resetModel();
                divergenceResets.inc();
                p.modelReset = true;
                learner = key.learner;
                loss = Double.NaN;
                learner.observeSymbol(symbol);
            }
            p.surpriseBits = loss / LN2;
        } else {
            loss = learner.observe(batch.x, batch.y);
            if (!learner.healthy() || !Double.isFinite(loss)) {
                key.resetModel();
                divergenceResets.inc();
                p.modelReset = true;
                learner = key.learner;
                loss = Double.NaN;
            }
            p.loss = loss;
            p.output = learner.prediction().clone();
        }
        if (Double.isFinite(loss)) {
            double bits = batch.symbols != null ? loss / LN2 : loss;
            key.score(bits);
            runningBits = key.runningBits;
        }
        p.runningBits = key.runningBits;
        p.modelSteps = learner.updates();
        if (batch.symbols != null && config.topK() > 0) {
            topK(learner.prediction(), config.topK(), p);
        }
        return p;
    }

    private void topK(double[] probabilities, int k, Prediction p) {
        int n = Math.min(k, probabilities.length);
        int[] best = new int[n];
        java.util.Arrays.fill(best, -1);
        for (int i = 0; i < probabilities.length; i++) {
            int pos = n;
            while (pos > 0 && (best[pos - 1] < 0 || probabilities[best[pos - 1]] < probabilities[i])) {
                pos--;
            }
            if (pos < n) {
                System.arraycopy(best, pos, best, pos + 1, n - pos - 1);
                best[pos] = i;
            }
        }
        p.topSymbols = new String[n];
        p.topProbabilities = new double[n];
        for (int j = 0; j < n; j++) {
            p.topSymbols[j] = config.vocabulary().symbol(best[j]);
            p.topProbabilities[j] = probabilities[best[j]];
        }
    }
}
