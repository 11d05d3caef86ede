package org.okrtrl.core.train;

import org.okrtrl.core.Algorithm;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.influence.ExactRtrl;
import org.okrtrl.core.influence.InfluenceEstimator;
import org.okrtrl.core.influence.KroneckerFactoredRtrl;
import org.okrtrl.core.influence.OptimalKroneckerSum;
import org.okrtrl.core.influence.Precision;
import org.okrtrl.core.influence.Uoro;

/**
 * Builds the estimator or learner of an {@link Algorithm}. The String overloads parse the name
 * users write first.
 */
public final class Algorithms {
    private Algorithms() {}

    /** Whether spec names an influence estimator (every algorithm but tbptt). */
    public static boolean isEstimator(String spec) {
        return Algorithm.parse(spec).isEstimator();
    }

    /** The estimator named by spec; IllegalArgumentException naming the spec otherwise. */
    public static InfluenceEstimator estimator(String spec, Cell cell) {
        return estimator(Algorithm.parse(spec), cell);
    }

    /** The estimator of an algorithm; IllegalArgumentException for TBPTT, which has none. */
    public static InfluenceEstimator estimator(Algorithm algorithm, Cell cell) {
        return estimator(algorithm, cell, Precision.DOUBLE);
    }

    /**
     * The estimator of an algorithm with its factors in the given precision: float is r-OK's
     * (the other estimators are double only, and asking for float is an IllegalArgumentException).
     */
    public static InfluenceEstimator estimator(Algorithm algorithm, Cell cell, Precision precision) {
        checkPrecision(algorithm, precision);
        return switch (algorithm.kind()) {
            case RTRL -> new ExactRtrl(cell);
            case KF -> new KroneckerFactoredRtrl(cell);
            case UORO -> new Uoro(cell);
            case OK -> new OptimalKroneckerSum(cell, algorithm.parameter(), precision);
            case TBPTT -> throw new IllegalArgumentException(algorithm + " is not an influence estimator");
        };
    }

    /** IllegalArgumentException unless precision is double or the algorithm is r-OK. */
    public static void checkPrecision(Algorithm algorithm, Precision precision) {
        if (precision == Precision.FLOAT && algorithm.kind() != Algorithm.Kind.OK) {
            throw new IllegalArgumentException("precision float keeps r-OK's factors in float; " + algorithm
                    + " runs in double only (use --precision double)");
        }
    }

    /** A learner for spec: an {@link OnlineLearner} or a {@link TruncatedBpttLearner}. */
    public static SequenceLearner learner(
            String spec, Model model, Optimizer optimizer, double clipNorm, int updateEvery, long seed) {
        return learner(Algorithm.parse(spec), model, optimizer, clipNorm, updateEvery, seed);
    }

    /** A learner for an algorithm: an {@link OnlineLearner} or a {@link TruncatedBpttLearner}. */
    public static SequenceLearner learner(
            Algorithm algorithm, Model model, Optimizer optimizer, double clipNorm, int updateEvery, long seed) {
        return learner(algorithm, model, optimizer, clipNorm, updateEvery, seed, Precision.DOUBLE);
    }

    /** As {@link #learner(Algorithm, Model, Optimizer, double, int, long)} with r-OK's factors in precision. */
    public static SequenceLearner learner(Algorithm algorithm, Model model, Optimizer optimizer, double clipNorm,
            int updateEvery, long seed, Precision precision) {
        checkPrecision(algorithm, precision);
        if (!algorithm.isEstimator()) {
            return new TruncatedBpttLearner(model, optimizer, clipNorm, algorithm.parameter());
        }
        return new OnlineLearner(model, estimator(algorithm, model.cell, precision), optimizer, clipNorm, updateEvery,
                seed);
    }

    /**
     * A learner for many streams sharing model: a {@link SharedOnlineLearner} or a
     * {@link SharedTruncatedBpttLearner}.
     */
    public static SharedLearner sharedLearner(String spec, SharedModel model) {
        return sharedLearner(Algorithm.parse(spec), model);
    }

    /** As {@link #sharedLearner(String, SharedModel)} for a parsed algorithm. */
    public static SharedLearner sharedLearner(Algorithm algorithm, SharedModel model) {
        return sharedLearner(algorithm, model, Precision.DOUBLE);
    }

    /** As {@link #sharedLearner(Algorithm, SharedModel)} with r-OK's factors in precision. */
    public static SharedLearner sharedLearner(Algorithm algorithm, SharedModel model, Precision precision) {
        checkPrecision(algorithm, precision);
        if (!algorithm.isEstimator()) {
            return new SharedTruncatedBpttLearner(model, algorithm.parameter());
        }
        return new SharedOnlineLearner(model, estimator(algorithm, model.model().cell, precision));
    }

    /** Checks the spec's form without building anything. */
    public static void validate(String spec) {
        Algorithm.parse(spec);
    }
}
