package org.okrtrl.operators;

/**
 * One validated input record: the steps of one stream key with its sequence number. Symbol
 * steps fill {@code symbols}; a real-valued step fills {@code x} and {@code y}.
 */
public class StepBatch {
    public String key;
    public long seq;
    /**
     * Whether seq numbers the key's records consecutively, so a jump is a gap (false when seq
     * is the Kafka offset, which other keys' records also advance).
     */
    public boolean consecutive = true;
    public boolean reset;
    /** Symbol indices, one per step (null for a real-valued step). */
    public int[] symbols;
    /** Symbols that fell outside the vocabulary and became the unknown symbol. */
    public int unknown;
    public double[] x;
    public double[] y;
    public String topic;
    public int partition;
    public long offset;

    public StepBatch() {}

    public int steps() {
        return symbols != null ? symbols.length : 1;
    }
}
