package org.okrtrl.operators;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * The per-record rules of both model modes, in one place: admit the record (duplicates,
 * gaps, sequence jumps, resets: {@link RecordRules}), start a new sequence when the rules say
 * so, then for every step of the record learn, heal a key whose numbers went non-finite, and
 * emit the step's {@link Prediction}. What differs between a model per key and one model for
 * all keys is only where the learner lives, given by a {@link KeyLearning}.
 *
 * @param <K> the key's state
 */
final class RecordTraining<K extends StreamCounters> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where a key's learning happens: its own learner, or its stream of the shared model. */
    interface KeyLearning<K> {
        /** Starts a new sequence: hidden state and learning state to zero. */
        void resetSequence(K key);

        /** Observes the next symbol; the loss in nats of the previous prediction (NaN at a start). */
        double observeSymbol(K key, int symbol);

        /** Observes a real-valued step and its target; half the squared error. */
        double observe(K key, double[] x, double[] y);

        /** Scores the key's previous forecast against observed, learns, consumes x and forecasts. */
        double observeAndForecast(K key, double[] observed, double[] x);

        /** As {@link #observeSymbol} without learning (a fixed model). */
        double scoreSymbol(K key, int symbol);

        /** As {@link #observe} without learning. */
        double score(K key, double[] x, double[] y);

        /** As {@link #observeAndForecast} without learning. */
        double scoreAndForecast(K key, double[] observed, double[] x);

        /** Whether the key's numbers are still finite. */
        boolean healthy(K key);

        /** Starts the key's learning afresh after a non-finite step (counted on the key). */
        void heal(K key);

        /** The key's current prediction (probabilities or outputs). */
        double[] prediction(K key);

        /** Optimiser steps of the model the key learns into. */
        long modelSteps(K key);
    }

    private final TrainingConfig config;
    private final RecordRules rules;
    private final Predictions predictions;
    private final RealSteps realSteps;

    RecordTraining(TrainingConfig config) {
        this.config = config;
        this.rules = config.rules();
        this.predictions = new Predictions(config);
        this.realSteps = new RealSteps(config.real(), config.learn());
    }

    /**
     * Trains key on batch: dead letters go to deadLetters, one prediction per step to out.
     * The caller stores the key afterwards whatever happened (its counters changed).
     */
    void process(K key, StepBatch batch, KeyLearning<K> learning, TrainingMetrics metrics,
            Consumer<DeadLetter> deadLetters, Consumer<Prediction> out) {
        RecordRules.Action action = metrics.admit(rules, config, key, batch, deadLetters);
        if (action == RecordRules.Action.DROP_DUPLICATE || action == RecordRules.Action.REJECT_SEQ_JUMP) {
            return;
        }
        if (action == RecordRules.Action.NEW_SEQUENCE) {
            learning.resetSequence(key);
        }
        int count = batch.steps();
        for (int position = 0; position < count; position++) {
            long start = System.nanoTime();
            Prediction p = step(key, batch, position, learning, metrics);
            metrics.stepNanos.update(System.nanoTime() - start);
            metrics.scored(p);
            out.accept(p);
        }
        key.steps += count;
        metrics.events.inc(count);
    }

    private Prediction step(K key, StepBatch batch, int position, KeyLearning<K> learning, TrainingMetrics metrics) {
        if (batch.symbols != null) {
            int symbol = batch.symbols[position];
            double loss = config.learn() ? learning.observeSymbol(key, symbol) : learning.scoreSymbol(key, symbol);
            boolean reset = !learning.healthy(key);
            if (reset) {
                learning.heal(key);
                metrics.modelResets.inc();
                loss = Double.NaN;
                // The fresh state still sees this symbol, so the next one is scored.
                if (config.learn()) {
                    learning.observeSymbol(key, symbol);
                } else {
                    learning.scoreSymbol(key, symbol);
                }
            }
            return predictions.symbolStep(batch, position, loss, learning.prediction(key), key,
                    learning.modelSteps(key), reset);
        }
        double[] output = new double[batch.y.length];
        double squaredError = realSteps.step(key, batch.x, batch.y, learning, output);
        // An infinite error (a finite value whose square overflows) ends the key's learning as a
        // non-finite number would; NaN only means that nothing was scored.
        boolean reset = !learning.healthy(key) || !allFinite(output) || Double.isInfinite(squaredError);
        if (reset) {
            learning.heal(key);
            metrics.modelResets.inc();
            squaredError = Double.NaN;
            java.util.Arrays.fill(output, Double.NaN);
            if (key.series != null && !key.series.allFinite()) {
                // A value so large that its square overflowed: the running statistics start afresh too.
                key.series = null;
            }
        }
        return predictions.realStep(batch, squaredError, output, key, learning.modelSteps(key), reset);
    }

    private static boolean allFinite(double[] values) {
        if (values == null) {
            return true;
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
