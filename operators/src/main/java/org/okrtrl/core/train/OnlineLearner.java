package org.okrtrl.core.train;

import org.okrtrl.core.SplitMix64;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.influence.InfluenceEstimator;

/**
 * Online training with an influence estimator (ALGORITHMS.md section 8): the gradient
 * delta_t^T G_t is formed at every step, accumulated over {@code updateEvery} steps, clipped by
 * global norm and applied; the influence state is carried across updates and reset only at a
 * sequence boundary. Nothing is allocated per step.
 */
public final class OnlineLearner extends LearnerBase {
    private final InfluenceEstimator estimator;
    private final int updateEvery;
    private final SplitMix64 rng;
    private final StepTrace trace;
    private final double[] delta;
    private final double[] stepGradW;
    private int pending;

    /**
     * @param clipNorm maximum global gradient norm (<= 0: no clipping)
     * @param updateEvery apply the accumulated gradient every this many scored steps (>= 1)
     * @param seed seed of the estimator's random signs
     */
    public OnlineLearner(
            Model model, InfluenceEstimator estimator, Optimizer optimizer, double clipNorm, int updateEvery, long seed) {
        super(model, optimizer, clipNorm);
        if (updateEvery < 1) {
            throw new IllegalArgumentException("updateEvery must be >= 1, got " + updateEvery);
        }
        this.estimator = estimator;
        this.updateEvery = updateEvery;
        this.rng = new SplitMix64(seed);
        this.trace = cell.newTrace();
        this.delta = new double[cell.hiddenSize()];
        this.stepGradW = new double[model.w.length];
    }

    @Override
    public double observeSymbol(int symbol) {
        double loss = Double.NaN;
        if (predicted) {
            loss = readout.loss(prediction, symbol);
            readout.outputGradient(prediction, symbol, dOut);
            learn();
        }
        trace.setSymbolInput(symbol, hidden);
        advance();
        return loss;
    }

    @Override
    public double observe(int inputSymbol, int targetSymbol) {
        trace.setSymbolInput(inputSymbol, hidden);
        advance();
        double loss = readout.loss(prediction, targetSymbol);
        readout.outputGradient(prediction, targetSymbol, dOut);
        learn();
        return loss;
    }

    @Override
    public double observe(double[] x, double[] y) {
        trace.setInput(x, hidden);
        advance();
        double loss = readout.loss(prediction, y);
        readout.outputGradient(prediction, y, dOut);
        learn();
        return loss;
    }

    private void advance() {
        cell.forward(model.w, trace);
        cell.jacobians(model.w, trace);
        estimator.advance(trace, rng);
        predictFrom(trace);
    }

    /** Adds this step's gradient (from dOut and the current hidden state) and maybe updates. */
    private void learn() {
        readout.backward(model.v, hidden, dOut, delta, gradV);
        estimator.gradient(delta, stepGradW);
        for (int i = 0; i < gradW.length; i++) {
            gradW[i] += stepGradW[i];
        }
        if (++pending == updateEvery) {
            applyAccumulatedGradient();
            pending = 0;
        }
    }

    @Override
    public void resetSequence() {
        java.util.Arrays.fill(hidden, 0.0);
        estimator.reset();
        predicted = false;
    }

    @Override
    public String name() {
        return estimator.name();
    }

    public InfluenceEstimator estimator() {
        return estimator;
    }

    @Override
    public double[][] stateArrays() {
        double[][] influence = estimator.stateArrays();
        double[][] own = new double[influence.length + 4][];
        System.arraycopy(influence, 0, own, 0, influence.length);
        own[influence.length] = hidden;
        own[influence.length + 1] = prediction;
        own[influence.length + 2] = gradW;
        own[influence.length + 3] = gradV;
        return withModelAndOptimizer(own);
    }

    @Override
    public long[] scalarState() {
        return new long[] {predicted ? 1 : 0, pending, updates, rng.state(), healthy ? 1 : 0};
    }

    @Override
    public void restoreScalarState(long[] scalars) {
        predicted = scalars[0] != 0;
        pending = (int) scalars[1];
        updates = scalars[2];
        rng.setState(scalars[3]);
        healthy = scalars[4] != 0;
    }

    public SplitMix64 random() {
        return rng;
    }
}
