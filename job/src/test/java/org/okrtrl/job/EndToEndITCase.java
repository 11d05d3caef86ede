package org.okrtrl.job;

import org.okrtrl.embedded.KafkaTestSupport;
import org.okrtrl.job.config.JobConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.okrtrl.job.kafka.KafkaIo;

/**
 * Integration test 1: several keys at parallelism 2 through a real broker and the MiniCluster.
 * Every input step yields exactly one committed prediction, in per-key order, and on a learnable
 * stream the running bits per character fall below 0.2.
 */
class EndToEndITCase {
    static final int KEYS = 4;
    static final int RECORDS_PER_KEY = 40;
    static final int CHARS_PER_RECORD = 25;
    static final double LEARNED_BITS = 0.2;

    @RegisterExtension
    static final JobTestEnvironment ENV = JobTestEnvironment.withSlots(2);

    @Test
    void everyStepYieldsOnePredictionInOrderAndTheModelLearns() throws Exception {
        runAndCheck("hashmap");
    }

    @Test
    void theRocksDbStateBackendGivesTheSameGuarantees() throws Exception {
        runAndCheck("rocksdb");
    }

    private void runAndCheck(String stateBackend) throws Exception {
        JobTestSupport.Topics topics = JobTestSupport.Topics.fresh(ENV.broker(), 2);
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        String period = "abcd";
        for (int r = 0; r < RECORDS_PER_KEY; r++) {
            for (int k = 0; k < KEYS; k++) {
                StringBuilder text = new StringBuilder();
                for (int c = 0; c < CHARS_PER_RECORD; c++) {
                    text.append(period.charAt((r * CHARS_PER_RECORD + c + k) % period.length()));
                }
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("seq", r);
                value.put("text", text.toString());
                if (r == 0) {
                    value.put("reset", true);
                }
                input.add(KafkaTestSupport.record(topics.input(), "key-" + k, KafkaTestSupport.json(value)));
            }
        }
        KafkaTestSupport.produce(ENV.broker().bootstrapServers(), topics.input(), input);

        JobConfig config = JobTestSupport.config(ENV.broker(), topics, "--algo", "ok:2", "--cell", "rnn", "--hidden", "16",
                "--vocab", "chars:abcd", "--learning-rate", "0.01", "--parallelism", "2",
                "--state-backend", stateBackend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OkrtrlJob.build(env, config, KafkaIo.source(config), KafkaIo.predictionSink(config),
                KafkaIo.deadLetterSink(config));
        JobClient job = env.executeAsync("end-to-end");
        int expected = KEYS * RECORDS_PER_KEY * CHARS_PER_RECORD;
        List<KafkaTestSupport.Output> predictions;
        try {
            predictions = KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.predictions(), expected,
                    Duration.ofMinutes(3));
        } finally {
            job.cancel().get();
        }

        assertEquals(expected, predictions.size(), "exactly one prediction per input step");
        Map<String, long[]> lastPerKey = new HashMap<>();
        Map<String, Double> finalBits = new HashMap<>();
        for (KafkaTestSupport.Output out : predictions) {
            JsonNode p = out.json();
            String key = p.get("key").asText();
            assertEquals(out.key(), key, "the Kafka key is the stream id");
            long[] position = {p.get("seq").asLong(), p.get("position").asLong()};
            long[] last = lastPerKey.get(key);
            if (last == null) {
                assertEquals(0, position[0]);
                assertEquals(0, position[1]);
            } else {
                boolean next = (position[0] == last[0] && position[1] == last[1] + 1)
                        || (position[0] == last[0] + 1 && position[1] == 0 && last[1] == CHARS_PER_RECORD - 1);
                assertTrue(next, key + ": " + last[0] + "/" + last[1] + " then " + position[0] + "/" + position[1]);
            }
            lastPerKey.put(key, position);
            finalBits.put(key, p.get("running_bits").isNull() ? Double.NaN : p.get("running_bits").asDouble());
            assertEquals(3, p.get("top").size(), "top-3 next-symbol probabilities");
        }
        assertEquals(KEYS, finalBits.size());
        for (Map.Entry<String, Double> e : finalBits.entrySet()) {
            assertTrue(e.getValue() < LEARNED_BITS, e.getKey() + " ends at " + e.getValue() + " bits per character");
        }
    }
}
