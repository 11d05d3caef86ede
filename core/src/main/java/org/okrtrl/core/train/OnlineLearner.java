package org.okrtrl.core.train;

import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.influence.InfluenceEstimator;

/**
 * Online training of one stream with a model of its own (ALGORITHMS.md section 8): the
 * gradient delta_t^T G_t is formed at every step, summed over {@code updateEvery} steps,
 * clipped by global norm and applied; the influence state is carried across updates and reset
 * only at a sequence boundary. Nothing is allocated per step. The same arithmetic as
 * {@link SharedOnlineLearner} with one stream.
 */
public final class OnlineLearner extends SingleStreamLearner {
    private final InfluenceEstimator estimator;

    /**
     * @param clipNorm maximum global gradient norm (<= 0: no clipping)
     * @param updateEvery apply the accumulated gradient every this many scored steps (>= 1)
     * @param seed seed of the estimator's random signs
     */
    public OnlineLearner(
            Model model, InfluenceEstimator estimator, Optimizer optimizer, double clipNorm, int updateEvery, long seed) {
        super(new SharedOnlineLearner(new SharedModel(model, optimizer, clipNorm, checked(updateEvery),
                SharedModel.Reduction.SUM, false, 0), estimator), new SplitMix64(seed).state());
        this.estimator = estimator;
        estimator.bind(stream.ruleArrays, stream.ruleFloatArrays);
    }

    private static int checked(int updateEvery) {
        if (updateEvery < 1) {
            throw new IllegalArgumentException("updateEvery must be >= 1, got " + updateEvery);
        }
        return updateEvery;
    }

    /** The estimator, bound to this learner's influence state. */
    public InfluenceEstimator estimator() {
        return estimator;
    }

    @Override
    public double[][] stateArrays() {
        double[][] influence = stream.ruleArrays;
        double[][] own = new double[influence.length + 4][];
        System.arraycopy(influence, 0, own, 0, influence.length);
        own[influence.length] = stream.hidden;
        own[influence.length + 1] = stream.prediction;
        own[influence.length + 2] = shared.gradW();
        own[influence.length + 3] = shared.gradV();
        return withModelAndOptimizer(own);
    }

    @Override
    public float[][] floatStateArrays() {
        return stream.ruleFloatArrays;
    }

    @Override
    public int[] floatSlots() {
        // The model's and optimiser's arrays come first (see withModelAndOptimizer).
        int offset = shared.modelAndOptimizerArrays().length;
        int[] slots = stream.floatSlots();
        for (int i = 0; i < slots.length; i++) {
            slots[i] += offset;
        }
        return slots;
    }

    @Override
    public long[] scalarState() {
        return new long[] {stream.predicted ? 1 : 0, shared.pendingEvents(), shared.updates(), stream.random,
            healthy() ? 1 : 0};
    }

    @Override
    public void restoreScalarState(long[] scalars) {
        stream.predicted = scalars[0] != 0;
        shared.restoreCounters((int) scalars[1], scalars[2]);
        stream.random = scalars[3];
        restoreHealthy(scalars[4] != 0);
    }
}
