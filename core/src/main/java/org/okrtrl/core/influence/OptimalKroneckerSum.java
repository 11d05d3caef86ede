package org.okrtrl.core.influence;

import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.linalg.OuterProductAccumulator;

/**
 * r-OK: the influence matrix as a sum of r Kronecker products, reduced every step by the
 * optimal unbiased reduction (Benzing, Gauy, Mujika, Martinsson, Steger, "Optimal
 * Kronecker-Sum Approximation of Real Time Recurrent Learning", ICML 2019). O(r n^2) memory,
 * O(r n^3) time per step. With r = 1 it is the optimal version of KF-RTRL.
 *
 * <p>The factors A_s may be kept in float ({@link Precision}): half the state, twice the vector
 * lanes in their passes. The state arrays are then {u} (double) and {A} (float); in their
 * canonical order (that of the double estimator, {A, u}) A is slot 0.
 */
public final class OptimalKroneckerSum implements InfluenceEstimator {
    private final KroneckerSumState state;
    private final OkReduction reduction;

    private static final int[] FLOAT_SLOTS = {0};

    public OptimalKroneckerSum(Cell cell, int rank) {
        this(cell, rank, Precision.DOUBLE);
    }

    public OptimalKroneckerSum(Cell cell, int rank, Precision precision) {
        this.state = new KroneckerSumState(cell, rank, precision);
        this.reduction = new OkReduction(state.lengthA, state.p, rank, state.immediateJacobianSupport(), precision);
    }

    @Override
    public String name() {
        return "ok:" + state.rank;
    }

    /** The type the factors A_s are kept in. */
    public Precision precision() {
        return state.precision;
    }

    @Override
    public void reset() {
        state.reset();
    }

    @Override
    public void advance(StepTrace step, SplitMix64 rng) {
        state.expand(step);
        reduce(rng);
    }

    /**
     * Forms H_t [A_1 ... A_r] first, then adds delta^T G_{t-1}: the product has just streamed the
     * factors through the cache, so A^T delta reads them from there instead of from memory (with
     * many streams a stream's factors are long evicted by its next event). The factors are only
     * overwritten by the reduction that follows.
     */
    @Override
    public boolean addGradientThenAdvance(double[] delta, double[] scratch, double[] accumulator, StepTrace step,
            SplitMix64 rng) {
        state.expand(step);
        boolean added = addGradient(delta, scratch, accumulator);
        reduce(rng);
        return added;
    }

    @Override
    public boolean addGradientThenAdvance(double[] delta, double[] scratch, OuterProductAccumulator accumulator,
            StepTrace step, SplitMix64 rng) {
        state.expand(step);
        boolean added = addGradient(delta, scratch, accumulator);
        reduce(rng);
        return added;
    }

    private void reduce(SplitMix64 rng) {
        if (state.isFloat()) {
            reduction.reduce(state.termsAFloat, state.termsU, state.factorsAFloat, state.factorsU, rng);
        } else {
            reduction.reduce(state.termsA, state.termsU, state.factorsA, state.factorsU, rng);
        }
    }

    @Override
    public void gradient(double[] delta, double[] gradW) {
        state.gradient(delta, gradW);
    }

    @Override
    public boolean addGradient(double[] delta, double[] scratch, double[] accumulator) {
        if (state.addGradient(delta, accumulator)) {
            return true;
        }
        // The factors are too large to rule out overflow cheaply: decide on the dense gradient.
        return InfluenceEstimator.super.addGradient(delta, scratch, accumulator);
    }

    /** Hands delta^T G over as its r outer products (u_s, A_s^T delta), added when the sum is read. */
    @Override
    public boolean addGradient(double[] delta, double[] scratch, OuterProductAccumulator accumulator) {
        if (state.addGradient(delta, accumulator)) {
            return true;
        }
        return InfluenceEstimator.super.addGradient(delta, scratch, accumulator.dense());
    }

    @Override
    public double[][] stateArrays() {
        return state.isFloat() ? new double[][] {state.factorsU} : new double[][] {state.factorsA, state.factorsU};
    }

    @Override
    public float[][] floatStateArrays() {
        return state.isFloat() ? new float[][] {state.factorsAFloat} : NO_FLOAT_ARRAYS;
    }

    @Override
    public int[] floatSlots() {
        return state.isFloat() ? FLOAT_SLOTS.clone() : new int[0];
    }

    @Override
    public void bind(double[][] arrays) {
        state.bind(arrays);
    }

    @Override
    public void bind(double[][] arrays, float[][] floatArrays) {
        state.bind(arrays, floatArrays);
    }

    /** The reduction, for its closed-form error and singular values of the last step. */
    public OkReduction reduction() {
        return reduction;
    }

    /** The r + 1 terms the last step reduced: [H A_1 ... H A_r, D] (a read-only view, empty in float; for diagnostics). */
    public double[] termsA() {
        return state.termsA;
    }

    /** [u_1 ... u_r, a] of the last step (a view; for diagnostics). */
    public double[] termsU() {
        return state.termsU;
    }

    /** [A_1 ... A_r] as column-major n x g n blocks (a view; empty when A is kept in float). */
    public double[] factorsA() {
        return state.factorsA;
    }

    /** [A_1 ... A_r] in float (a view; empty unless A is kept in float). */
    public float[] factorsAFloat() {
        return state.factorsAFloat;
    }

    /** [u_1 ... u_r] packed (a view). */
    public double[] factorsU() {
        return state.factorsU;
    }
}
