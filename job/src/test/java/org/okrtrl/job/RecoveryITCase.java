package org.okrtrl.job;

import org.okrtrl.embedded.KafkaTestSupport;
import org.okrtrl.job.config.JobConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SequenceLearner;
import org.okrtrl.job.export.ModelExport;
import org.okrtrl.job.kafka.KafkaIo;
import org.okrtrl.operators.StepBatch;
import org.okrtrl.operators.Vocabulary;

/**
 * Integration tests 2, 3 and 5: a fault injected once mid-stream is recovered from a checkpoint
 * with every step committed exactly once and outputs identical to an uninterrupted run; a
 * stop-with-savepoint and restart at another parallelism continues every key where it stopped;
 * and export-model reads every key's model from that savepoint.
 */
class RecoveryITCase {
    static final int KEYS = 5;
    static final int PHASE_RECORDS = 12;
    static final int CHARS = 20;
    static final String ALPHABET = "abcde";
    static final String[] MODEL_FLAGS = {"--model", "per-key", "--algo", "ok:2", "--cell", "rhn", "--hidden", "12", "--vocab",
        "chars:" + ALPHABET, "--learning-rate", "0.01", "--seed", "5"};

    @RegisterExtension
    static final JobTestEnvironment ENV = JobTestEnvironment.withSlots(3);
    /** The exactly-once sinks' committer (package-private), whose lookups the savepoint test reads. */
    private static final String RECOVERED_TRANSACTION_COMMITTER = "org.okrtrl.job.kafka.RecoveredTransactionCommitter";

    @TempDir
    Path tmp;

    @Test
    void faultIsRecoveredWithExactlyOnceOutputIdenticalToAnUninterruptedRun() throws Exception {
        JobTestSupport.Topics topics = JobTestSupport.Topics.fresh(ENV.broker(), 2);
        produce(topics.input(), 0, PHASE_RECORDS);
        FailOnce.reset(PHASE_RECORDS);

        JobClient job = startWithFault(config(topics, topics.predictions(), "faulty", "--parallelism", "2"), "faulty");
        List<KafkaTestSupport.Output> faultyOut;
        try {
            awaitTrue(() -> FailOnce.CHECKPOINTED.get(), "a checkpoint completes before the fault");
            produce(topics.input(), PHASE_RECORDS, 2 * PHASE_RECORDS);
            faultyOut = readAll(topics.predictions(), 2 * PHASE_RECORDS);
        } finally {
            job.cancel().get();
        }
        assertTrue(FailOnce.FAILED.get(), "the fault was injected");
        assertExactlyOnce(faultyOut, 2 * PHASE_RECORDS);

        String reference = "ref-" + topics.prefix();
        ENV.broker().createTopics(2, reference);
        List<KafkaTestSupport.Output> referenceOut = runUninterrupted(topics, reference, 2 * PHASE_RECORDS, "2");
        assertEquals(perKey(referenceOut), perKey(faultyOut), "recovered outputs equal the uninterrupted run");
    }

    /**
     * With at-least-once predictions the same fault answers every step at least once; a step
     * answered twice (the records replayed from the last checkpoint) carries the same key, seq
     * and position and, the replay being deterministic, the same prediction, so a consumer drops
     * either copy.
     */
    @Test
    void faultWithAtLeastOncePredictionsAnswersEveryStepAndEveryDuplicateIsIdentifiable() throws Exception {
        JobTestSupport.Topics topics = JobTestSupport.Topics.fresh(ENV.broker(), 2);
        produce(topics.input(), 0, PHASE_RECORDS);
        FailOnce.reset(PHASE_RECORDS);
        JobClient job = startWithFault(config(topics, topics.predictions(), "alo", "--parallelism", "2",
                "--predictions-delivery", "at-least-once"), "at-least-once");
        int steps = KEYS * 2 * PHASE_RECORDS * CHARS;
        Map<String, String> firstAnswer = new java.util.HashMap<>();
        int duplicates = 0;
        try {
            awaitTrue(() -> FailOnce.CHECKPOINTED.get(), "a checkpoint completes before the fault");
            produce(topics.input(), PHASE_RECORDS, 2 * PHASE_RECORDS);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            List<KafkaTestSupport.Output> out = List.of();
            while (System.nanoTime() < deadline) {
                out = KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.predictions(), steps,
                        Duration.ofSeconds(30));
                firstAnswer.clear();
                duplicates = 0;
                for (KafkaTestSupport.Output o : out) {
                    JsonNode p = o.json();
                    String step = p.get("key").asText() + "/" + p.get("seq").asLong() + "/" + p.get("position").asInt();
                    String previous = firstAnswer.putIfAbsent(step, new String(o.value(), StandardCharsets.UTF_8));
                    if (previous != null) {
                        duplicates++;
                        assertEquals(previous, new String(o.value(), StandardCharsets.UTF_8),
                                "a step answered twice gives the same prediction twice: " + step);
                    }
                }
                if (firstAnswer.size() >= steps) {
                    break;
                }
            }
        } finally {
            job.cancel().get();
        }
        assertTrue(FailOnce.FAILED.get(), "the fault was injected");
        assertEquals(steps, firstAnswer.size(), "every step is answered at least once");
        System.out.printf("at-least-once predictions after a fault: %d steps, %d answered twice%n", steps, duplicates);
    }

    @Test
    void savepointRescaleContinuesEveryKeyAndExportsItsModel() throws Exception {
        JobTestSupport.Topics topics = JobTestSupport.Topics.fresh(ENV.broker(), 2);
        produce(topics.input(), 0, PHASE_RECORDS);
        JobConfig first = config(topics, topics.predictions(), "first", "--parallelism", "2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OkrtrlJob.build(env, first, KafkaIo.source(first), KafkaIo.predictionSink(first), KafkaIo.deadLetterSink(first));
        String savepoint;
        try (CapturedLog committer = new CapturedLog(RECOVERED_TRANSACTION_COMMITTER)) {
            JobClient job = env.executeAsync("before savepoint");
            readAll(topics.predictions(), PHASE_RECORDS);
            savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
            // A fresh start has nothing recovered: the broker is not asked at the run's checkpoints.
            assertEquals(List.of(), committer.messages(), "no recovered-transaction lookups without a restore");
        }

        // export-model: every key's model equals an offline replay of that key's records.
        Path exported = tmp.resolve("models");
        assertEquals(KEYS, ModelExport.export(savepoint, exported));
        for (int k = 0; k < KEYS; k++) {
            JsonNode model = KafkaTestSupport.JSON.readTree(exported.resolve(ModelExport.fileName(key(k))).toFile());
            SequenceLearner replay = replay(first, k, PHASE_RECORDS);
            assertArrayEquals(replay.model().w, flatten(model.get("W")), 0.0, key(k) + " W");
            assertArrayEquals(replay.model().v, flatten(model.get("V")), 0.0, key(k) + " V");
            assertEquals(PHASE_RECORDS - 1, model.get("last_seq").asLong());
            assertEquals(replay.updates(), model.get("updates").asLong());
        }

        // Restart from the savepoint at parallelism 3 and feed the second phase.
        produce(topics.input(), PHASE_RECORDS, 2 * PHASE_RECORDS);
        JobConfig second = config(topics, topics.predictions(), "first", "--parallelism", "3");
        StreamExecutionEnvironment env2 = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        env2.configure(restore);
        OkrtrlJob.build(env2, second, KafkaIo.source(second), KafkaIo.predictionSink(second),
                KafkaIo.deadLetterSink(second));
        List<KafkaTestSupport.Output> all;
        try (CapturedLog committer = new CapturedLog(RECOVERED_TRANSACTION_COMMITTER)) {
            JobClient resumed = env2.executeAsync("after savepoint");
            try {
                all = readAll(topics.predictions(), 2 * PHASE_RECORDS);
            } finally {
                resumed.cancel().get();
            }
            // Every prediction was committed before the savepoint, whose transactions were empty: nothing to look up.
            assertEquals(List.of(), committer.messages(), "no lookups when the savepoint holds no transaction");
        }
        assertExactlyOnce(all, 2 * PHASE_RECORDS);

        String reference = "ref-" + topics.prefix();
        ENV.broker().createTopics(2, reference);
        List<KafkaTestSupport.Output> referenceOut = runUninterrupted(topics, reference, 2 * PHASE_RECORDS, "1");
        assertEquals(perKey(referenceOut), perKey(all), "every key continued exactly where it stopped");
    }

    /**
     * A savepoint taken while the predictions' transaction is still open (no checkpoint has
     * completed) holds that transaction; stop-with-savepoint commits it, and the restored job
     * finds it committed on the broker and does not commit it again. The first run, not
     * restored, never asks the broker.
     */
    @Test
    void aRestoredTransactionTheSavepointCommittedIsAcknowledgedAndNothingElseIsLookedUp() throws Exception {
        JobTestSupport.Topics topics = JobTestSupport.Topics.fresh(ENV.broker(), 2);
        produce(topics.input(), 0, PHASE_RECORDS);
        JobConfig run = config(topics, topics.predictions(), "open", "--parallelism", "2", "--checkpoint-interval",
                "PT1H");
        String savepoint;
        try (CapturedLog committer = new CapturedLog(RECOVERED_TRANSACTION_COMMITTER)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            OkrtrlJob.build(env, run, KafkaIo.source(run), KafkaIo.predictionSink(run), KafkaIo.deadLetterSink(run));
            JobClient job = env.executeAsync("transaction open at the savepoint");
            int expected = KEYS * PHASE_RECORDS * CHARS;
            assertTrue(KafkaTestSupport.readUncommitted(ENV.broker().bootstrapServers(), topics.predictions(), expected,
                    Duration.ofMinutes(2)).size() >= expected, "every prediction written into the open transaction");
            assertEquals(List.of(), KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topics.predictions(),
                    1, Duration.ofSeconds(3)), "nothing committed before the savepoint");
            savepoint = job.stopWithSavepoint(false, tmp.resolve("open-savepoint").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
            assertEquals(List.of(), committer.messages(), "no lookups without a restore");
        }
        assertExactlyOnce(readAll(topics.predictions(), PHASE_RECORDS), PHASE_RECORDS);

        try (CapturedLog committer = new CapturedLog(RECOVERED_TRANSACTION_COMMITTER)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            Configuration restore = new Configuration();
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            env.configure(restore);
            OkrtrlJob.build(env, run, KafkaIo.source(run), KafkaIo.predictionSink(run), KafkaIo.deadLetterSink(run));
            JobClient resumed = env.executeAsync("restored");
            try {
                awaitTrue(() -> committer.messages().stream().anyMatch(m -> m.contains("was already committed before "
                        + "the restore")), "the savepoint's transaction acknowledged as committed");
            } finally {
                resumed.cancel().get();
            }
            assertTrue(committer.messages().stream().allMatch(m -> m.contains("was already committed before the restore")),
                    "every restored transaction was proven committed: " + committer.messages());
        }
        assertExactlyOnce(readAll(topics.predictions(), PHASE_RECORDS), PHASE_RECORDS);
    }

    /** Starts the job with {@link FailOnce} in front of training and up to 3 restarts. */
    private static JobClient startWithFault(JobConfig config, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        env.configure(restarts);
        UnaryOperator<DataStream<StepBatch>> injector = s -> s.map(new FailOnce()).uid("fault-injector").name("fault");
        OkrtrlJob.build(env, config, KafkaIo.source(config), KafkaIo.predictionSink(config),
                KafkaIo.deadLetterSink(config), injector);
        return env.executeAsync(name);
    }

    /** Throws once, on the first second-phase record after a completed checkpoint. */
    static final class FailOnce implements MapFunction<StepBatch, StepBatch>, CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static volatile long failAtSeq;

        static void reset(long seq) {
            CHECKPOINTED.set(false);
            FAILED.set(false);
            failAtSeq = seq;
        }

        @Override
        public StepBatch map(StepBatch batch) {
            if (batch.seq >= failAtSeq && CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected fault at " + batch.key + " seq " + batch.seq);
            }
            return batch;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }

    private List<KafkaTestSupport.Output> runUninterrupted(JobTestSupport.Topics topics, String predictions,
            int records, String parallelism) throws Exception {
        JobConfig config = config(topics, predictions, "reference", "--parallelism", parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OkrtrlJob.build(env, config, KafkaIo.source(config), KafkaIo.predictionSink(config),
                KafkaIo.deadLetterSink(config));
        JobClient job = env.executeAsync("reference");
        try {
            return readAll(predictions, records);
        } finally {
            job.cancel().get();
        }
    }

    private static JobConfig config(JobTestSupport.Topics topics, String predictions, String run, String... extra) {
        List<String> args = new ArrayList<>(List.of(MODEL_FLAGS));
        args.addAll(List.of(extra));
        args.addAll(List.of("--predictions-topic", predictions, "--group-id", "g-" + run + "-" + topics.prefix(),
                "--transactional-id-prefix", run + "-" + topics.prefix()));
        return JobTestSupport.config(ENV.broker(), topics, args.toArray(new String[0]));
    }

    static String key(int k) {
        return "user/" + k;
    }

    static String text(int k, int record) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < CHARS; c++) {
            int i = record * CHARS + c;
            // Period 5 per key, with a key-specific phase.
            sb.append(ALPHABET.charAt((i + k) % ALPHABET.length()));
        }
        return sb.toString();
    }

    static void produce(String topic, int fromRecord, int toRecord) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int r = fromRecord; r < toRecord; r++) {
            for (int k = 0; k < KEYS; k++) {
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("seq", r);
                value.put("text", text(k, r));
                records.add(KafkaTestSupport.record(topic, key(k), KafkaTestSupport.json(value)));
            }
        }
        KafkaTestSupport.produce(ENV.broker().bootstrapServers(), topic, records);
    }

    /** The key's learner after its first records, computed without Flink. */
    static SequenceLearner replay(JobConfig config, int k, int records) {
        LearnerSpec spec = config.learnerSpec();
        SequenceLearner learner = spec.create(LearnerSpec.keySeed(config.seed, key(k)));
        Vocabulary vocabulary = config.vocabularyOrNull();
        for (int r = 0; r < records; r++) {
            for (char c : text(k, r).toCharArray()) {
                learner.observeSymbol(vocabulary.lookup(String.valueOf(c)));
            }
        }
        return learner;
    }

    static double[] flatten(JsonNode rows) {
        List<Double> values = new ArrayList<>();
        rows.forEach(row -> row.forEach(v -> values.add(v.asDouble())));
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static List<KafkaTestSupport.Output> readAll(String topic, int records) {
        return KafkaTestSupport.readCommitted(ENV.broker().bootstrapServers(), topic, KEYS * records * CHARS,
                Duration.ofMinutes(3));
    }

    private static void assertExactlyOnce(List<KafkaTestSupport.Output> out, int records) {
        JobTestSupport.assertExactlyOnce(out, KEYS * records * CHARS);
    }

    /** Each key's committed outputs, as raw JSON text, in order. */
    private static Map<String, List<String>> perKey(List<KafkaTestSupport.Output> out) {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (KafkaTestSupport.Output o : out) {
            byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(new String(o.value(), StandardCharsets.UTF_8));
        }
        return byKey;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        JobTestSupport.awaitTrue(condition, what);
    }
}
