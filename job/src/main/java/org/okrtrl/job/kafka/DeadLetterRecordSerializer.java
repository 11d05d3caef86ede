package org.okrtrl.job.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.okrtrl.operators.DeadLetter;
import org.okrtrl.operators.JsonCodec;

/** A dead letter keeps the original key; its value carries the reason, origin and original bytes. */
public final class DeadLetterRecordSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public DeadLetterRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, d.key, JsonCodec.deadLetter(d));
    }
}
