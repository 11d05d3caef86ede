package org.okrtrl.core;

import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.influence.ExactRtrl;
import org.okrtrl.core.influence.InfluenceEstimator;
import org.okrtrl.core.influence.KroneckerFactoredRtrl;
import org.okrtrl.core.influence.OptimalKroneckerSum;
import org.okrtrl.core.influence.Uoro;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.OnlineLearner;
import org.okrtrl.core.train.Optimizer;
import org.okrtrl.core.train.SequenceLearner;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.SharedModel;
import org.okrtrl.core.train.SharedOnlineLearner;
import org.okrtrl.core.train.SharedTruncatedBpttLearner;
import org.okrtrl.core.train.TruncatedBpttLearner;

/**
 * Algorithm names as users write them: {@code rtrl}, {@code ok:R} (r-OK, R >= 1), {@code kf}
 * (KF-RTRL), {@code uoro}, and {@code tbptt:T} (truncated BPTT with horizon T).
 */
public final class Algorithms {
    private Algorithms() {}

    /** Whether spec names an influence estimator (every algorithm but tbptt). */
    public static boolean isEstimator(String spec) {
        return !spec.startsWith("tbptt");
    }

    /** The estimator named by spec; IllegalArgumentException naming the spec otherwise. */
    public static InfluenceEstimator estimator(String spec, Cell cell) {
        switch (spec) {
            case "rtrl":
                return new ExactRtrl(cell);
            case "kf":
                return new KroneckerFactoredRtrl(cell);
            case "uoro":
                return new Uoro(cell);
            default:
                if (spec.startsWith("ok:")) {
                    return new OptimalKroneckerSum(cell, positiveSuffix(spec, "ok:"));
                }
                throw new IllegalArgumentException(
                        "unknown algorithm '" + spec + "' (expected rtrl, ok:R, kf, uoro or tbptt:T)");
        }
    }

    /** A learner for spec: an {@link OnlineLearner} or a {@link TruncatedBpttLearner}. */
    public static SequenceLearner learner(
            String spec, Model model, Optimizer optimizer, double clipNorm, int updateEvery, long seed) {
        if (spec.startsWith("tbptt:")) {
            return new TruncatedBpttLearner(model, optimizer, clipNorm, positiveSuffix(spec, "tbptt:"));
        }
        return new OnlineLearner(model, estimator(spec, model.cell), optimizer, clipNorm, updateEvery, seed);
    }

    /**
     * A learner for many streams sharing model: a {@link SharedOnlineLearner} or a
     * {@link SharedTruncatedBpttLearner}.
     */
    public static SharedLearner sharedLearner(String spec, SharedModel model) {
        if (spec.startsWith("tbptt:")) {
            return new SharedTruncatedBpttLearner(model, positiveSuffix(spec, "tbptt:"));
        }
        return new SharedOnlineLearner(model, estimator(spec, model.model().cell));
    }

    /** Checks the spec's form without building anything. */
    public static void validate(String spec) {
        if (spec.startsWith("tbptt:")) {
            positiveSuffix(spec, "tbptt:");
        } else if (spec.startsWith("ok:")) {
            positiveSuffix(spec, "ok:");
        } else if (!spec.equals("rtrl") && !spec.equals("kf") && !spec.equals("uoro")) {
            throw new IllegalArgumentException(
                    "unknown algorithm '" + spec + "' (expected rtrl, ok:R, kf, uoro or tbptt:T)");
        }
    }

    private static int positiveSuffix(String spec, String prefix) {
        try {
            int value = Integer.parseInt(spec.substring(prefix.length()));
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("algorithm '" + spec + "' needs a positive integer after '" + prefix + "'");
    }
}
