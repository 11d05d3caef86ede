package org.okrtrl.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Streams text to the input topic as {@code {"seq", "text"}} records: one {@link Corpus} per key
 * (a share of a text file, or generated text), the keys in turn, {@code charsPerRecord} characters
 * per record, and now and then a malformed record that shows the dead-letter path at work.
 */
final class TextProducer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path corpus;
    private final int keys;
    private final long maxEvents;
    private final int charsPerRecord;
    private final double badRecordRate;

    /** corpus null: generated text; maxEvents 0 or less: until the text ends. */
    TextProducer(Path corpus, int keys, long maxEvents, int charsPerRecord, double badRecordRate) {
        this.corpus = corpus;
        this.keys = keys;
        this.maxEvents = maxEvents;
        this.charsPerRecord = charsPerRecord;
        this.badRecordRate = badRecordRate;
    }

    /** Sends everything, counting good records, malformed ones and characters (modified) as they go. */
    void produce(Properties props, String topic, AtomicLong records, AtomicLong bad, AtomicLong events)
            throws IOException {
        List<Corpus> corpora = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            corpora.add(corpus != null ? Corpus.fromFile(corpus, k, keys) : Corpus.generated(1000 + k));
        }
        SplittableRandom malformed = new SplittableRandom(7);
        long[] seq = new long[keys];
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            boolean any = true;
            while (any && (maxEvents <= 0 || events.get() < maxEvents)) {
                any = false;
                for (int k = 0; k < keys; k++) {
                    long left = maxEvents <= 0 ? Long.MAX_VALUE : maxEvents - events.get();
                    if (left <= 0) {
                        break;
                    }
                    String chunk = corpora.get(k).next((int) Math.min(charsPerRecord, left));
                    if (chunk == null) {
                        continue;
                    }
                    any = true;
                    byte[] key = ("stream-" + k).getBytes(StandardCharsets.UTF_8);
                    if (malformed.nextDouble() < badRecordRate) {
                        producer.send(new ProducerRecord<>(topic, key,
                                ("{\"seq\": " + seq[k] + ", \"text\": ").getBytes(StandardCharsets.UTF_8)));
                        bad.incrementAndGet();
                    }
                    ObjectNode value = JSON.createObjectNode();
                    value.put("seq", seq[k]++);
                    value.put("text", chunk);
                    producer.send(new ProducerRecord<>(topic, key, JSON.writeValueAsBytes(value)));
                    records.incrementAndGet();
                    events.addAndGet(chunk.codePointCount(0, chunk.length()));
                }
            }
            producer.flush();
        }
    }
}
