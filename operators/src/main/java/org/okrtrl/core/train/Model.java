package org.okrtrl.core.train;

import java.util.SplittableRandom;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.readout.Readout;

/** A cell and its readout with their parameters: W (g n x p) and V (o x (n + 1)), row-major. */
public final class Model {
    public final Cell cell;
    public final Readout readout;
    public final double[] w;
    public final double[] v;

    public Model(Cell cell, Readout readout) {
        if (cell.hiddenSize() != readout.hiddenSize()) {
            throw new IllegalArgumentException("cell and readout disagree on the hidden size");
        }
        this.cell = cell;
        this.readout = readout;
        this.w = new double[cell.parameterCount()];
        this.v = new double[readout.parameterCount()];
    }

    /** A model with freshly initialised parameters drawn from the seed. */
    public static Model initialized(Cell cell, Readout readout, long seed) {
        Model model = new Model(cell, readout);
        model.initialize(seed);
        return model;
    }

    /** Re-initialises W and V from the seed (modifies both). */
    public void initialize(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        cell.initialize(w, rng);
        readout.initialize(v, rng);
    }

    /** The parameter groups in optimiser order: {W, V}. */
    public double[][] parameters() {
        return new double[][] {w, v};
    }

    public int hiddenSize() {
        return cell.hiddenSize();
    }
}
