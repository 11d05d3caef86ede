package org.okrtrl.job.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.okrtrl.operators.JsonCodec;
import org.okrtrl.operators.Prediction;

/** One JSON prediction per step, keyed by the stream id so a key's predictions stay in order. */
public final class PredictionRecordSerializer implements KafkaRecordSerializationSchema<Prediction> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public PredictionRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Prediction p, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, JsonCodec.utf8(p.key), JsonCodec.prediction(p));
    }
}
