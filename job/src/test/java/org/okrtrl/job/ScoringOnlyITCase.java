package org.okrtrl.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.okrtrl.core.model.ModelFile;
import org.okrtrl.core.model.SymbolScorer;
import org.okrtrl.embedded.KafkaTestSupport;
import org.okrtrl.job.config.JobConfig;
import org.okrtrl.job.export.ModelFiles;
import org.okrtrl.job.kafka.KafkaIo;

/**
 * Scoring only: a job started from an exported model with {@code --learn false} writes, for
 * every step, the predictions the core's scorer computes outside the job from the same file (to
 * 1e-9 in bits and probabilities), and never publishes a model update.
 */
class ScoringOnlyITCase {
    static final int KEYS = 3;
    static final int RECORDS = 10;

    @RegisterExtension
    static final JobTestEnvironment ENV = JobTestEnvironment.withSlots(2);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"shared", "per-key"})
    void aFixedModelScoresEveryStepAsTheScorerOutsideTheJobDoes(String mode) throws Exception {
        JobTestSupport.Topics topics = JobTestSupport.Topics.fresh(ENV.broker(), 2);
        String[] shape = {"--algo", "ok:2", "--cell", "rhn", "--hidden", "10", "--vocab", "chars:abcde ",
            "--init-scale", "0.5", "--seed", "3"};
        // The model: a fresh one of this shape, exported as a job would export it.
        JobConfig exporter = JobConfig.fromArgs(shape);
        org.okrtrl.core.train.Model drawn = exporter.learnerSpec().createShared(11, 1, false).shared().model();
        Path file = tmp.resolve("model.json");
        ModelFiles.of(exporter, drawn.w, drawn.v).write(file);

        List<String> flags = new ArrayList<>(List.of(shape));
        flags.addAll(List.of("--model", mode, "--parallelism", "2", "--learn", "false", "--initial-model",
                file.toString()));
        JobConfig config = JobTestSupport.config(ENV.broker(), topics, flags.toArray(new String[0]));
        Map<String, StringBuilder> texts = new LinkedHashMap<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int r = 0; r < RECORDS; r++) {
            for (int k = 0; k < KEYS; k++) {
                String text = RecoveryITCase.text(k, r).replace('e', ' ');
                texts.computeIfAbsent("k" + k, x -> new StringBuilder()).append(text);
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("seq", r);
                value.put("text", text);
                records.add(KafkaTestSupport.record(topics.input(), "k" + k, KafkaTestSupport.json(value)));
            }
        }
        KafkaTestSupport.produce(ENV.broker().bootstrapServers(), topics.input(), records);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OkrtrlJob.build(env, config, KafkaIo.source(config), KafkaIo.predictionSink(config),
                KafkaIo.deadLetterSink(config));
        JobClient job = env.executeAsync("scoring only");
        int steps = KEYS * RECORDS * RecoveryITCase.CHARS;
        List<KafkaTestSupport.Output> out;
        try {
            out = KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.predictions(), steps,
                    Duration.ofMinutes(2));
        } finally {
            job.cancel().get();
        }
        assertEquals(steps, out.size());
        Map<String, List<JsonNode>> byKey = new HashMap<>();
        for (KafkaTestSupport.Output o : out) {
            byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o.json());
        }
        ModelFile model = ModelFile.read(file);
        for (Map.Entry<String, StringBuilder> e : texts.entrySet()) {
            SymbolScorer scorer = new SymbolScorer(model);
            List<JsonNode> predictions = byKey.get(e.getKey());
            String text = e.getValue().toString();
            assertEquals(text.length(), predictions.size());
            for (int i = 0; i < text.length(); i++) {
                double bits = scorer.observe(scorer.index(String.valueOf(text.charAt(i))));
                JsonNode p = predictions.get(i);
                assertEquals(0, p.get("model_steps").asLong(), "the model never steps");
                if (i == 0) {
                    assertTrue(p.get("surprise_bits").isNull());
                } else {
                    assertEquals(bits, p.get("surprise_bits").asDouble(), 1e-9, e.getKey() + " step " + i);
                }
                JsonNode top = p.get("top");
                int[] best = new int[top.size()];
                SymbolScorer.topIndices(scorer.probabilities(), best);
                for (int j = 0; j < best.length; j++) {
                    assertEquals(scorer.symbol(best[j]), top.get(j).get("symbol").asText());
                    assertEquals(scorer.probabilities()[best[j]], top.get(j).get("p").asDouble(), 1e-9);
                }
            }
        }
        if (mode.equals("shared")) {
            assertTrue(KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.model(), 1,
                    Duration.ofSeconds(3)).isEmpty(), "a scoring job publishes no model update");
        }
    }
}
