package org.okrtrl.operators;

/**
 * A stream key's sequence bookkeeping and running metrics, kept beside its learning state:
 * the last accepted sequence number, counters, and the running average of its surprise.
 */
public class StreamCounters {
    /** The last accepted sequence number, -1 before the first record. */
    public long lastSeq = -1;
    public long records;
    public long steps;
    public long duplicates;
    public long gaps;
    /** Times the key's learning state was reset because learning went non-finite. */
    public long divergenceResets;
    public long unknownSymbols;
    /** Running average of the per-step surprise in bits (or loss), over about the last 100 steps. */
    public double runningBits = Double.NaN;
    public long scoredSteps;
    /** A real-valued stream's running statistics and last target; null for symbol streams and before the first step. */
    public org.okrtrl.core.train.SeriesState series;

    /** Adds one scored step to the running average. */
    public void score(double bits) {
        scoredSteps++;
        double weight = 1.0 / Math.min(scoredSteps, 100);
        runningBits = scoredSteps == 1 ? bits : runningBits + weight * (bits - runningBits);
    }

    /** Copies every counter of from into this. */
    public void copyCountersFrom(StreamCounters from) {
        lastSeq = from.lastSeq;
        records = from.records;
        steps = from.steps;
        duplicates = from.duplicates;
        gaps = from.gaps;
        divergenceResets = from.divergenceResets;
        unknownSymbols = from.unknownSymbols;
        runningBits = from.runningBits;
        scoredSteps = from.scoredSteps;
        series = from.series == null ? null : from.series.copy();
    }
}
