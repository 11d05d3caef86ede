package org.okrtrl.core.train;

/**
 * Truncated backpropagation through time, TBPTT-T, on one stream with a model of its own
 * (Williams and Peng 1990; ALGORITHMS.md section 7): runs T steps forward keeping their
 * records, backpropagates through those T steps only, updates, and carries h (not its
 * gradient) into the next window. Parameters stay fixed inside a window, the "update lock" the
 * RTRL family avoids. A sequence boundary flushes the partial window.
 */
public final class TruncatedBpttLearner extends SingleStreamLearner {
    public TruncatedBpttLearner(Model model, Optimizer optimizer, double clipNorm, int horizon) {
        super(new SharedTruncatedBpttLearner(new SharedModel(model, optimizer, clipNorm, 1, SharedModel.Reduction.SUM,
                false), horizon, true), 0);
    }

    @Override
    public double[][] stateArrays() {
        double[][] window = stream.ruleArrays;
        double[][] own = new double[4 + window.length][];
        own[0] = stream.hidden;
        own[1] = stream.prediction;
        own[2] = shared.gradW();
        own[3] = shared.gradV();
        System.arraycopy(window, 0, own, 4, window.length);
        return withModelAndOptimizer(own);
    }

    @Override
    public long[] scalarState() {
        return new long[] {stream.filled, stream.predicted ? 1 : 0, shared.updates(), healthy() ? 1 : 0};
    }

    @Override
    public void restoreScalarState(long[] scalars) {
        stream.filled = (int) scalars[0];
        stream.predicted = scalars[1] != 0;
        shared.restoreCounters(0, scalars[2]);
        restoreHealthy(scalars[3] != 0);
    }
}
