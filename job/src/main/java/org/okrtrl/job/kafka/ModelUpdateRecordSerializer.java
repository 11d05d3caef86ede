package org.okrtrl.job.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Encoded model updates to the model topic, keyed by their origin (the 8 bytes of the origin
 * field as the codec writes it), so one origin's updates stay in one partition and in order.
 */
public final class ModelUpdateRecordSerializer implements KafkaRecordSerializationSchema<byte[]> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public ModelUpdateRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(byte[] update, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, originKey(update), update);
    }

    /** The origin field of an encoded update: after magic (4), version (1) and the UTF fingerprint. */
    static byte[] originKey(byte[] update) {
        int fingerprintLength = ((update[5] & 0xff) << 8) | (update[6] & 0xff);
        int at = 7 + fingerprintLength;
        return java.util.Arrays.copyOfRange(update, at, at + 8);
    }
}
