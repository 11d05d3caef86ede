package org.okrtrl.job;

import org.okrtrl.embedded.KafkaTestSupport;
import org.okrtrl.job.config.JobConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.okrtrl.job.kafka.KafkaIo;

/**
 * Integration test 4: bad records of every kind land in the dead-letter topic with their reason
 * and original bytes, interleaved good records are all trained on, duplicates are dropped and
 * the job keeps running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLetterITCase {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final JobTestEnvironment ENV = JobTestEnvironment.withSlots(2, METRICS.addToConfiguration(new Configuration()));

    /** A bad value and the words its reason must contain. */
    record Bad(String key, byte[] value, String reason) {}

    @Test
    @Order(1)
    void everyBadRecordIsDeadLetteredAndNoGoodRecordIsLost() throws Exception {
        JobTestSupport.Topics topics = JobTestSupport.Topics.fresh(ENV.broker(), 1);
        List<Bad> bad = List.of(
                new Bad("k", utf8("{\"seq\": 1, \"text\": \"ab"), "invalid JSON"),
                new Bad("k", new byte[] {(byte) 0xC3, (byte) 0x28, 0x7B}, "not valid UTF-8"),
                new Bad("k", utf8("{\"text\": \"abc\"}"), "missing field 'seq'"),
                new Bad("k", utf8("{\"seq\": \"7\", \"text\": \"abc\"}"), "'seq' must be a non-negative integer"),
                new Bad("k", utf8("{\"seq\": 3, \"text\": 42}"), "'text' must be a string"),
                new Bad("k", utf8("{\"seq\": 3, \"tokens\": [\"a\", 1]}"), "'tokens' must hold only strings"),
                new Bad("k", utf8("{\"seq\": 3, \"x\": [1, 2], \"y\": [1]}"), "this job trains on symbols"),
                new Bad("k", utf8("{\"seq\": 3, \"text\": \"" + "a".repeat(600) + "\"}"), "exceeds the limit of 512"),
                new Bad("k", utf8("[1, 2, 3]"), "must be a JSON object"),
                new Bad("k", utf8("{\"seq\": 3, \"text\": \"\"}"), "has no steps"),
                new Bad("k", utf8("{\"seq\": 3, \"reset\": \"yes\", \"text\": \"ab\"}"), "'reset' must be true or false"),
                new Bad(null, utf8("{\"seq\": 3, \"text\": \"ab\"}"), "missing record key"));
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        int goodSteps = 0;
        int seq = 0;
        for (Bad b : bad) {
            input.add(new ProducerRecord<>(topics.input(), b.key == null ? null : utf8(b.key), b.value));
            // A good record after each bad one, on the same key and partition.
            input.add(KafkaTestSupport.record(topics.input(), "k", "{\"seq\": " + seq++ + ", \"text\": \"abcab\"}"));
            goodSteps += 5;
        }
        // A duplicate is dropped (counted, not dead-lettered); unknown characters become <unk>.
        input.add(KafkaTestSupport.record(topics.input(), "k", "{\"seq\": 0, \"text\": \"ab\"}"));
        input.add(KafkaTestSupport.record(topics.input(), "k", "{\"seq\": " + seq + ", \"text\": \"a?b\"}"));
        goodSteps += 3;
        // A gap in the sequence numbers is counted (and, by default, starts a new sequence).
        int afterGap = seq + 5;
        input.add(KafkaTestSupport.record(topics.input(), "k", "{\"seq\": " + afterGap + ", \"text\": \"ab\"}"));
        goodSteps += 2;
        KafkaTestSupport.produce(ENV.broker().bootstrapServers(), topics.input(), input);

        JobConfig config = JobTestSupport.config(ENV.broker(), topics, "--algo", "ok:1", "--cell", "rhn", "--hidden", "8",
                "--vocab", "chars:abc", "--max-record-bytes", "512", "--parallelism", "1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OkrtrlJob.build(env, config, KafkaIo.source(config), KafkaIo.predictionSink(config),
                KafkaIo.deadLetterSink(config));
        JobClient job = env.executeAsync("dead letters");
        List<KafkaTestSupport.Output> letters;
        List<KafkaTestSupport.Output> predictions;
        try {
            letters = KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.deadLetters(), bad.size(),
                    Duration.ofMinutes(2));
            predictions = KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.predictions(), goodSteps,
                    Duration.ofMinutes(2));
        } finally {
            job.cancel().get();
        }

        assertEquals(bad.size(), letters.size(), "one dead letter per bad record");
        Map<String, JsonNode> byOffset = new HashMap<>();
        for (KafkaTestSupport.Output letter : letters) {
            byOffset.put(letter.json().get("offset").asText(), letter.json());
        }
        for (int i = 0; i < bad.size(); i++) {
            Bad b = bad.get(i);
            JsonNode letter = byOffset.get(Integer.toString(2 * i));
            assertTrue(letter != null, "record at offset " + 2 * i + " must be dead-lettered");
            assertTrue(letter.get("reason").asText().contains(b.reason),
                    "offset " + 2 * i + ": reason '" + letter.get("reason").asText() + "' should say " + b.reason);
            assertEquals(topics.input(), letter.get("topic").asText());
            assertEquals(0, letter.get("partition").asInt());
            assertTrue(Arrays.equals(b.value, Base64.getDecoder().decode(letter.get("value_base64").asText())),
                    "the original bytes are kept");
        }
        assertEquals(goodSteps, predictions.size(), "no good record is lost");
        Set<String> seen = new HashSet<>();
        for (KafkaTestSupport.Output p : predictions) {
            assertTrue(seen.add(p.json().get("seq").asText() + "/" + p.json().get("position").asText()));
        }
        KafkaTestSupport.Output last = predictions.get(predictions.size() - 1);
        assertEquals("<unk>", predictions.get(predictions.size() - 4).json().get("symbol").asText(),
                "'?' is outside the vocabulary");
        assertEquals(afterGap, last.json().get("seq").asLong());
        assertTrue(predictions.get(predictions.size() - 2).json().get("surprise_bits").isNull(),
                "after the gap a new sequence starts: nothing was predicted for its first step");

        // The same facts in Flink's metric system.
        assertEquals(bad.size(), JobTestSupport.metric(METRICS, job.getJobID(), "deadLetters"), 0.0);
        assertEquals(1, JobTestSupport.metric(METRICS, job.getJobID(), "duplicates"), 0.0);
        assertEquals(1, JobTestSupport.metric(METRICS, job.getJobID(), "unknownSymbols"), 0.0);
        assertEquals(goodSteps, JobTestSupport.metric(METRICS, job.getJobID(), "events"), 0.0);
        assertEquals(goodSteps, JobTestSupport.metric(METRICS, job.getJobID(), "stepTimeNanos"), 0.0,
                "one step-time sample per event");
        assertEquals(1, JobTestSupport.metric(METRICS, job.getJobID(), "gaps"), 0.0);
        // A stream's arrays as the job's learner makes them (r-OK's factors in float by default).
        long streamBytes = config.learnerSpec().createShared(0, 1, false).newStream(0).arrayBytes();
        assertEquals(streamBytes, JobTestSupport.metric(METRICS, job.getJobID(), "stateBytes"), 0.0);
        assertTrue(JobTestSupport.metric(METRICS, job.getJobID(), "milliBitsPerCharacter") > 0,
                "one sample per scored step");
    }

    @Test
    @Order(2)
    void realValuedStepsRejectNonFiniteAndMisSizedVectorsAndSurviveDivergence() throws Exception {
        JobTestSupport.Topics topics = JobTestSupport.Topics.fresh(ENV.broker(), 1);
        List<Bad> bad = List.of(
                new Bad("r", utf8("{\"seq\": 50, \"x\": [NaN, 0.5], \"y\": [1.0]}"), "'x'[0] is not finite"),
                new Bad("r", utf8("{\"seq\": 50, \"x\": [0.1, 0.5], \"y\": [Infinity]}"), "'y'[0] is not finite"),
                new Bad("r", utf8("{\"seq\": 50, \"x\": [0.1, 0.5, 0.7], \"y\": [1.0]}"), "'x' has 3 entries, expected 2"),
                new Bad("r", utf8("{\"seq\": 50, \"x\": [0.1, 0.5]}"), "missing field 'y'"),
                new Bad("r", utf8("{\"seq\": 50, \"x\": [0.1, \"a\"], \"y\": [1]}"), "'x'[1] must be a number"),
                new Bad("r", utf8("{\"seq\": 50, \"text\": \"abc\"}"), "this job trains real-valued steps"));
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        int seq = 0;
        for (Bad b : bad) {
            input.add(new ProducerRecord<>(topics.input(), utf8(b.key), b.value));
            input.add(KafkaTestSupport.record(topics.input(), "r",
                    "{\"seq\": " + seq++ + ", \"x\": [0.1, 0.5], \"y\": [0.3]}"));
        }
        // Finite but enormous: the squared error overflows, the key's model must reset.
        input.add(KafkaTestSupport.record(topics.input(), "r",
                "{\"seq\": " + seq++ + ", \"x\": [0.1, 0.5], \"y\": [1e300]}"));
        input.add(KafkaTestSupport.record(topics.input(), "r",
                "{\"seq\": " + seq++ + ", \"x\": [0.1, 0.5], \"y\": [0.3]}"));
        KafkaTestSupport.produce(ENV.broker().bootstrapServers(), topics.input(), input);

        JobConfig config = JobTestSupport.config(ENV.broker(), topics, "--algo", "kf", "--cell", "rnn", "--hidden", "4",
                "--real-inputs", "2", "--real-outputs", "1", "--parallelism", "1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OkrtrlJob.build(env, config, KafkaIo.source(config), KafkaIo.predictionSink(config),
                KafkaIo.deadLetterSink(config));
        JobClient job = env.executeAsync("real-valued dead letters");
        List<KafkaTestSupport.Output> letters;
        List<KafkaTestSupport.Output> predictions;
        try {
            letters = KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.deadLetters(), bad.size(),
                    Duration.ofMinutes(2));
            predictions = KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.predictions(), seq,
                    Duration.ofMinutes(2));
        } finally {
            job.cancel().get();
        }
        assertEquals(bad.size(), letters.size());
        for (int i = 0; i < bad.size(); i++) {
            String reason = letters.get(i).json().get("reason").asText();
            assertTrue(reason.contains(bad.get(i).reason), reason + " should say " + bad.get(i).reason);
        }
        assertEquals(seq, predictions.size(), "every good step is trained on");
        JsonNode diverged = predictions.get(seq - 2).json();
        assertTrue(diverged.get("model_reset").asBoolean(), "the overflow resets the key's model");
        JsonNode after = predictions.get(seq - 1).json();
        assertTrue(Double.isFinite(after.get("squared_error").asDouble()), "no NaN reached the stored state");
        assertTrue(Double.isFinite(after.get("output").get(0).asDouble()));
        // A regression prediction says what it predicts and carries no text-only fields.
        assertEquals("y[0]", after.get("targets").get(0).asText());
        assertEquals(after.get("seq").asLong(), after.get("forecast_seq").asLong(), "same-step targets");
        for (String textOnly : List.of("running_bits", "surprise_bits", "symbol", "top")) {
            assertTrue(!after.has(textOnly), textOnly + " in " + after);
        }
        assertEquals(1, JobTestSupport.metric(METRICS, job.getJobID(), "modelResets"), 0.0);
        assertTrue(JobTestSupport.metric(METRICS, job.getJobID(), "microSquaredError") > 0,
                "a real-valued job reports its squared error");
        assertThrows(AssertionError.class, () -> JobTestSupport.metric(METRICS, job.getJobID(),
                "milliBitsPerCharacter"), "bits per character are for symbol jobs only");
        assertEquals(bad.size(), JobTestSupport.metric(METRICS, job.getJobID(), "deadLetters"), 0.0);
    }

    /** After a symbol job and a real-valued job ran: the dashboard's panels of both kinds query real metrics. */
    @Test
    @Order(3)
    void theDashboardQueriesOnlyMetricsTheJobsRegistered() throws Exception {
        DashboardMetrics.assertDashboardUsesRegisteredNames(METRICS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
