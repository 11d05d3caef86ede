package org.okrtrl.core.train;

/**
 * A model that learns while it predicts, one step at a time.
 *
 * <p>Symbol streams are prequential (predict, score, learn): {@link #observeSymbol} scores the
 * prediction made after the previous step against the symbol just observed, learns from that
 * loss, then consumes the symbol and predicts the next one. Real-valued steps
 * ({@link #observe}) consume x_t, predict y_t, score and learn.
 */
public interface SequenceLearner {
    /**
     * Observes the next symbol. Returns the loss in nats of the previous prediction for it,
     * or NaN at the start of a sequence (nothing was predicted yet).
     */
    double observeSymbol(int symbol);

    /**
     * Consumes an input symbol, predicts, and learns from the target symbol of this same step
     * (tasks whose input and output channels differ, such as the copy task). Returns the loss
     * in nats.
     */
    double observe(int inputSymbol, int targetSymbol);

    /** Observes a real-valued step and its target; returns 0.5 ||prediction - y||^2. */
    double observe(double[] x, double[] y);

    /**
     * Forecasting, prequential like {@link #observeSymbol}: scores the forecast made at the
     * previous step against observed (the target's values at this step), learns from that loss,
     * then consumes x and forecasts the next step's target. The same arithmetic as
     * {@code observe(x_{t-1}, observed_t)}, with the learning deferred until the target is known.
     * Returns 0.5 ||forecast - observed||^2, or NaN at the start of a sequence.
     */
    double observeAndForecast(double[] observed, double[] x);

    /** Scoring without learning: {@link #observeSymbol}'s loss and prediction, the model and learning state untouched. */
    double scoreSymbol(int symbol);

    /** As {@link #observe(double[], double[])} without learning. */
    double score(double[] x, double[] y);

    /** As {@link #observeAndForecast} without learning. */
    double scoreAndForecast(double[] observed, double[] x);

    /** Starts a new sequence: hidden state and influence go to zero; the model stays. */
    void resetSequence();

    /** The current prediction: next-symbol probabilities or real outputs (a view). */
    double[] prediction();

    /** Whether {@link #prediction()} holds a prediction made in the current sequence. */
    boolean hasPrediction();

    /** The model being trained (its parameters are live). */
    Model model();

    /** Number of parameter updates applied so far. */
    long updates();

    /** Short name of the learning rule, e.g. "ok:8" or "tbptt:20". */
    String name();

    /**
     * Whether every number the learner produced so far is finite. Once false, the learner has
     * refused to apply a non-finite update and should be replaced by a fresh one.
     */
    boolean healthy();

    /**
     * Every array of the learner's state in a fixed order: the model, the optimiser, the
     * influence or window state, the hidden state and pending gradients. Live views, valid until
     * the next step; writing into them restores a saved state.
     */
    double[][] stateArrays();

    /**
     * The learner's arrays held in float (r-OK's factors in float), live views like
     * {@link #stateArrays()}; empty when everything is double.
     */
    default float[][] floatStateArrays() {
        return new float[0][];
    }

    /**
     * Where each of {@link #floatStateArrays()} sits in the canonical order of all the learner's
     * arrays (the order the same learner in double keeps them in); {@link #stateArrays()} fills
     * the other positions in order.
     */
    default int[] floatSlots() {
        return new int[0];
    }

    /** The learner's scalar state (flags, counters, random stream) in a fixed order. */
    long[] scalarState();

    /** Restores what {@link #scalarState()} returned. */
    void restoreScalarState(long[] scalars);
}
