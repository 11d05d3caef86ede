package org.okrtrl.core;

import java.util.SplittableRandom;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.HighwayCell;
import org.okrtrl.core.cell.TanhCell;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Model;

/** Random models and sequences for the oracles. */
public final class Problems {
    private Problems() {}

    /** A cell of the given kind ("rnn" or "rhn"). */
    public static Cell cell(String kind, int inputs, int hidden) {
        return kind.equals("rhn") ? new HighwayCell(inputs, hidden, 1.0) : new TanhCell(inputs, hidden);
    }

    /** A model with weights scaled so the dynamics are neither saturated nor trivial. */
    public static Model model(String cell, Readout.Link link, int inputs, int hidden, int outputs, long seed) {
        Model model = Model.initialized(cell(cell, inputs, hidden), new Readout(link, hidden, outputs), seed);
        SplittableRandom rng = new SplittableRandom(seed * 31 + 7);
        // Non-zero biases everywhere, so every parameter matters.
        for (int i = 0; i < model.w.length; i++) {
            model.w[i] += 0.1 * (rng.nextDouble() - 0.5);
        }
        for (int i = 0; i < model.v.length; i++) {
            model.v[i] += 0.1 * (rng.nextDouble() - 0.5);
        }
        return model;
    }

    /** T x size real vectors, entries in [-1, 1). */
    public static double[][] realSequence(int steps, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] xs = new double[steps][size];
        for (double[] x : xs) {
            for (int i = 0; i < size; i++) {
                x[i] = 2 * rng.nextDouble() - 1;
            }
        }
        return xs;
    }

    /** T one-hot vectors over size symbols. */
    public static double[][] oneHotSequence(int steps, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] xs = new double[steps][size];
        for (double[] x : xs) {
            x[rng.nextInt(size)] = 1.0;
        }
        return xs;
    }

    /** Targets fitting the readout: one-hot for softmax, real otherwise. */
    public static double[][] targets(Readout.Link link, int steps, int size, long seed) {
        return link == Readout.Link.SOFTMAX ? oneHotSequence(steps, size, seed) : realSequence(steps, size, seed);
    }

    public static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** ||a - b|| / ||b||. */
    public static double relativeError(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s) / norm(b);
    }
}
