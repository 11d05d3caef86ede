package org.okrtrl.core.train;

/**
 * One real-valued step in the reading a job or a scorer chose: forecasting (y is the target
 * observed at this step; the step scores the previous step's forecast against it, learns, and
 * forecasts the next) or same-step regression; the model's target the next value itself or its
 * change from the value just observed; inputs and targets standardised by the stream's running
 * statistics or not. The learner sees standard units, the caller the series' own. The same code
 * runs in the job and in the exported model's scorer, so both compute the same forecasts.
 * Scratch arrays are reused: a step allocates nothing.
 */
public final class SeriesSteps {
    /** What a step needs of a learner (a learning one in the job, a fixed model in a scorer). */
    public interface Learner {
        /** Consumes x, predicts, scores against y (and learns, if it does); 0.5 ||prediction - y||^2. */
        double observe(double[] x, double[] y);

        /** Scores the previous prediction against observed (NaN at a start), consumes x and predicts. */
        double observeAndForecast(double[] observed, double[] x);

        /** The current prediction in the learner's (standard) units (a view). */
        double[] prediction();
    }

    private final boolean forecast;
    private final boolean change;
    private final boolean standardize;
    private double[] xs;
    private double[] ys;
    private double[] scored;

    /**
     * @param forecast y is the target observed at this step (else this step's own target)
     * @param change when forecasting, the model learns the target's change from the value just observed
     * @param standardize standardise x and y by the stream's running statistics
     */
    public SeriesSteps(boolean forecast, boolean change, boolean standardize) {
        this.forecast = forecast;
        this.change = change;
        this.standardize = standardize;
    }

    /**
     * Runs one step of a stream (state is modified) and writes the prediction in the series'
     * units into output (modified). Returns the squared error, summed over y's components and in
     * y's units, of the prediction this step scored: NaN when it scored none (a forecast at a
     * sequence start), infinite when it overflowed.
     */
    public double step(SeriesState state, Learner learner, double[] x, double[] y, double[] output) {
        if (xs == null || xs.length != x.length || ys.length != y.length) {
            xs = new double[x.length];
            ys = new double[y.length];
            scored = new double[y.length];
        }
        if (state.input == null || state.target == null) {
            state.input = RunningStandardizer.newStatistics(x.length);
            state.target = RunningStandardizer.newStatistics(y.length);
        }
        double[] inStats = state.input;
        double[] outStats = state.target;
        double loss;
        if (forecast && change) {
            loss = forecastChange(state, learner, x, y, output);
        } else if (forecast) {
            // The forecast being scored, in y's units (statistics unchanged since it was made).
            toSeriesUnits(outStats, learner.prediction(), scored);
            fromSeriesUnits(outStats, y, ys);
            RunningStandardizer.update(inStats, x);
            fromSeriesUnits(inStats, x, xs);
            loss = learner.observeAndForecast(ys, xs);
            RunningStandardizer.update(outStats, y);
            toSeriesUnits(outStats, learner.prediction(), output);
        } else {
            RunningStandardizer.update(inStats, x);
            fromSeriesUnits(inStats, x, xs);
            fromSeriesUnits(outStats, y, ys);
            loss = learner.observe(xs, ys);
            toSeriesUnits(outStats, learner.prediction(), output);
            System.arraycopy(output, 0, scored, 0, output.length);
            if (standardize && RunningStandardizer.count(outStats) == 0) {
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
    private double forecastChange(SeriesState state, Learner learner, double[] x, double[] y, double[] output) {
        double[] changeStats = state.target;
        double[] last = state.last;
        if (last != null) {
            toSeriesUnits(changeStats, learner.prediction(), scored);
            for (int i = 0; i < y.length; i++) {
                scored[i] += last[i];
                output[i] = y[i] - last[i];
            }
            fromSeriesUnits(changeStats, output, ys);
        } else {
            java.util.Arrays.fill(ys, 0.0);
        }
        RunningStandardizer.update(state.input, x);
        fromSeriesUnits(state.input, x, xs);
        double loss = learner.observeAndForecast(ys, xs);
        if (last != null) {
            RunningStandardizer.update(changeStats, output);
        }
        if (last == null) {
            state.last = y.clone();
        } else {
            System.arraycopy(y, 0, last, 0, y.length);
        }
        toSeriesUnits(changeStats, learner.prediction(), output);
        for (int i = 0; i < y.length; i++) {
            output[i] += y[i];
        }
        return last != null ? loss : Double.NaN;
    }

    private void fromSeriesUnits(double[] stats, double[] values, double[] out) {
        if (standardize) {
            RunningStandardizer.standardize(stats, values, out);
        } else {
            System.arraycopy(values, 0, out, 0, out.length);
        }
    }

    private void toSeriesUnits(double[] stats, double[] standardized, double[] out) {
        if (standardize) {
            RunningStandardizer.restore(stats, standardized, out);
        } else {
            System.arraycopy(standardized, 0, out, 0, out.length);
        }
    }
}
