package org.okrtrl.core.train;

/**
 * One model learned from many streams (ALGORITHMS.md section 11). The learner holds the
 * {@link SharedModel} and the scratch work of one step; each stream's own state is a
 * {@link StreamState} passed in with every event. An event of stream s runs the cell with the
 * current shared parameters, scores the previous prediction, adds s's gradient contribution to
 * the shared accumulator and advances s's learning state.
 *
 * <p>Learning is prequential as in {@link SequenceLearner}. A stream whose numbers turn
 * non-finite has its contribution dropped and reports {@link StreamState#healthy()} false; it
 * should then be {@link #resetStream reset}.
 */
public interface SharedLearner {
    /** The shared parameters, optimiser and accumulator. */
    SharedModel shared();

    /** Short name of the learning rule, e.g. "ok:8" or "tbptt:20". */
    String name();

    /** A new stream at the start of a sequence; its random signs come from seed. */
    StreamState newStream(long seed);

    /**
     * Observes the next symbol of stream s (modified). Returns the loss in nats of s's previous
     * prediction for it, or NaN at the start of a sequence.
     */
    double observeSymbol(StreamState s, int symbol);

    /** Consumes an input symbol, predicts, and learns from this step's target symbol. */
    double observe(StreamState s, int inputSymbol, int targetSymbol);

    /** Observes a real-valued step and its target; returns 0.5 ||prediction - y||^2. */
    double observe(StreamState s, double[] x, double[] y);

    /**
     * Scores s's previous forecast against observed, learns, consumes x and forecasts the next
     * step ({@link SequenceLearner#observeAndForecast}); NaN at the start of a sequence.
     */
    double observeAndForecast(StreamState s, double[] observed, double[] x);

    /**
     * Scoring without learning: what {@link #observeSymbol} returns and predicts, with the model
     * and s's learning state left alone (only s's hidden state and prediction move).
     */
    double scoreSymbol(StreamState s, int symbol);

    /** As {@link #observe(StreamState, double[], double[])} without learning. */
    double score(StreamState s, double[] x, double[] y);

    /** As {@link #observeAndForecast} without learning. */
    double scoreAndForecast(StreamState s, double[] observed, double[] x);

    /** Starts a new sequence on s: hidden state and learning state go to zero. */
    void resetSequence(StreamState s);

    /** Starts a new sequence on s and marks it healthy again (after a non-finite step). */
    default void resetStream(StreamState s) {
        resetSequence(s);
        s.healthy = true;
    }
}
