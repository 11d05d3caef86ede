package org.okrtrl.core.train;

import org.okrtrl.core.cell.StepTrace;

/**
 * Truncated backpropagation through time, TBPTT-T (Williams and Peng 1990; ALGORITHMS.md
 * section 7), over many streams: each stream records its last T steps; when its window is full
 * (or its sequence ends) the window is backpropagated and W's gradient added to the shared
 * accumulator, while V's gradient is added at every scored step. h (not its gradient) is
 * carried into the next window.
 *
 * <p>Two ways to apply the gradient: counted events (every {@code batchEvents} scored events,
 * as the RTRL family in shared mode), or at each window's end (a single stream's TBPTT, whose
 * parameters stay fixed inside a window).
 */
public final class SharedTruncatedBpttLearner extends SharedLearnerBase {
    /** Arrays per recorded step: the trace's and the step's dL/dh. */
    static final int ARRAYS_PER_STEP = StepTrace.ARRAYS + 1;

    private final int horizon;
    private final BackwardPass backward;
    private final boolean updatesAtWindowEnd;

    public SharedTruncatedBpttLearner(SharedModel shared, int horizon) {
        this(shared, horizon, false);
    }

    SharedTruncatedBpttLearner(SharedModel shared, int horizon, boolean updatesAtWindowEnd) {
        super(shared);
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        this.horizon = horizon;
        this.backward = new BackwardPass(cell);
        this.updatesAtWindowEnd = updatesAtWindowEnd;
    }

    @Override
    public String name() {
        return "tbptt:" + horizon;
    }

    public int horizon() {
        return horizon;
    }

    @Override
    public StreamState newStream(long seed) {
        double[][] arrays = new double[ARRAYS_PER_STEP * horizon][];
        StepTrace[] window = new StepTrace[horizon];
        double[][] direct = new double[horizon][];
        for (int t = 0; t < horizon; t++) {
            int offset = t * ARRAYS_PER_STEP;
            double[][] trace = StepTrace.newArrays(cell.inputSize(), cell.hiddenSize(), cell.blocks());
            System.arraycopy(trace, 0, arrays, offset, StepTrace.ARRAYS);
            direct[t] = new double[cell.hiddenSize()];
            arrays[offset + StepTrace.ARRAYS] = direct[t];
            window[t] = new StepTrace(cell.inputSize(), cell.hiddenSize(), cell.blocks(), arrays, offset);
        }
        return new StreamState(cell.hiddenSize(), readout.outputSize(), arrays, window, direct, seed);
    }

    @Override
    public double observeSymbol(StreamState s, int symbol) {
        double loss = Double.NaN;
        if (s.predicted) {
            loss = readout.loss(s.prediction, symbol);
            readout.outputGradient(s.prediction, symbol, dOut);
            score(s);
        }
        s.window[s.filled].setSymbolInput(symbol, s.hidden);
        advance(s);
        return loss;
    }

    @Override
    public double observe(StreamState s, int inputSymbol, int targetSymbol) {
        s.window[s.filled].setSymbolInput(inputSymbol, s.hidden);
        advance(s);
        double loss = readout.loss(s.prediction, targetSymbol);
        readout.outputGradient(s.prediction, targetSymbol, dOut);
        score(s);
        return loss;
    }

    @Override
    public double observe(StreamState s, double[] x, double[] y) {
        s.window[s.filled].setInput(x, s.hidden);
        advance(s);
        double loss = readout.loss(s.prediction, y);
        readout.outputGradient(s.prediction, y, dOut);
        score(s);
        return loss;
    }

    @Override
    public double observeAndForecast(StreamState s, double[] observed, double[] x) {
        double loss = Double.NaN;
        if (s.predicted) {
            loss = readout.loss(s.prediction, observed);
            readout.outputGradient(s.prediction, observed, dOut);
            score(s);
        }
        s.window[s.filled].setInput(x, s.hidden);
        advance(s);
        return loss;
    }

    private void advance(StreamState s) {
        StepTrace step = s.window[s.filled];
        cell.forward(model.w, step);
        cell.jacobians(model.w, step);
        java.util.Arrays.fill(s.direct[s.filled], 0.0);
        s.filled++;
        predictFrom(s, step);
    }

    /** Records dL/dh of the newest step and V's gradient; a full window is flushed. */
    private void score(StreamState s) {
        boolean scored = readoutBackward(s, s.direct[s.filled - 1]);
        if (s.filled == horizon) {
            flush(s);
        }
        if (scored && !updatesAtWindowEnd) {
            shared.eventDone();
        }
    }

    /** Backpropagates through the window, adds W's gradient, and empties the window (h is kept). */
    private void flush(StreamState s) {
        if (s.filled == 0) {
            return;
        }
        java.util.Arrays.fill(stepGradW, 0.0);
        backward.accumulate(s.window, s.direct, s.filled, stepGradW);
        addStepGradW(s);
        s.filled = 0;
        if (updatesAtWindowEnd) {
            shared.applyNow();
        }
    }

    @Override
    public void resetSequence(StreamState s) {
        flush(s);
        java.util.Arrays.fill(s.hidden, 0.0);
        s.predicted = false;
    }
}
