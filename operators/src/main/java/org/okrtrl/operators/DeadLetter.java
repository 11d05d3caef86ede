package org.okrtrl.operators;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A record that could not be used: its origin, the reason, and a bounded copy of its key and
 * value (at most a prefix of each, with the full length and a SHA-256 of the whole), so a dead
 * letter always fits the producer's request size, whatever arrived.
 */
public class DeadLetter {
    /** The longest reason kept (messages may quote input). */
    static final int MAX_REASON_CHARS = 1024;

    public byte[] key;
    public byte[] value;
    /** Full lengths of the original key and value (-1: absent). */
    public int keyLength = -1;
    public int valueLength = -1;
    /** SHA-256 of the full original key and value, hex (null: absent). */
    public String keySha256;
    public String valueSha256;
    public String topic;
    public int partition;
    public long offset;
    public String reason;

    public DeadLetter() {}

    /** A dead letter keeping at most maxBytes of the record's key and of its value. */
    public DeadLetter(RawRecord record, String reason, int maxBytes) {
        this(record.key, record.value, record.topic, record.partition, record.offset, reason, maxBytes);
    }

    public DeadLetter(byte[] key, byte[] value, String topic, int partition, long offset, String reason,
            int maxBytes) {
        if (key != null) {
            this.key = key.length > maxBytes ? Arrays.copyOf(key, maxBytes) : key;
            this.keyLength = key.length;
            this.keySha256 = sha256(key);
        }
        if (value != null) {
            this.value = value.length > maxBytes ? Arrays.copyOf(value, maxBytes) : value;
            this.valueLength = value.length;
            this.valueSha256 = sha256(value);
        }
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.reason = reason == null || reason.length() <= MAX_REASON_CHARS ? reason
                : reason.substring(0, MAX_REASON_CHARS) + "...";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
