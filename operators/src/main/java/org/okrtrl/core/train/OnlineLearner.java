package org.okrtrl.core.train;

import org.okrtrl.core.SplitMix64;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.influence.InfluenceEstimator;
import org.okrtrl.core.readout.Readout;

/**
 * Online training with an influence estimator (ALGORITHMS.md section 8): the gradient
 * delta_t^T G_t is formed at every step, accumulated over {@code updateEvery} steps, clipped by
 * global norm and applied; the influence state is carried across updates and reset only at a
 * sequence boundary. Nothing is allocated per step.
 */
public final class OnlineLearner implements SequenceLearner {
    private final Model model;
    private final Cell cell;
    private final Readout readout;
    private final InfluenceEstimator estimator;
    private final Optimizer optimizer;
    private final double clipNorm;
    private final int updateEvery;
    private final SplitMix64 rng;

    private final StepTrace trace;
    private final double[] hidden;
    private final double[] prediction;
    private final double[] dOut;
    private final double[] delta;
    private final double[] stepGradW;
    private final double[] gradW;
    private final double[] gradV;
    private final double[][] params;
    private final double[][] grads;
    private boolean predicted;
    private int pending;
    private long updates;
    private double lastGradientNorm;
    private boolean healthy = true;

    /**
     * @param clipNorm maximum global gradient norm (<= 0: no clipping)
     * @param updateEvery apply the accumulated gradient every this many scored steps (>= 1)
     * @param seed seed of the estimator's random signs
     */
    public OnlineLearner(
            Model model, InfluenceEstimator estimator, Optimizer optimizer, double clipNorm, int updateEvery, long seed) {
        if (updateEvery < 1) {
            throw new IllegalArgumentException("updateEvery must be >= 1, got " + updateEvery);
        }
        this.model = model;
        this.cell = model.cell;
        this.readout = model.readout;
        this.estimator = estimator;
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
        this.updateEvery = updateEvery;
        this.rng = new SplitMix64(seed);
        this.trace = cell.newTrace();
        this.hidden = new double[cell.hiddenSize()];
        this.prediction = new double[readout.outputSize()];
        this.dOut = new double[readout.outputSize()];
        this.delta = new double[cell.hiddenSize()];
        this.stepGradW = new double[model.w.length];
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
            learn();
        }
        trace.setSymbolInput(symbol, hidden);
        advance();
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
        System.arraycopy(trace.hidden, 0, hidden, 0, hidden.length);
        readout.predict(model.v, hidden, prediction);
        predicted = true;
        if (!allFinite(prediction)) {
            healthy = false;
        }
    }

    static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Adds this step's gradient (from dOut and the current hidden state) and maybe updates. */
    private void learn() {
        readout.backward(model.v, hidden, dOut, delta, gradV);
        estimator.gradient(delta, stepGradW);
        for (int i = 0; i < gradW.length; i++) {
            gradW[i] += stepGradW[i];
        }
        if (++pending == updateEvery) {
            lastGradientNorm = GradientClipping.clipByGlobalNorm(grads, clipNorm);
            if (!Double.isFinite(lastGradientNorm)) {
                // A non-finite gradient never reaches the parameters.
                healthy = false;
                java.util.Arrays.fill(gradW, 0.0);
                java.util.Arrays.fill(gradV, 0.0);
                pending = 0;
                return;
            }
            optimizer.update(params, grads);
            java.util.Arrays.fill(gradW, 0.0);
            java.util.Arrays.fill(gradV, 0.0);
            pending = 0;
            updates++;
        }
    }

    @Override
    public void resetSequence() {
        java.util.Arrays.fill(hidden, 0.0);
        estimator.reset();
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
        return estimator.name();
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    @Override
    public double[][] stateArrays() {
        double[][] optimizerState = optimizer.stateArrays();
        double[][] influence = estimator.stateArrays();
        double[][] all = new double[2 + optimizerState.length + influence.length + 4][];
        int i = 0;
        all[i++] = model.w;
        all[i++] = model.v;
        for (double[] a : optimizerState) {
            all[i++] = a;
        }
        for (double[] a : influence) {
            all[i++] = a;
        }
        all[i++] = hidden;
        all[i++] = prediction;
        all[i++] = gradW;
        all[i] = gradV;
        return all;
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

    public InfluenceEstimator estimator() {
        return estimator;
    }

    /** h_t (a view). */
    public double[] hidden() {
        return hidden;
    }

    /** Global gradient norm before clipping at the last update. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    public SplitMix64 random() {
        return rng;
    }
}
