package org.okrtrl.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Streams a {@link SeriesFile.Series} to the input topic as real-valued forecasting steps: the
 * series is cut into one contiguous block per key, and the blocks are sent side by side, one
 * row of each key in turn, each row as {@code {"seq", "x", "y"}} with y the target's value at
 * that row (the job forecasts the next row's).
 */
final class SeriesProducer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SeriesFile.Series series;
    private final int keys;
    private final long maxEvents;
    private final double badRecordRate;

    SeriesProducer(SeriesFile.Series series, int keys, long maxEvents, double badRecordRate) {
        if (series.rows() < 2L * keys) {
            throw new IllegalArgumentException("--keys " + keys + ": the series has only " + series.rows()
                    + " rows, fewer than two per key");
        }
        this.series = series;
        this.keys = keys;
        this.maxEvents = maxEvents;
        this.badRecordRate = badRecordRate;
    }

    /** Key k's rows: [start(k), start(k + 1)). */
    int start(int k) {
        return (int) ((long) series.rows() * k / keys);
    }

    static String key(int k) {
        return "series-" + k;
    }

    /** Registers every key's block with score, then sends the rows; counts into the given counters. */
    void produce(Properties props, String topic, ForecastScore score, AtomicLong records, AtomicLong bad,
            AtomicLong events) {
        for (int k = 0; k < keys; k++) {
            int from = start(k);
            int to = start(k + 1);
            score.addKey(key(k), Arrays.copyOfRange(series.seq(), from, to), Arrays.copyOfRange(series.y(), from, to));
        }
        SplittableRandom rng = new SplittableRandom(7);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            int longest = 0;
            for (int k = 0; k < keys; k++) {
                longest = Math.max(longest, start(k + 1) - start(k));
            }
            for (int i = 0; i < longest; i++) {
                for (int k = 0; k < keys; k++) {
                    int row = start(k) + i;
                    if (row >= start(k + 1) || (maxEvents > 0 && events.get() >= maxEvents)) {
                        continue;
                    }
                    byte[] key = key(k).getBytes(StandardCharsets.UTF_8);
                    if (rng.nextDouble() < badRecordRate) {
                        // A malformed record now and then shows the dead-letter path at work.
                        producer.send(new ProducerRecord<>(topic, key,
                                ("{\"seq\": " + series.seq()[row] + ", \"x\": [").getBytes(StandardCharsets.UTF_8)));
                        bad.incrementAndGet();
                    }
                    ObjectNode value = JSON.createObjectNode();
                    value.put("seq", series.seq()[row]);
                    ArrayNode x = value.putArray("x");
                    for (double v : series.x()[row]) {
                        x.add(v);
                    }
                    value.putArray("y").add(series.y()[row]);
                    producer.send(new ProducerRecord<>(topic, key, JSON.writeValueAsBytes(value)));
                    records.incrementAndGet();
                    events.incrementAndGet();
                }
            }
            producer.flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
