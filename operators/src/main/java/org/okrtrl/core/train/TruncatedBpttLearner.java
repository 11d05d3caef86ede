package org.okrtrl.core.train;

import org.okrtrl.core.cell.StepTrace;

/**
 * Truncated backpropagation through time, TBPTT-T (Williams and Peng 1990; ALGORITHMS.md
 * section 7): runs T steps forward keeping their records, backpropagates through those T steps
 * only, updates, and carries h (not its gradient) into the next window. Parameters stay fixed
 * inside a window, the "update lock" the RTRL family avoids. A sequence boundary flushes the
 * partial window.
 */
public final class TruncatedBpttLearner extends LearnerBase {
    private static final int ARRAYS_PER_STEP = 7;

    private final int horizon;
    private final BackwardPass backward;
    private final StepTrace[] window;
    private final double[][] direct;
    private int filled;

    public TruncatedBpttLearner(Model model, Optimizer optimizer, double clipNorm, int horizon) {
        super(model, optimizer, clipNorm);
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        this.horizon = horizon;
        this.backward = new BackwardPass(cell);
        this.window = new StepTrace[horizon];
        this.direct = new double[horizon][cell.hiddenSize()];
        for (int t = 0; t < horizon; t++) {
            window[t] = cell.newTrace();
        }
    }

    @Override
    public double observeSymbol(int symbol) {
        double loss = Double.NaN;
        if (predicted) {
            loss = readout.loss(prediction, symbol);
            readout.outputGradient(prediction, symbol, dOut);
            score();
        }
        window[filled].setSymbolInput(symbol, hidden);
        advance();
        return loss;
    }

    @Override
    public double observe(int inputSymbol, int targetSymbol) {
        window[filled].setSymbolInput(inputSymbol, hidden);
        advance();
        double loss = readout.loss(prediction, targetSymbol);
        readout.outputGradient(prediction, targetSymbol, dOut);
        score();
        return loss;
    }

    @Override
    public double observe(double[] x, double[] y) {
        window[filled].setInput(x, hidden);
        advance();
        double loss = readout.loss(prediction, y);
        readout.outputGradient(prediction, y, dOut);
        score();
        return loss;
    }

    private void advance() {
        StepTrace step = window[filled];
        cell.forward(model.w, step);
        cell.jacobians(model.w, step);
        java.util.Arrays.fill(direct[filled], 0.0);
        filled++;
        predictFrom(step);
    }

    /** Records dL/dh of the newest step's output and V's gradient; a full window is flushed. */
    private void score() {
        readout.backward(model.v, hidden, dOut, direct[filled - 1], gradV);
        if (filled == horizon) {
            flush();
        }
    }

    /** Backpropagates through the window, updates, and empties the window (h is kept). */
    private void flush() {
        if (filled == 0) {
            return;
        }
        backward.accumulate(window, direct, filled, gradW);
        applyAccumulatedGradient();
        filled = 0;
    }

    @Override
    public void resetSequence() {
        flush();
        java.util.Arrays.fill(hidden, 0.0);
        predicted = false;
    }

    @Override
    public String name() {
        return "tbptt:" + horizon;
    }

    @Override
    public double[][] stateArrays() {
        double[][] own = new double[4 + ARRAYS_PER_STEP * horizon][];
        int i = 0;
        own[i++] = hidden;
        own[i++] = prediction;
        own[i++] = gradW;
        own[i++] = gradV;
        for (int t = 0; t < horizon; t++) {
            StepTrace s = window[t];
            own[i++] = s.affineInput;
            own[i++] = s.previousHidden;
            own[i++] = s.activations;
            own[i++] = s.hidden;
            own[i++] = s.dDiag;
            own[i++] = s.jacobian;
            own[i++] = direct[t];
        }
        return withModelAndOptimizer(own);
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
