package org.okrtrl.operators;

import java.io.Serializable;

/**
 * Turns one learned step into its {@link Prediction}: the surprise of the observed symbol (or
 * the loss of a real-valued step), the key's running average, the top next symbols and the
 * model's update count. Scores the key's running average as it goes.
 */
final class Predictions implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double LN2 = Math.log(2);

    private final Vocabulary vocabulary;
    private final int topK;
    private final RealValued.Task task;
    private final String[] targets;

    Predictions(TrainingConfig config) {
        this.vocabulary = config.vocabulary();
        this.topK = config.topK();
        this.task = config.real().task();
        this.targets = vocabulary == null ? config.real().names(config.spec().outputs()) : null;
    }

    /** A symbol step: lossNats is the loss of the previous prediction (NaN at a sequence start). */
    Prediction symbolStep(StepBatch batch, int position, double lossNats, double[] probabilities,
            StreamCounters counters, long modelSteps, boolean modelReset) {
        Prediction p = base(batch, position, modelSteps, modelReset);
        p.symbol = vocabulary.symbol(batch.symbols[position]);
        p.surpriseBits = lossNats / LN2;
        if (Double.isFinite(p.surpriseBits)) {
            counters.score(p.surpriseBits);
        }
        p.runningBits = counters.runningBits;
        if (topK > 0) {
            topK(probabilities, p);
        }
        return p;
    }

    /**
     * A real-valued step: the squared error of the prediction it scored (NaN when none) and the
     * new prediction (kept, not copied), which is for the next step when forecasting.
     */
    Prediction realStep(StepBatch batch, double squaredError, double[] output, StreamCounters counters,
            long modelSteps, boolean modelReset) {
        Prediction p = base(batch, 0, modelSteps, modelReset);
        p.squaredError = squaredError;
        p.output = output;
        p.targets = targets;
        p.forecastSeq = task == RealValued.Task.FORECAST ? batch.seq + 1 : batch.seq;
        if (Double.isFinite(squaredError)) {
            counters.score(squaredError);
        }
        p.runningSquaredError = counters.runningBits;
        p.runningBits = Double.NaN;
        return p;
    }

    private static Prediction base(StepBatch batch, int position, long modelSteps, boolean modelReset) {
        Prediction p = new Prediction();
        p.key = batch.key;
        p.seq = batch.seq;
        p.position = position;
        p.surpriseBits = Double.NaN;
        p.squaredError = Double.NaN;
        p.runningSquaredError = Double.NaN;
        p.modelSteps = modelSteps;
        p.modelReset = modelReset;
        return p;
    }

    private void topK(double[] probabilities, Prediction p) {
        int[] best = new int[Math.min(topK, probabilities.length)];
        int n = org.okrtrl.core.model.SymbolScorer.topIndices(probabilities, best);
        p.topSymbols = new String[n];
        p.topProbabilities = new double[n];
        for (int j = 0; j < n; j++) {
            p.topSymbols[j] = vocabulary.symbol(best[j]);
            p.topProbabilities[j] = probabilities[best[j]];
        }
    }
}
