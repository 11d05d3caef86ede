package org.okrtrl.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producing input and reading committed output in the integration tests. */
public final class KafkaTestSupport {
    public static final ObjectMapper JSON = new ObjectMapper();

    private KafkaTestSupport() {}

    /** A Kafka record as read back: key, raw value, and the value parsed as JSON. */
    public record Output(String key, byte[] value, JsonNode json, int partition, long offset) {}

    public static void produce(String bootstrap, String topic, List<ProducerRecord<byte[], byte[]>> records) {
        produce(bootstrap, records, 1 << 20);
    }

    /** Produces the records with a producer that sends requests of up to maxRequestBytes. */
    public static void produce(String bootstrap, List<ProducerRecord<byte[], byte[]>> records, int maxRequestBytes) {
        Properties props = new Properties();
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequestBytes));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r);
            }
            producer.flush();
        }
    }

    public static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads committed records from the start of the topic until {@code expected} arrived (then
     * lingers briefly to catch extras) or the timeout passes.
     */
    public static List<Output> readCommitted(String bootstrap, String topic, int expected, Duration timeout) {
        return read(bootstrap, topic, expected, timeout, "read_committed");
    }

    /** As {@link #readCommitted}, but also records of transactions not (yet) committed. */
    public static List<Output> readUncommitted(String bootstrap, String topic, int expected, Duration timeout) {
        return read(bootstrap, topic, expected, timeout, "read_uncommitted");
    }

    private static List<Output> read(String bootstrap, String topic, int expected, Duration timeout, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Output> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long lingerUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, lingerUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new Output(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.value(),
                            parse(r.value()), r.partition(), r.offset()));
                }
                if (out.size() >= expected && lingerUntil == Long.MAX_VALUE) {
                    lingerUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return out;
    }

    public static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            return null;
        }
    }

    public static String json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
