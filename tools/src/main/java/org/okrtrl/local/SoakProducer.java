package org.okrtrl.local;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The soak's input: {@code --keys} streams of random text at a steady rate, with the requested
 * numbers of hostile records spread over the run, on the input topic and on the model topic.
 * Exactly that many of each are acknowledged by the broker: a hostile record is counted when it
 * is sent and given back when its send fails, so records in flight never push a count past the
 * number asked for.
 */
final class SoakProducer {
    private final Soak.Options o;
    private final String bootstrap;
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicLong goodSteps = new AtomicLong();
    private final AtomicLong eventsIn = new AtomicLong();
    private final AtomicLong hostileSent = new AtomicLong();
    private final AtomicLong hostileIn = new AtomicLong();
    private final AtomicLong hostileModelSent = new AtomicLong();
    private final AtomicLong hostileModelIn = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();

    SoakProducer(Soak.Options o, String bootstrap) {
        this.o = o;
        this.bootstrap = bootstrap;
    }

    void stop() {
        producing.set(false);
    }

    /** Steps (characters) of good records the broker acknowledged. */
    long goodSteps() {
        return goodSteps.get();
    }

    long eventsIn() {
        return eventsIn.get();
    }

    /** Hostile records on the input topic the broker acknowledged. */
    long hostileIn() {
        return hostileIn.get();
    }

    /** Hostile records on the model topic the broker acknowledged. */
    long hostileModelIn() {
        return hostileModelIn.get();
    }

    long sendFailures() {
        return sendFailures.get();
    }

    void run() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(600_000));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        SplittableRandom random = new SplittableRandom(11);
        long[] seq = new long[o.keys()];
        double recordsPerSecond = (double) o.eventsPerSecond() / o.charsPerRecord();
        long hostileEvery = spacing(recordsPerSecond, o.hostileRecords());
        long hostileModelEvery = spacing(recordsPerSecond, o.hostileModelRecords());
        long start = System.nanoTime();
        long records = 0;
        int key = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (producing.get()) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * recordsPerSecond);
                while (records < due && producing.get()) {
                    byte[] k = ("key-" + key).getBytes(StandardCharsets.UTF_8);
                    if (hostileEvery > 0 && records % hostileEvery == hostileEvery - 1) {
                        sendCounted(producer, "soak-in", k, hostile(random), hostileSent, hostileIn, o.hostileRecords());
                    }
                    if (hostileModelEvery > 0 && records % hostileModelEvery == hostileModelEvery / 2) {
                        // Garbage on the model topic: every replica must reject it, none may apply it.
                        sendCounted(producer, "soak-model", k, hostile(random), hostileModelSent, hostileModelIn,
                                o.hostileModelRecords());
                    }
                    StringBuilder text = new StringBuilder();
                    for (int c = 0; c < o.charsPerRecord(); c++) {
                        text.append((char) ('a' + random.nextInt(26)));
                    }
                    byte[] value = ("{\"seq\": " + seq[key]++ + ", \"text\": \"" + text + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>("soak-in", k, value), (md, e) -> {
                        if (e == null) {
                            goodSteps.addAndGet(o.charsPerRecord());
                            eventsIn.addAndGet(o.charsPerRecord());
                        } else {
                            sendFailures.incrementAndGet();
                        }
                    });
                    records++;
                    key = key + 1 == o.keys() ? 0 : key + 1;
                }
                Thread.sleep(20);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records between two hostile ones so that `count` of them spread over the run (0: none). */
    private long spacing(double recordsPerSecond, int count) {
        return count > 0 ? Math.max(1, (long) (recordsPerSecond * o.length().toSeconds() / (count + 1))) : 0;
    }

    /** Sends value unless `limit` are already sent or acknowledged; a failed send frees its place. */
    private void sendCounted(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value,
            AtomicLong sent, AtomicLong acknowledged, int limit) {
        if (sent.get() >= limit) {
            return;
        }
        sent.incrementAndGet();
        producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
            if (e == null) {
                acknowledged.incrementAndGet();
            } else {
                sent.decrementAndGet();
                sendFailures.incrementAndGet();
            }
        });
    }

    private static byte[] hostile(SplittableRandom random) {
        switch (random.nextInt(3)) {
            case 0 -> {
                byte[] noise = new byte[1 + random.nextInt(4000)];
                random.nextBytes(noise);
                return noise;
            }
            case 1 -> {
                return "{\"seq\": 1, \"text\": ".getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                return "{\"seq\": \"seven\", \"text\": \"abc\"}".getBytes(StandardCharsets.UTF_8);
            }
        }
    }
}
