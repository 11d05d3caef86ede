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

    /** A model with freshly initialised parameters drawn from the seed (the fan-in rule). */
    public static Model initialized(Cell cell, Readout readout, long seed) {
        return initialized(cell, readout, seed, FAN_IN);
    }

    /**
     * A model with parameters drawn from the seed: with initScale {@link #FAN_IN} uniform in
     * +-sqrt(3 / fan-in), otherwise every weight of W and V from N(0, initScale^2).
     */
    public static Model initialized(Cell cell, Readout readout, long seed, double initScale) {
        Model model = new Model(cell, readout);
        model.initialize(seed, initScale);
        return model;
    }

    /** The initialisation scale that selects the fan-in rule. */
    public static final double FAN_IN = 0.0;

    /** Re-initialises W and V from the seed with the fan-in rule (modifies both). */
    public void initialize(long seed) {
        initialize(seed, FAN_IN);
    }

    /** Re-initialises W and V from the seed (modifies both); see {@link #initialized(Cell, Readout, long, double)}. */
    public void initialize(long seed, double initScale) {
        SplittableRandom rng = new SplittableRandom(seed);
        if (initScale == FAN_IN) {
            cell.initialize(w, rng);
            readout.initialize(v, rng);
        } else {
            cell.initializeNormal(w, rng, initScale);
            readout.initializeNormal(v, rng, initScale);
        }
    }

    /** The parameter groups in optimiser order: {W, V}. */
    public double[][] parameters() {
        return new double[][] {w, v};
    }

    public int hiddenSize() {
        return cell.hiddenSize();
    }
}
