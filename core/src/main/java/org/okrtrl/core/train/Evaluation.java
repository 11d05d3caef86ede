package org.okrtrl.core.train;

import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;

/** Scoring a model on held-out symbols without learning: forward passes only. */
public final class Evaluation {
    private Evaluation() {}

    /**
     * Bits per symbol of the model (not modified) predicting each symbol of the sequence from
     * the ones before it, starting from h = 0; the first symbol is not scored.
     */
    public static double bitsPerSymbol(Model model, int[] symbols) {
        Cell cell = model.cell;
        StepTrace trace = cell.newTrace();
        double[] h = new double[cell.hiddenSize()];
        double[] out = new double[model.readout.outputSize()];
        double nats = 0;
        for (int t = 0; t < symbols.length; t++) {
            if (t > 0) {
                nats += model.readout.loss(out, symbols[t]);
            }
            trace.setSymbolInput(symbols[t], h);
            cell.forward(model.w, trace);
            System.arraycopy(trace.hidden, 0, h, 0, h.length);
            model.readout.predict(model.v, h, out);
        }
        return nats / Math.log(2) / Math.max(1, symbols.length - 1);
    }
}
