package org.okrtrl.core.influence;

import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.linalg.OuterProductAccumulator;

/**
 * Carries (an estimate of) the influence matrix G_t = dh_t/dW forward in time:
 * G_t = H_t G_{t-1} + D_t (x) a_t (ALGORITHMS.md section 2), and turns it into the online
 * gradient dL_t/dW = delta_t^T G_t. Each instance holds one sequence's state.
 */
public interface InfluenceEstimator {
    /** No float arrays: the state of an estimator kept wholly in double. */
    float[][] NO_FLOAT_ARRAYS = new float[0][];

    /** Short name, e.g. "rtrl", "ok:8", "kf", "uoro". */
    String name();

    /** Sets the state to G = 0 (a new sequence). */
    void reset();

    /**
     * Advances the state by one step of the cell; random signs, if any, come from rng
     * (modified). The trace is not modified.
     */
    void advance(StepTrace step, SplitMix64 rng);

    /**
     * Writes delta^T G (a g n x p row-major matrix shaped like W) into gradW (modified);
     * delta (length n) is not modified.
     */
    void gradient(double[] delta, double[] gradW);

    /**
     * Adds delta^T G to accumulator (modified) if every entry of it is finite and returns true;
     * otherwise adds nothing and returns false. scratch (shaped like W) may be overwritten;
     * delta is not modified. Estimators with a factored state override this to add without
     * forming delta^T G densely first.
     */
    default boolean addGradient(double[] delta, double[] scratch, double[] accumulator) {
        gradient(delta, scratch);
        for (double v : scratch) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        for (int i = 0; i < accumulator.length; i++) {
            accumulator[i] += scratch[i];
        }
        return true;
    }

    /**
     * {@link #addGradient(double[], double[], double[])} into a sum that may take the gradient
     * as outer products and add them later (the same numbers once read): a factored estimator
     * hands over its terms instead of adding them to the dense matrix event by event.
     */
    default boolean addGradient(double[] delta, double[] scratch, OuterProductAccumulator accumulator) {
        return addGradient(delta, scratch, accumulator.dense());
    }

    /** {@link #addGradientThenAdvance(double[], double[], double[], StepTrace, SplitMix64)} into a late sum. */
    default boolean addGradientThenAdvance(double[] delta, double[] scratch, OuterProductAccumulator accumulator,
            StepTrace step, SplitMix64 rng) {
        boolean added = addGradient(delta, scratch, accumulator);
        advance(step, rng);
        return added;
    }

    /**
     * {@link #addGradient} of the state as it is, then {@link #advance}: the same arithmetic in
     * one call, so an estimator can add the gradient while the step has its state in cache
     * (r-OK: after H_t G_{t-1} has been formed, before the reduction overwrites G_{t-1}).
     * Returns addGradient's result; the step is taken either way.
     */
    default boolean addGradientThenAdvance(double[] delta, double[] scratch, double[] accumulator, StepTrace step,
            SplitMix64 rng) {
        boolean added = addGradient(delta, scratch, accumulator);
        advance(step, rng);
        return added;
    }

    /**
     * The arrays that hold this estimator's per-sequence state, in a fixed order. They are
     * live views, valid until the next {@link #advance}: writing into them restores a saved
     * state.
     */
    double[][] stateArrays();

    /**
     * The state arrays held in float (r-OK with its factors in float), live views like
     * {@link #stateArrays()}; empty for an estimator kept in double.
     */
    default float[][] floatStateArrays() {
        return NO_FLOAT_ARRAYS;
    }

    /**
     * Where each of {@link #floatStateArrays()} sits in the canonical order of this estimator's
     * arrays, which is the order the same estimator in double keeps them all in; the double
     * arrays fill the other positions in order. Lets stored state move between precisions.
     */
    default int[] floatSlots() {
        return new int[0];
    }

    /**
     * Makes state (arrays shaped like {@link #stateArrays()}, modified by later steps) this
     * estimator's live state, so one estimator and its scratch buffers serve many streams.
     */
    void bind(double[][] state);

    /** As {@link #bind(double[][])} with the float arrays shaped like {@link #floatStateArrays()}. */
    default void bind(double[][] state, float[][] floatState) {
        if (floatState.length != 0) {
            throw new IllegalArgumentException(name() + " keeps no float state");
        }
        bind(state);
    }

    /** A zero state (G = 0) of this estimator's shape, for {@link #bind}. */
    default double[][] newState() {
        double[][] current = stateArrays();
        double[][] fresh = new double[current.length][];
        for (int i = 0; i < current.length; i++) {
            fresh[i] = new double[current[i].length];
        }
        return fresh;
    }

    /** The float arrays of a zero state, for {@link #bind(double[][], float[][])}. */
    default float[][] newFloatState() {
        float[][] current = floatStateArrays();
        float[][] fresh = new float[current.length][];
        for (int i = 0; i < current.length; i++) {
            fresh[i] = new float[current[i].length];
        }
        return fresh;
    }
}
