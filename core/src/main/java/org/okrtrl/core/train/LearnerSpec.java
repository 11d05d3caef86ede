package org.okrtrl.core.train;

import java.io.Serializable;
import org.okrtrl.core.Algorithm;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.CellType;
import org.okrtrl.core.influence.Precision;
import org.okrtrl.core.readout.Readout;

/**
 * Everything needed to build a learner: the algorithm, the model's shape and the optimiser.
 * Fresh models are drawn from a seed, so a spec and a seed rebuild a learner exactly.
 *
 * @param algorithm rtrl, ok:R, kf, uoro or tbptt:T
 * @param cell rnn or rhn
 * @param inputs m, the input size (the vocabulary size for symbol streams)
 * @param hidden n
 * @param outputs o (the vocabulary size for symbol streams)
 * @param link SOFTMAX for symbols, LINEAR for real-valued targets
 * @param optimizer adam or sgd
 * @param updateEvery apply the accumulated gradient every this many steps (RTRL family)
 * @param carryBias initial carry-gate bias of the highway cell
 * @param initScale standard deviation of the initial weights of W and V ({@link Model#FAN_IN}, 0:
 *     uniform in +-sqrt(3 / fan-in))
 * @param precision the type r-OK keeps its influence factors in (double for every other algorithm)
 * @param adamBeta2 Adam's second-moment decay (NaN: {@link Defaults#adamBeta2} for the link and n)
 */
public record LearnerSpec(
        Algorithm algorithm,
        CellType cell,
        int inputs,
        int hidden,
        int outputs,
        Readout.Link link,
        OptimizerType optimizer,
        double learningRate,
        double clipNorm,
        int updateEvery,
        double carryBias,
        double initScale,
        Precision precision,
        double adamBeta2)
        implements Serializable {

    public LearnerSpec {
        java.util.Objects.requireNonNull(algorithm, "algorithm");
        java.util.Objects.requireNonNull(cell, "cell");
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        if (inputs < 1 || hidden < 1 || outputs < 1) {
            throw new IllegalArgumentException("sizes must be >= 1: inputs=" + inputs + " hidden=" + hidden
                    + " outputs=" + outputs);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm must be >= 0 (0: no clipping), got " + clipNorm);
        }
        if (updateEvery < 1) {
            throw new IllegalArgumentException("update-every must be >= 1, got " + updateEvery);
        }
        if (!(initScale >= 0) || !Double.isFinite(initScale)) {
            throw new IllegalArgumentException("init scale must be >= 0 (0: the fan-in rule), got " + initScale);
        }
        java.util.Objects.requireNonNull(precision, "precision");
        Algorithms.checkPrecision(algorithm, precision);
        java.util.Objects.requireNonNull(link, "link");
        if (Double.isNaN(adamBeta2)) {
            adamBeta2 = Defaults.adamBeta2(algorithm, link, hidden, learningRate);
        }
        if (!(adamBeta2 >= 0 && adamBeta2 < 1)) {
            throw new IllegalArgumentException("Adam's beta2 must be in [0, 1), got " + adamBeta2);
        }
    }

    /** A spec with Adam's default second-moment decay for its algorithm, link, width and rate. */
    public LearnerSpec(Algorithm algorithm, CellType cell, int inputs, int hidden, int outputs, Readout.Link link,
            OptimizerType optimizer, double learningRate, double clipNorm, int updateEvery, double carryBias,
            double initScale, Precision precision) {
        this(algorithm, cell, inputs, hidden, outputs, link, optimizer, learningRate, clipNorm, updateEvery, carryBias,
                initScale, precision, Double.NaN);
    }

    /** A spec with the influence factors in double. */
    public LearnerSpec(Algorithm algorithm, CellType cell, int inputs, int hidden, int outputs, Readout.Link link,
            OptimizerType optimizer, double learningRate, double clipNorm, int updateEvery, double carryBias,
            double initScale) {
        this(algorithm, cell, inputs, hidden, outputs, link, optimizer, learningRate, clipNorm, updateEvery, carryBias,
                initScale, Precision.DOUBLE);
    }

    /** A spec whose models use the fan-in initialisation (the layout earlier versions stored). */
    public LearnerSpec(Algorithm algorithm, CellType cell, int inputs, int hidden, int outputs, Readout.Link link,
            OptimizerType optimizer, double learningRate, double clipNorm, int updateEvery, double carryBias) {
        this(algorithm, cell, inputs, hidden, outputs, link, optimizer, learningRate, clipNorm, updateEvery, carryBias,
                Model.FAN_IN);
    }

    /** The spec from the names users write (algorithm, cell, optimizer); IllegalArgumentException naming a bad one. */
    public LearnerSpec(String algorithm, String cell, int inputs, int hidden, int outputs, Readout.Link link,
            String optimizer, double learningRate, double clipNorm, int updateEvery, double carryBias) {
        this(algorithm, cell, inputs, hidden, outputs, link, optimizer, learningRate, clipNorm, updateEvery, carryBias,
                Model.FAN_IN);
    }

    /** As the String constructor above, with an initialisation scale. */
    public LearnerSpec(String algorithm, String cell, int inputs, int hidden, int outputs, Readout.Link link,
            String optimizer, double learningRate, double clipNorm, int updateEvery, double carryBias,
            double initScale) {
        this(Algorithm.parse(algorithm), CellType.parse(cell), inputs, hidden, outputs, link,
                OptimizerType.parse(optimizer), learningRate, clipNorm, updateEvery, carryBias, initScale);
    }

    /** This spec with another initialisation scale. */
    public LearnerSpec withInitScale(double scale) {
        return new LearnerSpec(algorithm, cell, inputs, hidden, outputs, link, optimizer, learningRate, clipNorm,
                updateEvery, carryBias, scale, precision, adamBeta2);
    }

    /**
     * This spec with another learning rate; Adam's decay stays the one this spec resolved (a
     * replica stepping at a multiple of the rate keeps the decay of the rate it was given).
     */
    public LearnerSpec withLearningRate(double rate) {
        return new LearnerSpec(algorithm, cell, inputs, hidden, outputs, link, optimizer, rate, clipNorm, updateEvery,
                carryBias, initScale, precision, adamBeta2);
    }

    /** This spec with the influence factors in another precision. */
    public LearnerSpec withPrecision(Precision p) {
        return new LearnerSpec(algorithm, cell, inputs, hidden, outputs, link, optimizer, learningRate, clipNorm,
                updateEvery, carryBias, initScale, p, adamBeta2);
    }

    /** This spec with another Adam second-moment decay (NaN: the default for its link and n). */
    public LearnerSpec withAdamBeta2(double beta2) {
        return new LearnerSpec(algorithm, cell, inputs, hidden, outputs, link, optimizer, learningRate, clipNorm,
                updateEvery, carryBias, initScale, precision, beta2);
    }

    /** A new learner whose model and random stream are drawn from seed. */
    public SequenceLearner create(long seed) {
        Model model = newModel(seed);
        return Algorithms.learner(algorithm, model, newOptimizer(model), clipNorm, updateEvery, seed ^ 0x5DEECE66DL,
                precision);
    }

    /**
     * A learner for many streams whose shared model is drawn from seed; the optimiser steps
     * every batchEvents events on their mean gradient.
     *
     * @param tracksLocalUpdates whether the model records its own steps for publishing to replicas
     */
    public SharedLearner createShared(long seed, int batchEvents, boolean tracksLocalUpdates) {
        Model model = newModel(seed);
        SharedModel shared = new SharedModel(model, newOptimizer(model), clipNorm, batchEvents,
                SharedModel.Reduction.MEAN, tracksLocalUpdates);
        return Algorithms.sharedLearner(algorithm, shared, precision);
    }

    /** The seed of a stream's random signs, derived from its key's seed. */
    public static long streamSeed(long keySeed) {
        return keySeed ^ 0x5DEECE66DL;
    }

    private Model newModel(long seed) {
        Cell c = cell.create(inputs, hidden, carryBias);
        return Model.initialized(c, new Readout(link, hidden, outputs), seed, initScale);
    }

    private Optimizer newOptimizer(Model model) {
        return optimizer.create(learningRate, adamBeta2, model.w.length, model.v.length);
    }

    /** A seed for one stream key, derived from the job's seed (stable across runs and JVMs). */
    public static long keySeed(long seed, String key) {
        long h = seed;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001b3L;
        }
        return new org.okrtrl.core.random.SplitMix64(h).nextLong();
    }
}
