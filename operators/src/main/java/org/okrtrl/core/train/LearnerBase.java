package org.okrtrl.core.train;

import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.readout.Readout;

/**
 * What every learner shares: the model and its optimiser, the hidden state and the current
 * prediction, the accumulated gradients, and the guarded update that never lets a non-finite
 * gradient reach the parameters.
 */
abstract class LearnerBase implements SequenceLearner {
    final Model model;
    final Cell cell;
    final Readout readout;
    final Optimizer optimizer;
    final double clipNorm;

    final double[] hidden;
    final double[] prediction;
    final double[] dOut;
    final double[] gradW;
    final double[] gradV;
    private final double[][] params;
    private final double[][] grads;
    boolean predicted;
    long updates;
    boolean healthy = true;
    double lastGradientNorm;

    LearnerBase(Model model, Optimizer optimizer, double clipNorm) {
        this.model = model;
        this.cell = model.cell;
        this.readout = model.readout;
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
        this.hidden = new double[cell.hiddenSize()];
        this.prediction = new double[readout.outputSize()];
        this.dOut = new double[readout.outputSize()];
        this.gradW = new double[model.w.length];
        this.gradV = new double[model.v.length];
        this.params = model.parameters();
        this.grads = new double[][] {gradW, gradV};
    }

    /** After the cell ran on step: takes its h_t and predicts from it. */
    final void predictFrom(StepTrace step) {
        System.arraycopy(step.hidden, 0, hidden, 0, hidden.length);
        readout.predict(model.v, hidden, prediction);
        predicted = true;
        if (!allFinite(prediction)) {
            healthy = false;
        }
    }

    /**
     * Clips the accumulated gradients and applies them, unless they are not finite (then they
     * are dropped and the learner is marked unhealthy). Clears the accumulators either way.
     */
    final void applyAccumulatedGradient() {
        lastGradientNorm = GradientClipping.clipByGlobalNorm(grads, clipNorm);
        if (Double.isFinite(lastGradientNorm)) {
            optimizer.update(params, grads);
            updates++;
        } else {
            healthy = false;
        }
        java.util.Arrays.fill(gradW, 0.0);
        java.util.Arrays.fill(gradV, 0.0);
    }

    static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The learner's own arrays, after model and optimiser, in a fixed order. */
    final double[][] withModelAndOptimizer(double[]... own) {
        double[][] optimizerState = optimizer.stateArrays();
        double[][] all = new double[2 + optimizerState.length + own.length][];
        int i = 0;
        all[i++] = model.w;
        all[i++] = model.v;
        for (double[] a : optimizerState) {
            all[i++] = a;
        }
        for (double[] a : own) {
            all[i++] = a;
        }
        return all;
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
    public boolean healthy() {
        return healthy;
    }

    /** h_t (a view). */
    public double[] hidden() {
        return hidden;
    }

    /** Global gradient norm before clipping at the last update. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }
}
