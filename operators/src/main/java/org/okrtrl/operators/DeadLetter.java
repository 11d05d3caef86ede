package org.okrtrl.operators;

/** A record that could not be used, with its original bytes, origin and the reason. */
public class DeadLetter {
    public byte[] key;
    public byte[] value;
    public String topic;
    public int partition;
    public long offset;
    public String reason;

    public DeadLetter() {}

    public DeadLetter(RawRecord record, String reason) {
        this.key = record.key;
        this.value = record.value;
        this.topic = record.topic;
        this.partition = record.partition;
        this.offset = record.offset;
        this.reason = reason;
    }
}
