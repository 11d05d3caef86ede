package org.okrtrl.core.train;

import org.okrtrl.core.Algorithm;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.influence.ExactRtrl;
import org.okrtrl.core.influence.InfluenceEstimator;
import org.okrtrl.core.influence.KroneckerFactoredRtrl;
import org.okrtrl.core.influence.OptimalKroneckerSum;
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
        return switch (algorithm.kind()) {
            case RTRL -> new ExactRtrl(cell);
            case KF -> new KroneckerFactoredRtrl(cell);
            case UORO -> new Uoro(cell);
            case OK -> new OptimalKroneckerSum(cell, algorithm.parameter());
            case TBPTT -> throw new IllegalArgumentException(algorithm + " is not an influence estimator");
        };
    }

    /** A learner for spec: an {@link OnlineLearner} or a {@link TruncatedBpttLearner}. */
    public static SequenceLearner learner(
            String spec, Model model, Optimizer optimizer, double clipNorm, int updateEvery, long seed) {
        return learner(Algorithm.parse(spec), model, optimizer, clipNorm, updateEvery, seed);
    }

    /** A learner for an algorithm: an {@link OnlineLearner} or a {@link TruncatedBpttLearner}. */
    public static SequenceLearner learner(
            Algorithm algorithm, Model model, Optimizer optimizer, double clipNorm, int updateEvery, long seed) {
        if (!algorithm.isEstimator()) {
            return new TruncatedBpttLearner(model, optimizer, clipNorm, algorithm.parameter());
        }
        return new OnlineLearner(model, estimator(algorithm, model.cell), optimizer, clipNorm, updateEvery, seed);
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
        if (!algorithm.isEstimator()) {
            return new SharedTruncatedBpttLearner(model, algorithm.parameter());
        }
        return new SharedOnlineLearner(model, estimator(algorithm, model.model().cell));
    }

    /** Checks the spec's form without building anything. */
    public static void validate(String spec) {
        Algorithm.parse(spec);
    }
}
