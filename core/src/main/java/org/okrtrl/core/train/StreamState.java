package org.okrtrl.core.train;

import org.okrtrl.core.cell.StepTrace;

/**
 * What one stream owns when many streams share a model (ALGORITHMS.md section 11): its hidden
 * state and current prediction, its learning rule's state (the influence estimate, or the
 * truncation window), its random stream and whether it is still finite. Plain arrays only, so
 * a keyed state backend can hold millions of them; the scratch work of a step lives in the
 * {@link SharedLearner}.
 */
public final class StreamState {
    final double[] hidden;
    final double[] prediction;
    /** The learning rule's arrays: the estimator's state, or the window's per-step records. */
    final double[][] ruleArrays;
    /** The estimator's arrays held in float (r-OK's factors in float), else empty. */
    final float[][] ruleFloatArrays;
    /** Where each float array sits among the rule's arrays in their canonical order. */
    private final int[] floatSlots;
    /** The window's steps as traces over {@link #ruleArrays} (truncated BPTT only, else null). */
    final StepTrace[] window;
    /** The window's dL/dh_t per step (truncated BPTT only, else null). */
    final double[][] direct;
    boolean predicted;
    boolean healthy = true;
    long random;
    int filled;

    StreamState(int hiddenSize, int outputSize, double[][] ruleArrays, StepTrace[] window, double[][] direct,
            long random) {
        this(hiddenSize, outputSize, ruleArrays, new float[0][], new int[0], window, direct, random);
    }

    StreamState(int hiddenSize, int outputSize, double[][] ruleArrays, float[][] ruleFloatArrays, int[] floatSlots,
            StepTrace[] window, double[][] direct, long random) {
        this.hidden = new double[hiddenSize];
        this.prediction = new double[outputSize];
        this.ruleArrays = ruleArrays;
        this.ruleFloatArrays = ruleFloatArrays;
        this.floatSlots = floatSlots.clone();
        this.window = window;
        this.direct = direct;
        this.random = random;
    }

    /** h_t (a view). */
    public double[] hidden() {
        return hidden;
    }

    /** The current prediction: next-symbol probabilities or real outputs (a view). */
    public double[] prediction() {
        return prediction;
    }

    /** Whether {@link #prediction()} holds a prediction made in the current sequence. */
    public boolean hasPrediction() {
        return predicted;
    }

    /** False once this stream produced a non-finite number (its contribution was dropped). */
    public boolean healthy() {
        return healthy;
    }

    /**
     * Every array of this stream in a fixed order: the rule's arrays, then the hidden state and
     * the prediction. Live views: writing into them restores a saved state.
     */
    public double[][] stateArrays() {
        double[][] all = new double[ruleArrays.length + 2][];
        System.arraycopy(ruleArrays, 0, all, 0, ruleArrays.length);
        all[ruleArrays.length] = hidden;
        all[ruleArrays.length + 1] = prediction;
        return all;
    }

    /**
     * The rule's arrays held in float (live views), empty unless the estimator keeps its factors
     * in float. They belong among {@link #stateArrays()} at {@link #floatSlots()}.
     */
    public float[][] floatStateArrays() {
        return ruleFloatArrays;
    }

    /**
     * Positions of {@link #floatStateArrays()} in the canonical order of all this stream's arrays
     * (the order a stream of the same estimator in double has them in; see
     * {@code InfluenceEstimator.floatSlots()}).
     */
    public int[] floatSlots() {
        return floatSlots.clone();
    }

    /** {predicted, healthy, random stream, window fill}. */
    public long[] scalarState() {
        return new long[] {predicted ? 1 : 0, healthy ? 1 : 0, random, filled};
    }

    /** Restores what {@link #scalarState()} returned. */
    public void restoreScalarState(long[] scalars) {
        predicted = scalars[0] != 0;
        healthy = scalars[1] != 0;
        random = scalars[2];
        filled = (int) scalars[3];
    }

    /** Bytes of this stream's arrays (what a state backend stores). */
    public long arrayBytes() {
        long bytes = 0;
        for (double[] a : stateArrays()) {
            bytes += (long) Double.BYTES * a.length;
        }
        for (float[] a : ruleFloatArrays) {
            bytes += (long) Float.BYTES * a.length;
        }
        return bytes;
    }
}
