package org.okrtrl.operators;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** The metrics every training operator reports, registered on its metric group. */
final class TrainingMetrics {
    final Counter records;
    final Counter events;
    final Counter duplicates;
    final Counter gaps;
    final Counter modelResets;
    final Counter unknownSymbols;
    final Counter deadLetters;
    final Histogram stepNanos;
    /** The running bits per character of the key that stepped last. */
    double runningBits = Double.NaN;
    /** One key's state in bytes (every key's state has the same shape). */
    long stateBytes;

    TrainingMetrics(MetricGroup metrics) {
        records = metrics.counter("records");
        events = metrics.counter("events");
        duplicates = metrics.counter("duplicates");
        gaps = metrics.counter("gaps");
        modelResets = metrics.counter("modelResets");
        unknownSymbols = metrics.counter("unknownSymbols");
        deadLetters = metrics.counter("deadLetters");
        stepNanos = metrics.histogram("stepTimeNanos", new DescriptiveStatisticsHistogram(1000));
        metrics.gauge("runningBitsPerCharacter", () -> runningBits);
        metrics.gauge("stateBytes", () -> stateBytes);
    }

    /** Counts an admitted record: its gaps (counted by the rules since gapsBefore) and unknown symbols. */
    void admitted(StreamCounters key, long gapsBefore, StepBatch batch) {
        gaps.inc(key.gaps - gapsBefore);
        records.inc();
        unknownSymbols.inc(batch.unknown);
    }
}
