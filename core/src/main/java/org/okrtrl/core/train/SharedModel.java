package org.okrtrl.core.train;

import java.util.Arrays;
import org.okrtrl.core.linalg.OuterProductAccumulator;

/**
 * What all streams of one model share (ALGORITHMS.md section 11): the parameters, the
 * optimiser and its moments, the gradient accumulator and the update counter. Every stream's
 * event adds its gradient contribution; after every {@code batchEvents} events (from any
 * streams) one optimiser step applies the accumulated gradient, clipped by global norm.
 *
 * <p>A replica of the model may also record the sum of its own optimiser steps since it last
 * published them ({@link #drainLocalUpdate}) and add the steps other replicas published
 * ({@link #applyRemoteUpdate}); addition commutes, so replicas that have seen the same updates
 * hold the same parameters up to rounding.
 */
public final class SharedModel {
    /** How the contributions of one batch are combined. */
    public enum Reduction {
        /** The mean over the batch's events (the paper's batches). */
        MEAN,
        /** The sum (a single stream that updates every k steps). */
        SUM
    }

    private final Model model;
    private final Optimizer optimizer;
    private final double clipNorm;
    private final int batchEvents;
    private final Reduction reduction;
    private final double[] gradW;
    private final OuterProductAccumulator gradWTerms;
    private final double[] gradV;
    private final double[][] params;
    private final double[][] grads;
    private int pending;
    private long updates;
    private long refusedUpdates;
    private double lastGradientNorm;
    private final boolean tracksLocalUpdates;
    private final double[] localW;
    private final double[] localV;
    private final double[] beforeW;
    private final double[] beforeV;
    private long localSteps;

    /**
     * @param clipNorm maximum global norm of the applied gradient (<= 0: no clipping)
     * @param batchEvents events per optimiser step (>= 1)
     * @param tracksLocalUpdates whether to record the sum of this replica's own steps for
     *     publishing (costs one copy of the parameters per step)
     */
    public SharedModel(Model model, Optimizer optimizer, double clipNorm, int batchEvents, Reduction reduction,
            boolean tracksLocalUpdates) {
        this(model, optimizer, clipNorm, batchEvents, reduction, tracksLocalUpdates,
                batchEvents > 1 ? OuterProductAccumulator.DEFAULT_CAPACITY : 0);
    }

    /**
     * @param lateTerms how many outer products of W's gradient to hold and add at once
     *     ({@link #gradWTerms()}; 0: add each at once). A model per key passes 0: its buffers
     *     (about 300 KB at n = 64) would be held once per key.
     */
    public SharedModel(Model model, Optimizer optimizer, double clipNorm, int batchEvents, Reduction reduction,
            boolean tracksLocalUpdates, int lateTerms) {
        if (batchEvents < 1) {
            throw new IllegalArgumentException("batchEvents must be >= 1, got " + batchEvents);
        }
        this.model = model;
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
        this.batchEvents = batchEvents;
        this.reduction = reduction;
        this.gradW = new double[model.w.length];
        this.gradWTerms = new OuterProductAccumulator(gradW, lateTerms);
        this.gradV = new double[model.v.length];
        this.params = model.parameters();
        this.grads = new double[][] {gradW, gradV};
        this.tracksLocalUpdates = tracksLocalUpdates;
        int trackedW = tracksLocalUpdates ? model.w.length : 0;
        int trackedV = tracksLocalUpdates ? model.v.length : 0;
        this.localW = new double[trackedW];
        this.localV = new double[trackedV];
        this.beforeW = new double[trackedW];
        this.beforeV = new double[trackedV];
    }

    public Model model() {
        return model;
    }

    public int batchEvents() {
        return batchEvents;
    }

    /** The accumulated gradient of W since the last optimiser step (a live view). */
    public double[] gradW() {
        return gradWTerms.dense();
    }

    /**
     * The accumulated gradient of W as a sum that takes outer products late (a Kronecker sum's
     * delta^T G, term by term); {@link #gradW()} adds what it holds.
     */
    public OuterProductAccumulator gradWTerms() {
        return gradWTerms;
    }

    /** The accumulated gradient of V since the last optimiser step (a live view). */
    public double[] gradV() {
        return gradV;
    }

    /** Adds contribution (shaped like W, not modified) to the accumulated gradient of W. */
    void addToGradW(double[] contribution) {
        double[] gradW = gradW();
        for (int i = 0; i < gradW.length; i++) {
            gradW[i] += contribution[i];
        }
    }

    /**
     * Counts one event; after every {@code batchEvents} of them applies the accumulated
     * gradient. Returns whether an optimiser step was attempted.
     */
    boolean eventDone() {
        if (++pending < batchEvents) {
            return false;
        }
        applyAccumulatedGradient();
        return true;
    }

    /** Whether the next {@link #eventDone} will apply the accumulated gradient (and so change the weights). */
    boolean nextEventSteps() {
        return pending + 1 >= batchEvents;
    }

    /** Applies the accumulated gradient now, however many events it holds. */
    void applyNow() {
        applyAccumulatedGradient();
    }

    /**
     * Reduces, clips and applies the accumulated gradient, unless it is not finite (then it is
     * dropped and counted as refused). Clears the accumulator either way.
     */
    private void applyAccumulatedGradient() {
        gradW();
        if (reduction == Reduction.MEAN && pending > 1) {
            double scale = 1.0 / pending;
            for (int i = 0; i < gradW.length; i++) {
                gradW[i] *= scale;
            }
            for (int i = 0; i < gradV.length; i++) {
                gradV[i] *= scale;
            }
        }
        lastGradientNorm = GradientClipping.clipByGlobalNorm(grads, clipNorm);
        if (Double.isFinite(lastGradientNorm)) {
            if (tracksLocalUpdates) {
                System.arraycopy(model.w, 0, beforeW, 0, beforeW.length);
                System.arraycopy(model.v, 0, beforeV, 0, beforeV.length);
            }
            optimizer.update(params, grads);
            updates++;
            if (tracksLocalUpdates) {
                addDifference(model.w, beforeW, localW);
                addDifference(model.v, beforeV, localV);
                localSteps++;
            }
        } else {
            refusedUpdates++;
        }
        Arrays.fill(gradW, 0.0);
        Arrays.fill(gradV, 0.0);
        pending = 0;
    }

    private static void addDifference(double[] after, double[] before, double[] sum) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += after[i] - before[i];
        }
    }

    /** Optimiser steps recorded since the last {@link #drainLocalUpdate}. */
    public long localStepsSincePublished() {
        return localSteps;
    }

    /**
     * Copies the sum of this replica's own optimiser steps since the last call into deltaW and
     * deltaV (modified) and starts a new sum. Returns the number of steps it holds (0: nothing
     * to publish; the outputs are then zero).
     */
    public long drainLocalUpdate(double[] deltaW, double[] deltaV) {
        requireTracking();
        System.arraycopy(localW, 0, deltaW, 0, localW.length);
        System.arraycopy(localV, 0, deltaV, 0, localV.length);
        Arrays.fill(localW, 0.0);
        Arrays.fill(localV, 0.0);
        long steps = localSteps;
        localSteps = 0;
        return steps;
    }

    /** Adds another replica's published steps (not modified) to the parameters. */
    public void applyRemoteUpdate(double[] deltaW, double[] deltaV) {
        if (deltaW.length != model.w.length || deltaV.length != model.v.length) {
            throw new IllegalArgumentException("update of shape " + deltaW.length + "+" + deltaV.length
                    + " for a model of " + model.w.length + "+" + model.v.length);
        }
        for (int i = 0; i < deltaW.length; i++) {
            model.w[i] += deltaW[i];
        }
        for (int i = 0; i < deltaV.length; i++) {
            model.v[i] += deltaV[i];
        }
    }

    private void requireTracking() {
        if (!tracksLocalUpdates) {
            throw new IllegalStateException("this model does not record its local updates");
        }
    }

    /** Optimiser steps applied so far. */
    public long updates() {
        return updates;
    }

    /** Optimiser steps dropped because the gradient was not finite. */
    public long refusedUpdates() {
        return refusedUpdates;
    }

    /** Sets the optimiser's step size from the next step on (its moments are kept). */
    public void setLearningRate(double learningRate) {
        optimizer.setLearningRate(learningRate);
    }

    /** Events accumulated towards the next optimiser step. */
    public int pendingEvents() {
        return pending;
    }

    /** Global gradient norm (of the reduced gradient, before clipping) at the last step. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /**
     * The model's arrays in a fixed order: W, V, the optimiser's state, the gradient
     * accumulators, then (when tracked) the unpublished local update. Live views.
     */
    public double[][] stateArrays() {
        gradW();
        double[][] opt = optimizer.stateArrays();
        int extra = tracksLocalUpdates ? 2 : 0;
        double[][] all = new double[4 + opt.length + extra][];
        int i = 0;
        all[i++] = model.w;
        all[i++] = model.v;
        for (double[] a : opt) {
            all[i++] = a;
        }
        all[i++] = gradW;
        all[i++] = gradV;
        if (tracksLocalUpdates) {
            all[i++] = localW;
            all[i++] = localV;
        }
        return all;
    }

    /**
     * Copies stored arrays of {@link #stateArrays()}'s layout (written by a model that tracked
     * its local updates as this one does) into this model (modified). The optimiser's state is
     * copied when the stored one has this optimiser's layout; otherwise (another optimiser) it
     * stays fresh: parameters and accumulated gradients are kept either way.
     *
     * @return whether the optimiser's state was restored
     * @throws IllegalArgumentException when W, V or the accumulators do not have this model's shapes
     */
    public boolean restoreArrays(double[][] stored) {
        gradWTerms.discardPending();
        double[][] target = stateArrays();
        int optimizerArrays = optimizer.stateArrays().length;
        int trailing = target.length - 2 - optimizerArrays;
        int storedOptimizerArrays = stored.length - 2 - trailing;
        if (storedOptimizerArrays < 0) {
            throw new IllegalArgumentException("stored model has " + stored.length + " arrays, at least "
                    + (2 + trailing) + " expected");
        }
        boolean sameOptimizer = storedOptimizerArrays == optimizerArrays;
        for (int i = 0; sameOptimizer && i < optimizerArrays; i++) {
            sameOptimizer = stored[2 + i].length == target[2 + i].length;
        }
        for (int i = 0; i < target.length; i++) {
            boolean optimizerPart = i >= 2 && i < 2 + optimizerArrays;
            if (optimizerPart && !sameOptimizer) {
                continue;
            }
            int from = i < 2 + optimizerArrays ? i : i - optimizerArrays + storedOptimizerArrays;
            if (stored[from].length != target[i].length) {
                throw new IllegalArgumentException("stored model array " + from + " has length " + stored[from].length
                        + ", expected " + target[i].length);
            }
            System.arraycopy(stored[from], 0, target[i], 0, target[i].length);
        }
        return sameOptimizer;
    }

    /** W, V and the optimiser's state, the part of {@link #stateArrays()} per-key learners store first. */
    double[][] modelAndOptimizerArrays() {
        double[][] opt = optimizer.stateArrays();
        double[][] all = new double[2 + opt.length][];
        all[0] = model.w;
        all[1] = model.v;
        System.arraycopy(opt, 0, all, 2, opt.length);
        return all;
    }

    /** {pending, updates, refused updates, local steps}. */
    public long[] scalarState() {
        return new long[] {pending, updates, refusedUpdates, localSteps};
    }

    /** Restores what {@link #scalarState()} returned. */
    public void restoreScalarState(long[] scalars) {
        pending = (int) scalars[0];
        updates = scalars[1];
        refusedUpdates = scalars[2];
        localSteps = scalars[3];
    }

    /** Sets the pending-event count and update counter (the per-key learners' stored scalars). */
    void restoreCounters(int pendingEvents, long updateCount) {
        this.pending = pendingEvents;
        this.updates = updateCount;
    }
}
