package org.okrtrl.core.model;

import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SeriesState;
import org.okrtrl.core.train.SeriesSteps;

/**
 * Forecasts (or regresses) one real-valued stream with a fixed exported model, as the job does:
 * the same {@link SeriesSteps} (the stream's running standardisation, level or change) over the
 * model's forward pass, so for the same parameters and input it gives the job's outputs. The
 * reading comes from the settings the model was trained with ({@code real-task},
 * {@code forecast-target}, {@code standardize}), as the job's defaults fill them.
 *
 * <pre>
 * SeriesScorer scorer = new SeriesScorer(ModelFile.read(path));
 * double[] forecast = new double[1];
 * double squaredError = scorer.step(x, y, forecast);
 * </pre>
 */
public final class SeriesScorer implements SeriesSteps.Learner {
    private final Model model;
    private final SeriesSteps steps;
    private final SeriesState state = new SeriesState();
    private final StepTrace trace;
    private final double[] hidden;
    private final double[] prediction;
    private boolean predicted;

    public SeriesScorer(ModelFile file) {
        if (file.link() != Readout.Link.LINEAR) {
            throw new IllegalArgumentException("a series scorer needs a real-valued model (a linear readout)");
        }
        this.model = file.toModel();
        String task = file.settings().getOrDefault("real-task", "regress");
        this.steps = new SeriesSteps(task.equals("forecast"),
                file.settings().getOrDefault("forecast-target", "change").equals("change"),
                !file.settings().getOrDefault("standardize", "true").equals("false"));
        this.trace = model.cell.newTrace();
        this.hidden = new double[model.hiddenSize()];
        this.prediction = new double[model.readout.outputSize()];
    }

    /**
     * One step of the stream: writes the prediction in y's units into output (modified; the
     * next step's target when forecasting) and returns the squared error of the prediction this
     * step scored (NaN when none).
     */
    public double step(double[] x, double[] y, double[] output) {
        return steps.step(state, this, x, y, output);
    }

    @Override
    public double observe(double[] x, double[] y) {
        advance(x);
        return model.readout.loss(prediction, y);
    }

    @Override
    public double observeAndForecast(double[] observed, double[] x) {
        double loss = predicted ? model.readout.loss(prediction, observed) : Double.NaN;
        advance(x);
        return loss;
    }

    private void advance(double[] x) {
        trace.setInput(x, hidden);
        model.cell.forward(model.w, trace);
        System.arraycopy(trace.hidden, 0, hidden, 0, hidden.length);
        model.readout.predict(model.v, hidden, prediction);
        predicted = true;
    }

    @Override
    public double[] prediction() {
        return prediction;
    }

    /** Starts a new sequence: hidden state to zero, nothing predicted; the stream's statistics stay. */
    public void reset() {
        java.util.Arrays.fill(hidden, 0.0);
        predicted = false;
    }
}
