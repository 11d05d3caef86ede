package org.okrtrl.core.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Model;

/**
 * Scores a symbol sequence with a fixed model, as the job's predictions do: each symbol's
 * surprise in bits under the prediction made before it (none at the start), then the next
 * prediction. The same cell and readout arithmetic as the learners, so a model's predictions
 * here equal the job's for the same input and parameters. Nothing is allocated per symbol.
 *
 * <pre>
 * SymbolScorer scorer = new SymbolScorer(ModelFile.read(path));
 * for (String s : symbols) {
 *     double bits = scorer.observe(scorer.index(s));
 *     double[] next = scorer.probabilities();
 * }
 * </pre>
 */
public final class SymbolScorer {
    private final Model model;
    private final List<String> symbols;
    private final Map<String, Integer> indices = new HashMap<>();
    private final int unknown;
    private final StepTrace trace;
    private final double[] hidden;
    private final double[] probabilities;
    private boolean predicted;

    public SymbolScorer(ModelFile file) {
        if (file.symbols() == null || file.link() != Readout.Link.SOFTMAX) {
            throw new IllegalArgumentException("a symbol scorer needs a symbol model (vocabulary and softmax)");
        }
        this.model = file.toModel();
        this.symbols = file.symbols();
        for (int i = 0; i < symbols.size(); i++) {
            indices.putIfAbsent(symbols.get(i), i);
        }
        this.unknown = file.unknownSymbol();
        this.trace = model.cell.newTrace();
        this.hidden = new double[model.hiddenSize()];
        this.probabilities = new double[model.readout.outputSize()];
    }

    /** The index of a symbol, the unknown symbol's for one outside the vocabulary, or -1 if the model has none. */
    public int index(String symbol) {
        Integer i = indices.get(symbol);
        return i != null ? i : unknown;
    }

    /** The symbol at index. */
    public String symbol(int index) {
        return symbols.get(index);
    }

    /**
     * Observes the next symbol: returns its surprise, -log2 p(symbol), under the prediction made
     * before it (NaN at the start of a sequence), then consumes it and predicts the next.
     */
    public double observe(int symbol) {
        if (symbol < 0 || symbol >= probabilities.length) {
            throw new IllegalArgumentException("symbol index " + symbol + " outside the vocabulary of "
                    + probabilities.length);
        }
        double bits = predicted ? model.readout.loss(probabilities, symbol) / Math.log(2) : Double.NaN;
        trace.setSymbolInput(symbol, hidden);
        model.cell.forward(model.w, trace);
        System.arraycopy(trace.hidden, 0, hidden, 0, hidden.length);
        model.readout.predict(model.v, hidden, probabilities);
        predicted = true;
        return bits;
    }

    /** The next-symbol distribution after the last observed symbol (a view). */
    public double[] probabilities() {
        return probabilities;
    }

    /** Starts a new sequence: hidden state to zero, nothing predicted. */
    public void reset() {
        java.util.Arrays.fill(hidden, 0.0);
        predicted = false;
    }

    /**
     * Writes the indices of the largest probabilities into best (modified), largest first, ties to
     * the lower index (the order of the job's predictions); returns how many it filled.
     */
    public static int topIndices(double[] p, int[] best) {
        int n = Math.min(best.length, p.length);
        java.util.Arrays.fill(best, -1);
        for (int i = 0; i < p.length; i++) {
            int pos = n;
            while (pos > 0 && (best[pos - 1] < 0 || p[best[pos - 1]] < p[i])) {
                pos--;
            }
            if (pos < n) {
                System.arraycopy(best, pos, best, pos + 1, n - pos - 1);
                best[pos] = i;
            }
        }
        return n;
    }
}
