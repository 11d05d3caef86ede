package org.okrtrl.operators;

import java.io.Serializable;
import org.okrtrl.core.train.RunningStandardizer;

/**
 * One real-valued step of a key, in the job's {@link RealValued} reading: standardises x and y
 * with the key's running statistics (when asked to), hands them to the learner, and turns the
 * learner's standardised output back into the series' units. Scratch arrays are reused, so a
 * step allocates nothing but the copy of the output a prediction keeps.
 */
final class RealSteps implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RealValued config;
    private transient double[] xs;
    private transient double[] ys;
    private transient double[] scored;

    RealSteps(RealValued config) {
        this.config = config;
    }

    RealValued config() {
        return config;
    }

    /**
     * Learns one step of key (its statistics are modified) and writes the prediction in the
     * series' units into output (modified). Returns the squared error, summed over y's
     * components and in y's units, of the prediction this step scored (NaN when it scored none:
     * a forecast at a sequence start).
     */
    <K extends StreamCounters> double step(K key, double[] x, double[] y, RecordTraining.KeyLearning<K> learning,
            double[] output) {
        if (xs == null || xs.length != x.length || ys.length != y.length) {
            xs = new double[x.length];
            ys = new double[y.length];
            scored = new double[y.length];
        }
        if (key.inputStatistics == null || key.targetStatistics == null) {
            key.inputStatistics = RunningStandardizer.newStatistics(x.length);
            key.targetStatistics = RunningStandardizer.newStatistics(y.length);
        }
        double[] inStats = key.inputStatistics;
        double[] outStats = key.targetStatistics;
        double loss;
        if (config.task() == RealValued.Task.FORECAST && config.forecastTarget() == RealValued.ForecastTarget.CHANGE) {
            loss = forecastChange(key, x, y, learning, output);
        } else if (config.task() == RealValued.Task.FORECAST) {
            // The forecast being scored, in y's units (statistics unchanged since it was made).
            toSeriesUnits(outStats, learning.prediction(key), scored);
            fromSeriesUnits(outStats, y, ys);
            RunningStandardizer.update(inStats, x);
            fromSeriesUnits(inStats, x, xs);
            loss = learning.observeAndForecast(key, ys, xs);
            RunningStandardizer.update(outStats, y);
            toSeriesUnits(outStats, learning.prediction(key), output);
        } else {
            RunningStandardizer.update(inStats, x);
            fromSeriesUnits(inStats, x, xs);
            fromSeriesUnits(outStats, y, ys);
            loss = learning.observe(key, xs, ys);
            toSeriesUnits(outStats, learning.prediction(key), output);
            System.arraycopy(output, 0, scored, 0, output.length);
            if (config.standardize() && RunningStandardizer.count(outStats) == 0) {
                // Nothing is known of the target's units yet: the step learns but is not scored.
                loss = Double.NaN;
            }
            RunningStandardizer.update(outStats, y);
        }
        if (Double.isNaN(loss)) {
            return Double.NaN;
        }
        if (Double.isInfinite(loss)) {
            return Double.POSITIVE_INFINITY;
        }
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double e = scored[i] - y[i];
            sum += e * e;
        }
        return sum;
    }

    /**
     * Forecasting the change: the model's target is y_t - y_{t-1} (standardised by the changes'
     * running statistics), and its forecast of y_{t+1} is y_t plus the restored change.
     */
    private <K extends StreamCounters> double forecastChange(K key, double[] x, double[] y,
            RecordTraining.KeyLearning<K> learning, double[] output) {
        double[] changeStats = key.targetStatistics;
        double[] last = key.lastTarget;
        if (last != null) {
            toSeriesUnits(changeStats, learning.prediction(key), scored);
            for (int i = 0; i < y.length; i++) {
                scored[i] += last[i];
                output[i] = y[i] - last[i];
            }
            fromSeriesUnits(changeStats, output, ys);
        } else {
            java.util.Arrays.fill(ys, 0.0);
        }
        RunningStandardizer.update(key.inputStatistics, x);
        fromSeriesUnits(key.inputStatistics, x, xs);
        double loss = learning.observeAndForecast(key, ys, xs);
        if (last != null) {
            RunningStandardizer.update(changeStats, output);
        }
        if (last == null) {
            key.lastTarget = y.clone();
        } else {
            System.arraycopy(y, 0, last, 0, y.length);
        }
        toSeriesUnits(changeStats, learning.prediction(key), output);
        for (int i = 0; i < y.length; i++) {
            output[i] += y[i];
        }
        return last != null ? loss : Double.NaN;
    }

    private void fromSeriesUnits(double[] stats, double[] values, double[] out) {
        if (config.standardize()) {
            RunningStandardizer.standardize(stats, values, out);
        } else {
            System.arraycopy(values, 0, out, 0, out.length);
        }
    }

    private void toSeriesUnits(double[] stats, double[] standardized, double[] out) {
        if (config.standardize()) {
            RunningStandardizer.restore(stats, standardized, out);
        } else {
            System.arraycopy(standardized, 0, out, 0, out.length);
        }
    }
}
