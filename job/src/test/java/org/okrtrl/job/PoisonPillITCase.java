package org.okrtrl.job;

import org.okrtrl.embedded.KafkaTestSupport;
import org.okrtrl.job.config.JobConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records that used to kill the job for good: a 900 KB value of random bytes, a valid record
 * with a 600 KB key, a 20 MB record (the topic's limit raised to let it in), and a sequence
 * number of 2^63 - 1 that would have blocked its key. Each becomes one bounded dead letter, the
 * good records around them are all answered, and the job is still RUNNING without a restart
 * (the MiniCluster allows none).
 */
class PoisonPillITCase {
    @RegisterExtension
    static final JobTestEnvironment ENV = JobTestEnvironment.withSlots(2);

    @Test
    void oversizedAndHostileRecordsBecomeBoundedDeadLettersAndTheJobKeepsRunning() throws Exception {
        JobTestSupport.Topics topics = JobTestSupport.Topics.fresh(ENV.broker(), 1);
        ENV.broker().createTopics(1, Map.of("max.message.bytes", Integer.toString(25 << 20)), topics.input() + "-big");
        String input = topics.input() + "-big";
        SplittableRandom random = new SplittableRandom(3);
        byte[] noise = new byte[900 * 1024];
        random.nextBytes(noise);
        byte[] hugeKey = new byte[600 * 1024];
        Arrays.fill(hugeKey, (byte) 'k');
        byte[] twentyMegabytes = new byte[20 << 20];
        Arrays.fill(twentyMegabytes, (byte) 'a');

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(good(input, "s", 0, "abc"));
        records.add(new ProducerRecord<>(input, "s".getBytes(StandardCharsets.UTF_8), noise));
        records.add(new ProducerRecord<>(input, hugeKey, "{\"seq\": 0, \"text\": \"abc\"}".getBytes(StandardCharsets.UTF_8)));
        records.add(new ProducerRecord<>(input, "s".getBytes(StandardCharsets.UTF_8), twentyMegabytes));
        records.add(good(input, "s", Long.MAX_VALUE, "abc"));
        records.add(good(input, "s", 1, "cab"));
        records.add(new ProducerRecord<>(input, "s".getBytes(StandardCharsets.UTF_8),
                "{\"seq\": 0, \"reset\": true, \"text\": \"bc\"}".getBytes(StandardCharsets.UTF_8)));
        records.add(good(input, "s", 1, "a"));
        KafkaTestSupport.produce(ENV.broker().bootstrapServers(), records, 25 << 20);
        int goodSteps = 3 + 3 + 2 + 1;

        JobConfig config = JobTestSupport.config(ENV.broker(), topics, "--input-topic", input, "--algo", "ok:1", "--cell",
                "rnn", "--hidden", "8", "--vocab", "chars:abc", "--parallelism", "1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OkrtrlJob.build(env, config, OkrtrlJob.Io.kafka(config), UnaryOperator.identity());
        JobClient job = env.executeAsync("poison pills");
        List<KafkaTestSupport.Output> letters;
        List<KafkaTestSupport.Output> predictions;
        try {
            letters = KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.deadLetters(), 4,
                    Duration.ofMinutes(2));
            predictions = KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.predictions(), goodSteps,
                    Duration.ofMinutes(2));
            Thread.sleep(2000);
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(), "the job survives every record");
        } finally {
            job.cancel().get();
        }
        assertEquals(goodSteps, predictions.size(), "every good step is answered");
        assertEquals(4, letters.size(), "one dead letter per hostile record");
        Map<Long, JsonNode> byOffset = new HashMap<>();
        for (KafkaTestSupport.Output letter : letters) {
            assertTrue(letter.value().length < 200_000, "a dead letter of " + letter.value().length + " bytes");
            byOffset.put(letter.json().get("offset").asLong(), letter.json());
        }
        assertEquals(noise.length, byOffset.get(1L).get("value_length").asInt());
        assertTrue(byOffset.get(1L).get("value_truncated").asBoolean());
        assertTrue(byOffset.get(2L).get("reason").asText().contains("--max-key-bytes"));
        assertEquals(hugeKey.length, byOffset.get(2L).get("key_length").asInt());
        assertEquals(twentyMegabytes.length, byOffset.get(3L).get("value_length").asInt());
        assertTrue(byOffset.get(4L).get("reason").asText().contains("--max-seq-jump"));
        for (KafkaTestSupport.Output p : predictions) {
            assertTrue(p.value().length < 2_000, "predictions echo nothing unbounded");
        }
    }

    private static ProducerRecord<byte[], byte[]> good(String topic, String key, long seq, String text) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                ("{\"seq\": " + seq + ", \"text\": \"" + text + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
