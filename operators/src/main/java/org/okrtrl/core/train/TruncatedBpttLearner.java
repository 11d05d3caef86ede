package org.okrtrl.core.train;

import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.readout.Readout;

/**
 * Truncated backpropagation through time, TBPTT-T (Williams and Peng 1990; ALGORITHMS.md
 * section 7): runs T steps forward keeping their records, backpropagates through those T steps
 * only, updates, and carries h (not its gradient) into the next window. Parameters stay fixed
 * inside a window, the "update lock" the RTRL family avoids. A sequence boundary flushes the
 * partial window.
 */
public final class TruncatedBpttLearner implements SequenceLearner {
    private final Model model;
    private final Cell cell;
    private final Readout readout;
    private final Optimizer optimizer;
    private final double clipNorm;
    private final int horizon;
    private final BackwardPass backward;

    private final StepTrace[] window;
    private final double[][] direct;
    private final double[] hidden;
    private final double[] prediction;
    private final double[] dOut;
    private final double[] gradW;
    private final double[] gradV;
    private final double[][] params;
    private final double[][] grads;
    private int filled;
    private boolean predicted;
    private long updates;
    private boolean healthy = true;

    public TruncatedBpttLearner(Model model, Optimizer optimizer, double clipNorm, int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        this.model = model;
        this.cell = model.cell;
        this.readout = model.readout;
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
        this.horizon = horizon;
        this.backward = new BackwardPass(cell);
        this.window = new StepTrace[horizon];
        this.direct = new double[horizon][cell.hiddenSize()];
        for (int t = 0; t < horizon; t++) {
            window[t] = cell.newTrace();
        }
        this.hidden = new double[cell.hiddenSize()];
        this.prediction = new double[readout.outputSize()];
        this.dOut = new double[readout.outputSize()];
        this.gradW = new double[model.w.length];
        this.gradV = new double[model.v.length];
        this.params = model.parameters();
        this.grads = new double[][] {gradW, gradV};
    }

    @Override
    public double observeSymbol(int symbol) {
        double loss = Double.NaN;
        if (predicted) {
            loss = readout.loss(prediction, symbol);
            readout.outputGradient(prediction, symbol, dOut);
            score();
            if (filled == horizon) {
                flush();
            }
        }
        window[filled].setSymbolInput(symbol, hidden);
        advance();
        return loss;
    }

    @Override
    public double observe(double[] x, double[] y) {
        window[filled].setInput(x, hidden);
        advance();
        double loss = readout.loss(prediction, y);
        readout.outputGradient(prediction, y, dOut);
        score();
        if (filled == horizon) {
            flush();
        }
        return loss;
    }

    private void advance() {
        StepTrace step = window[filled];
        cell.forward(model.w, step);
        cell.jacobians(model.w, step);
        java.util.Arrays.fill(direct[filled], 0.0);
        filled++;
        System.arraycopy(step.hidden, 0, hidden, 0, hidden.length);
        readout.predict(model.v, hidden, prediction);
        predicted = true;
        if (!OnlineLearner.allFinite(prediction)) {
            healthy = false;
        }
    }

    /** Records dL/dh of the newest step's output and V's gradient. */
    private void score() {
        readout.backward(model.v, hidden, dOut, direct[filled - 1], gradV);
    }

    /** Backpropagates through the window, updates, and empties the window (h is kept). */
    private void flush() {
        if (filled == 0) {
            return;
        }
        backward.accumulate(window, direct, filled, gradW);
        double norm = GradientClipping.clipByGlobalNorm(grads, clipNorm);
        if (Double.isFinite(norm)) {
            optimizer.update(params, grads);
        } else {
            healthy = false;
        }
        java.util.Arrays.fill(gradW, 0.0);
        java.util.Arrays.fill(gradV, 0.0);
        updates++;
        filled = 0;
    }

    @Override
    public void resetSequence() {
        flush();
        java.util.Arrays.fill(hidden, 0.0);
        predicted = false;
    }

    @Override
    public double[] prediction() {
        return prediction;
    }

    @Override
    public boolean hasPrediction() {
        return predicted;
    }

    @Override
    public Model model() {
        return model;
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public String name() {
        return "tbptt:" + horizon;
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    @Override
    public double[][] stateArrays() {
        double[][] optimizerState = optimizer.stateArrays();
        int perStep = 7;
        double[][] all = new double[2 + optimizerState.length + 4 + perStep * horizon][];
        int i = 0;
        all[i++] = model.w;
        all[i++] = model.v;
        for (double[] a : optimizerState) {
            all[i++] = a;
        }
        all[i++] = hidden;
        all[i++] = prediction;
        all[i++] = gradW;
        all[i++] = gradV;
        for (int t = 0; t < horizon; t++) {
            StepTrace s = window[t];
            all[i++] = s.affineInput;
            all[i++] = s.previousHidden;
            all[i++] = s.activations;
            all[i++] = s.hidden;
            all[i++] = s.dDiag;
            all[i++] = s.jacobian;
            all[i++] = direct[t];
        }
        return all;
    }

    @Override
    public long[] scalarState() {
        return new long[] {filled, predicted ? 1 : 0, updates, healthy ? 1 : 0};
    }

    @Override
    public void restoreScalarState(long[] scalars) {
        filled = (int) scalars[0];
        predicted = scalars[1] != 0;
        updates = scalars[2];
        healthy = scalars[3] != 0;
    }
}
