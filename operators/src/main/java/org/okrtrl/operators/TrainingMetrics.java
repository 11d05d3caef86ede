package org.okrtrl.operators;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics every training operator reports, in the group {@value #GROUP} of its operator's
 * metric group, so they sit apart from Flink's own.
 */
final class TrainingMetrics {
    /** The metric group all of the job's own metrics are registered under. */
    static final String GROUP = "okrtrl";

    final Counter records;
    final Counter events;
    final Counter duplicates;
    final Counter gaps;
    final Counter modelResets;
    final Counter unknownSymbols;
    final Counter deadLetters;
    final Histogram stepNanos;
    /**
     * Symbol jobs: the surprise in millibits of this subtask's last 1,000 scored steps, whichever
     * keys they came from; null for real-valued jobs.
     */
    final Histogram bitsPerCharacter;
    /**
     * Real-valued jobs: the squared error (in y's units, times 10^6) of this subtask's last 1,000
     * scored steps; its mean is the recent mean squared error. Null for symbol jobs.
     */
    final Histogram squaredError;
    /** One key's state in bytes (every key's state has the same shape). */
    long stateBytes;

    /**
     * Registers the metrics under the {@value #GROUP} group of operatorGroup: bits per character
     * for a symbol job, squared error for a real-valued one.
     */
    static TrainingMetrics register(MetricGroup operatorGroup, boolean symbols) {
        return new TrainingMetrics(operatorGroup.addGroup(GROUP), symbols);
    }

    private TrainingMetrics(MetricGroup metrics, boolean symbols) {
        records = metrics.counter("records");
        events = metrics.counter("events");
        duplicates = metrics.counter("duplicates");
        gaps = metrics.counter("gaps");
        modelResets = metrics.counter("modelResets");
        unknownSymbols = metrics.counter("unknownSymbols");
        deadLetters = metrics.counter("deadLetters");
        stepNanos = metrics.histogram("stepTimeNanos", new DescriptiveStatisticsHistogram(1000));
        // Histograms hold longs: millibits, and squared errors in millionths.
        bitsPerCharacter = symbols
                ? metrics.histogram("milliBitsPerCharacter", new DescriptiveStatisticsHistogram(1000)) : null;
        squaredError = symbols
                ? null : metrics.histogram("microSquaredError", new DescriptiveStatisticsHistogram(1000));
        metrics.gauge("stateBytes", () -> stateBytes);
    }

    /** Records the surprise or squared error of one step's prediction (NaN: not scored). */
    void scored(Prediction p) {
        if (bitsPerCharacter != null && Double.isFinite(p.surpriseBits)) {
            bitsPerCharacter.update(Math.round(p.surpriseBits * 1000));
        }
        if (squaredError != null && Double.isFinite(p.squaredError)) {
            squaredError.update(Math.round(Math.min(p.squaredError * 1e6, 9e18)));
        }
    }

    /**
     * Applies the per-key rules to a record and counts the outcome: a duplicate is counted, a
     * rejected record is counted and handed to deadLetters, an admitted one counts its record,
     * gaps and unknown symbols. Returns the rules' action; the caller learns only from CONTINUE
     * and NEW_SEQUENCE.
     */
    RecordRules.Action admit(RecordRules rules, TrainingConfig config, StreamCounters key, StepBatch batch,
            java.util.function.Consumer<DeadLetter> deadLetterOut) {
        long gapsBefore = key.gaps;
        RecordRules.Action action = rules.admit(key, batch);
        switch (action) {
            case DROP_DUPLICATE -> duplicates.inc();
            case REJECT_SEQ_JUMP -> {
                deadLetters.inc();
                deadLetterOut.accept(config.deadLetter(batch, rules.seqJumpReason(key, batch)));
            }
            default -> {
                gaps.inc(key.gaps - gapsBefore);
                records.inc();
                unknownSymbols.inc(batch.unknown);
            }
        }
        return action;
    }
}
