package org.okrtrl.job.kafka;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.okrtrl.job.config.JobConfig;
import org.okrtrl.operators.DeadLetter;
import org.okrtrl.operators.Prediction;
import org.okrtrl.operators.RawRecord;

/** The Kafka source and sinks the flags describe. */
public final class KafkaIo {
    private KafkaIo() {}

    /** The user's --kafka-property settings, given to every Kafka client of the job. */
    public static java.util.Properties clientProperties(JobConfig config) {
        java.util.Properties p = new java.util.Properties();
        p.putAll(config.kafkaProperties);
        return p;
    }

    /**
     * The job's consumers: a fetch response is read into one buffer, and the JDK copies it through a
     * temporary direct buffer of the same size, which the reading thread keeps. Kafka's default of
     * up to 50 MB per response (and the 64 MB the model topic once asked for, so that large updates
     * fit) let a restore's catch-up reads take the TaskManager's whole direct memory; a record
     * batch larger than these limits is still returned whole, so nothing stops being readable.
     * --kafka-property overrides both.
     */
    static java.util.Properties consumerProperties(JobConfig config) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("max.partition.fetch.bytes", Integer.toString(1 << 20));
        p.setProperty("fetch.max.bytes", Integer.toString(8 << 20));
        p.putAll(clientProperties(config));
        return p;
    }

    public static KafkaSource<RawRecord> source(JobConfig config) {
        OffsetsInitializer offsets = switch (config.startingOffsets) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setTopics(config.inputTopic)
                .setGroupId(config.groupId)
                .setStartingOffsets(offsets)
                .setDeserializer(new RawRecordDeserializer())
                .setProperties(consumerProperties(config))
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    /**
     * One prediction per event is many small records: larger batches (commits happen at
     * checkpoints anyway, so waiting a few milliseconds costs no latency) cut the requests the
     * broker handles per event. --kafka-property overrides both.
     */
    static java.util.Properties predictionProducerProperties(JobConfig config) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("batch.size", Integer.toString(256 << 10));
        // Without transactions a prediction is visible once sent: linger only as long as it costs nothing.
        p.setProperty("linger.ms", config.predictionsDelivery() == DeliveryGuarantee.EXACTLY_ONCE ? "20" : "1");
        p.putAll(clientProperties(config));
        return p;
    }

    public static RecoveryAwareKafkaSink<Prediction> predictionSink(JobConfig config) {
        return recoveryAware(config, KafkaSink.<Prediction>builder()
                .setKafkaProducerConfig(predictionProducerProperties(config))
                .setBootstrapServers(config.bootstrapServers)
                .setRecordSerializer(new PredictionRecordSerializer(config.predictionsTopic))
                .setDeliveryGuarantee(config.predictionsDelivery())
                .setTransactionalIdPrefix(config.transactionalIdPrefix + "-predictions")
                .setProperty("transaction.timeout.ms", Long.toString(config.transactionTimeout.toMillis()))
                .build());
    }

    public static RecoveryAwareKafkaSink<DeadLetter> deadLetterSink(JobConfig config) {
        return recoveryAware(config, KafkaSink.<DeadLetter>builder()
                .setKafkaProducerConfig(clientProperties(config))
                .setBootstrapServers(config.bootstrapServers)
                .setRecordSerializer(new DeadLetterRecordSerializer(config.deadLetterTopic))
                .setDeliveryGuarantee(config.deadLetterDelivery())
                .setTransactionalIdPrefix(config.transactionalIdPrefix + "-dead-letters")
                .setProperty("transaction.timeout.ms", Long.toString(config.transactionTimeout.toMillis()))
                .build());
    }

    /** The exactly-once sinks' committers check recovered transactions with the broker first. */
    private static <T> RecoveryAwareKafkaSink<T> recoveryAware(JobConfig config, KafkaSink<T> sink) {
        java.util.Properties admin = clientProperties(config);
        admin.setProperty("bootstrap.servers", config.bootstrapServers);
        return new RecoveryAwareKafkaSink<>(sink, admin);
    }

    /**
     * The model topic as the shared model's replicas read it (read_committed, which also skips
     * anything an older transactional writer aborted); a new job starts at the topic's end (earlier updates
     * belong to earlier runs), a restored one where its checkpoint left off.
     */
    public static KafkaSource<RawRecord> modelSource(JobConfig config) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setTopics(config.modelTopic)
                .setGroupId(config.groupId + "-model")
                .setStartingOffsets(new ModelTopicOffsets())
                .setDeserializer(new RawRecordDeserializer())
                .setProperties(consumerProperties(config))
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    /**
     * The model topic as the replicas publish to it: at least once, without transactions, so an
     * update is visible to the other replicas as soon as it is written rather than when a
     * checkpoint commits. Exactly-once learning does not rest on this sink: duplicates are
     * dropped by the replicas' ledgers, and updates a failure rolled back by their origin's
     * closing sequence number ({@code Replica}); the sink flushes at every checkpoint, so every
     * update a checkpoint covers is on the topic when the checkpoint completes. The idempotent
     * producer keeps each origin's updates in order on its partition.
     */
    public static KafkaSink<byte[]> modelSink(JobConfig config) {
        return KafkaSink.<byte[]>builder()
                .setKafkaProducerConfig(clientProperties(config))
                .setBootstrapServers(config.bootstrapServers)
                .setRecordSerializer(new ModelUpdateRecordSerializer(config.modelTopic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setProperty("enable.idempotence", "true")
                .setProperty("acks", "all")
                .setProperty("linger.ms", "0")
                .setProperty("max.request.size", Integer.toString(64 << 20))
                .build();
    }

}
