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
    /** The surprise in bits of this subtask's last 1,000 scored steps, whichever keys they came from. */
    final Histogram bitsPerCharacter;
    /** One key's state in bytes (every key's state has the same shape). */
    long stateBytes;

    /** Registers the metrics under the {@value #GROUP} group of operatorGroup. */
    static TrainingMetrics register(MetricGroup operatorGroup) {
        return new TrainingMetrics(operatorGroup.addGroup(GROUP));
    }

    private TrainingMetrics(MetricGroup metrics) {
        records = metrics.counter("records");
        events = metrics.counter("events");
        duplicates = metrics.counter("duplicates");
        gaps = metrics.counter("gaps");
        modelResets = metrics.counter("modelResets");
        unknownSymbols = metrics.counter("unknownSymbols");
        deadLetters = metrics.counter("deadLetters");
        stepNanos = metrics.histogram("stepTimeNanos", new DescriptiveStatisticsHistogram(1000));
        // Histograms hold longs: millibits.
        bitsPerCharacter = metrics.histogram("milliBitsPerCharacter", new DescriptiveStatisticsHistogram(1000));
        metrics.gauge("stateBytes", () -> stateBytes);
    }

    /** Records the surprise of one scored step (NaN: not scored). */
    void scored(double bits) {
        if (Double.isFinite(bits)) {
            bitsPerCharacter.update(Math.round(bits * 1000));
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
