package org.okrtrl.core.train;

import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.readout.Readout;

/** The parts of a shared learner that do not depend on its learning rule. */
abstract class SharedLearnerBase implements SharedLearner {
    final SharedModel shared;
    final Model model;
    final Cell cell;
    final Readout readout;
    final double[] dOut;
    final double[] delta;
    final double[] stepGradW;
    /** The forward pass of scoring, apart from any learning rule's records. */
    private final StepTrace scoreTrace;

    SharedLearnerBase(SharedModel shared) {
        this.shared = shared;
        this.model = shared.model();
        this.cell = model.cell;
        this.readout = model.readout;
        this.dOut = new double[readout.outputSize()];
        this.delta = new double[cell.hiddenSize()];
        this.stepGradW = new double[model.w.length];
        this.scoreTrace = cell.newTrace();
    }

    @Override
    public final double scoreSymbol(StreamState s, int symbol) {
        double loss = s.predicted ? readout.loss(s.prediction, symbol) : Double.NaN;
        scoreTrace.setSymbolInput(symbol, s.hidden);
        forwardOnly(s);
        return loss;
    }

    @Override
    public final double score(StreamState s, double[] x, double[] y) {
        scoreTrace.setInput(x, s.hidden);
        forwardOnly(s);
        return readout.loss(s.prediction, y);
    }

    @Override
    public final double scoreAndForecast(StreamState s, double[] observed, double[] x) {
        double loss = s.predicted ? readout.loss(s.prediction, observed) : Double.NaN;
        scoreTrace.setInput(x, s.hidden);
        forwardOnly(s);
        return loss;
    }

    private void forwardOnly(StreamState s) {
        cell.forward(model.w, scoreTrace);
        predictFrom(s, scoreTrace);
    }

    @Override
    public SharedModel shared() {
        return shared;
    }

    /** After the cell ran on step: takes its h_t into s and predicts from it. */
    final void predictFrom(StreamState s, StepTrace step) {
        System.arraycopy(step.hidden, 0, s.hidden, 0, s.hidden.length);
        readout.predict(model.v, s.hidden, s.prediction);
        s.predicted = true;
        if (!allFinite(s.prediction)) {
            s.healthy = false;
        }
    }

    /**
     * Backpropagates this step's dOut through the readout: writes dL/dh into deltaH and adds
     * V's gradient to the shared accumulator. Returns false (and marks s unhealthy, adding
     * nothing) if a number involved is not finite.
     */
    final boolean readoutBackward(StreamState s, double[] deltaH) {
        if (!allFinite(dOut) || !allFinite(s.hidden)) {
            s.healthy = false;
            return false;
        }
        // Straight into the shared accumulator: with dOut and h finite every term is, and each entry
        // gets the same single rounded addition it got through a zeroed per-step buffer.
        readout.backward(model.v, s.hidden, dOut, deltaH, shared.gradV());
        return true;
    }

    /** Adds stepGradW to the shared accumulator if it is finite; otherwise marks s unhealthy. */
    final boolean addStepGradW(StreamState s) {
        if (!allFinite(stepGradW)) {
            s.healthy = false;
            return false;
        }
        shared.addToGradW(stepGradW);
        return true;
    }

    static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
