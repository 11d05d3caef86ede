package org.okrtrl.operators;

import java.io.Serializable;
import org.okrtrl.core.train.SeriesState;
import org.okrtrl.core.train.SeriesSteps;

/**
 * One real-valued step of a key in the job's {@link RealValued} reading: the core's
 * {@link SeriesSteps} (the same code the exported model's scorer runs) over the key's learning,
 * with the key's {@link SeriesState} kept in its counters. Allocates nothing but the copy of the
 * output a prediction keeps.
 */
final class RealSteps implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RealValued config;
    private final boolean learn;
    private transient SeriesSteps steps;
    private transient KeyAdapter<?> adapter;

    RealSteps(RealValued config) {
        this(config, true);
    }

    /** @param learn whether the steps learn (else the model is fixed and they only score) */
    RealSteps(RealValued config, boolean learn) {
        this.config = config;
        this.learn = learn;
    }

    RealValued config() {
        return config;
    }

    /**
     * Learns one step of key (its series state is modified) and writes the prediction in the
     * series' units into output (modified). Returns the squared error, summed over y's
     * components and in y's units, of the prediction this step scored (NaN when it scored none:
     * a forecast at a sequence start).
     */
    @SuppressWarnings("unchecked")
    <K extends StreamCounters> double step(K key, double[] x, double[] y, RecordTraining.KeyLearning<K> learning,
            double[] output) {
        if (steps == null) {
            steps = new SeriesSteps(config.task() == RealValued.Task.FORECAST,
                    config.forecastTarget() == RealValued.ForecastTarget.CHANGE, config.standardize());
            adapter = new KeyAdapter<>(learn);
        }
        KeyAdapter<K> a = (KeyAdapter<K>) adapter;
        a.key = key;
        a.learning = learning;
        if (key.series == null) {
            key.series = new SeriesState();
        }
        return steps.step(key.series, a, x, y, output);
    }

    /** One key's learning seen as the learner a series step drives (reused from step to step). */
    private static final class KeyAdapter<K> implements SeriesSteps.Learner {
        private final boolean learn;
        K key;
        RecordTraining.KeyLearning<K> learning;

        KeyAdapter(boolean learn) {
            this.learn = learn;
        }

        @Override
        public double observe(double[] x, double[] y) {
            return learn ? learning.observe(key, x, y) : learning.score(key, x, y);
        }

        @Override
        public double observeAndForecast(double[] observed, double[] x) {
            return learn ? learning.observeAndForecast(key, observed, x) : learning.scoreAndForecast(key, observed, x);
        }

        @Override
        public double[] prediction() {
            return learning.prediction(key);
        }
    }
}
