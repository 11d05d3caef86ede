package org.okrtrl.core.train;

import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.influence.InfluenceEstimator;
import org.okrtrl.core.readout.Readout;

/**
 * Whole-sequence loss gradients with frozen weights, the quantities the correctness oracles
 * compare: full backpropagation through time, and the sum over t of the online gradients
 * delta_t^T G_t of an influence estimator. The sequence starts from h_0 = 0 and scores the
 * output of every step: L = sum_t loss(readout(h_t), y_t).
 */
public final class SequenceGradients {
    private SequenceGradients() {}

    /** Loss and gradients of one sequence. */
    public record Result(double loss, double[] gradW, double[] gradV) {}

    /** Full backpropagation through time. inputs is T x m, targets T x o (one-hot for softmax). */
    public static Result backpropagation(Model model, double[][] inputs, double[][] targets) {
        Cell cell = model.cell;
        Readout readout = model.readout;
        int steps = inputs.length;
        int n = cell.hiddenSize();
        StepTrace[] traces = new StepTrace[steps];
        double[][] direct = new double[steps][n];
        double[] gradW = new double[model.w.length];
        double[] gradV = new double[model.v.length];
        double[] out = new double[readout.outputSize()];
        double[] dOut = new double[readout.outputSize()];
        double[] h = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++) {
            StepTrace trace = cell.newTrace();
            trace.setInput(inputs[t], h);
            cell.forward(model.w, trace);
            cell.jacobians(model.w, trace);
            traces[t] = trace;
            readout.predict(model.v, trace.hidden, out);
            loss += readout.loss(out, targets[t]);
            readout.outputGradient(out, targets[t], dOut);
            readout.backward(model.v, trace.hidden, dOut, direct[t], gradV);
            h = trace.hidden;
        }
        new BackwardPass(cell).accumulate(traces, direct, steps, gradW);
        return new Result(loss, gradW, gradV);
    }

    /** The sum over t of delta_t^T G_t from the estimator (reset first; signs from rng). */
    public static Result online(
            Model model, InfluenceEstimator estimator, double[][] inputs, double[][] targets, SplitMix64 rng) {
        Cell cell = model.cell;
        Readout readout = model.readout;
        int n = cell.hiddenSize();
        estimator.reset();
        StepTrace trace = cell.newTrace();
        double[] gradW = new double[model.w.length];
        double[] stepGradW = new double[model.w.length];
        double[] gradV = new double[model.v.length];
        double[] out = new double[readout.outputSize()];
        double[] dOut = new double[readout.outputSize()];
        double[] delta = new double[n];
        double[] h = new double[n];
        double loss = 0;
        for (int t = 0; t < inputs.length; t++) {
            trace.setInput(inputs[t], h);
            cell.forward(model.w, trace);
            cell.jacobians(model.w, trace);
            estimator.advance(trace, rng);
            readout.predict(model.v, trace.hidden, out);
            loss += readout.loss(out, targets[t]);
            readout.outputGradient(out, targets[t], dOut);
            readout.backward(model.v, trace.hidden, dOut, delta, gradV);
            estimator.gradient(delta, stepGradW);
            for (int i = 0; i < gradW.length; i++) {
                gradW[i] += stepGradW[i];
            }
            System.arraycopy(trace.hidden, 0, h, 0, n);
        }
        return new Result(loss, gradW, gradV);
    }

    /** The loss alone, for finite differences. */
    public static double loss(Model model, double[][] inputs, double[][] targets) {
        Cell cell = model.cell;
        Readout readout = model.readout;
        StepTrace trace = cell.newTrace();
        double[] out = new double[readout.outputSize()];
        double[] h = new double[cell.hiddenSize()];
        double loss = 0;
        for (int t = 0; t < inputs.length; t++) {
            trace.setInput(inputs[t], h);
            cell.forward(model.w, trace);
            readout.predict(model.v, trace.hidden, out);
            loss += readout.loss(out, targets[t]);
            System.arraycopy(trace.hidden, 0, h, 0, h.length);
        }
        return loss;
    }

    /**
     * Truncated backpropagation with horizon T on frozen weights: windows of T steps, each
     * backpropagated within itself only (h carried between windows, its gradient not).
     */
    public static Result truncated(Model model, int horizon, double[][] inputs, double[][] targets) {
        Cell cell = model.cell;
        Readout readout = model.readout;
        int n = cell.hiddenSize();
        StepTrace[] window = new StepTrace[horizon];
        for (int t = 0; t < horizon; t++) {
            window[t] = cell.newTrace();
        }
        double[][] direct = new double[horizon][n];
        BackwardPass backward = new BackwardPass(cell);
        double[] gradW = new double[model.w.length];
        double[] gradV = new double[model.v.length];
        double[] out = new double[readout.outputSize()];
        double[] dOut = new double[readout.outputSize()];
        double[] h = new double[n];
        double loss = 0;
        int filled = 0;
        for (int t = 0; t < inputs.length; t++) {
            StepTrace trace = window[filled];
            trace.setInput(inputs[t], h);
            cell.forward(model.w, trace);
            cell.jacobians(model.w, trace);
            readout.predict(model.v, trace.hidden, out);
            loss += readout.loss(out, targets[t]);
            readout.outputGradient(out, targets[t], dOut);
            readout.backward(model.v, trace.hidden, dOut, direct[filled], gradV);
            System.arraycopy(trace.hidden, 0, h, 0, n);
            if (++filled == horizon || t == inputs.length - 1) {
                backward.accumulate(window, direct, filled, gradW);
                filled = 0;
            }
        }
        return new Result(loss, gradW, gradV);
    }
}
