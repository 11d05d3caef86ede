package org.okrtrl.cli;

import org.okrtrl.embedded.KafkaTestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.okrtrl.local.JavaProcess;
import org.okrtrl.local.KafkaServerMain;
import org.okrtrl.local.StandaloneCluster;

/**
 * A real deployment on this machine: a standalone Flink session cluster (JobManager and
 * TaskManager in their own JVMs, from the Maven Central artifacts, Flink's Java 17 options), the
 * KRaft broker in its own JVM, the shaded job jar submitted through Flink's command-line
 * frontend exactly as {@code flink run} does; sequences in, committed predictions checked; then
 * stop with a savepoint, resume from it, and every key continues where it stopped.
 */
class ClusterSubmissionITCase {
    static final int KEYS = 3;
    static final int CHARS = 20;
    static final int PHASE = 10;

    @TempDir
    Path tmp;

    @Test
    void submitFeedStopWithSavepointAndResume() throws Exception {
        Path jar = shadedJar();
        Path ready = tmp.resolve("kafka-bootstrap");
        Process kafka = JavaProcess.start(JavaProcess.fullClassPath(), List.of("-Xmx768m"),
                KafkaServerMain.class.getName(), List.of("0", ready.toString()), Map.of(), tmp.resolve("kafka.log"));
        Path cluster = tmp.resolve("cluster");
        try {
            awaitFile(ready, kafka);
            String bootstrap = Files.readString(ready).strip();
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("in", 2, (short) 1),
                        new org.apache.kafka.clients.admin.NewTopic("pred", 2, (short) 1),
                        new org.apache.kafka.clients.admin.NewTopic("dlq", 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            StandaloneCluster.start(cluster, 4);

            List<String> jobArgs = List.of("--bootstrap-servers", bootstrap, "--input-topic", "in",
                    "--predictions-topic", "pred", "--dead-letter-topic", "dlq", "--group-id", "cluster-test",
                    "--model", "per-key", "--algo", "ok:2", "--cell", "rhn", "--hidden", "16", "--vocab", "chars:abcd",
                    "--parallelism", "2", "--checkpoint-interval", "PT1S");
            produce(bootstrap, 0, PHASE);
            List<String> run = new ArrayList<>(List.of("run", "-d", jar.toString()));
            run.addAll(jobArgs);
            StandaloneCluster.CliResult submitted = StandaloneCluster.flink(cluster, run, null);
            assertEquals(0, submitted.exitCode(), submitted.output());
            String jobId = match("JobID ([0-9a-f]{32})", submitted.output());

            List<KafkaTestSupport.Output> first = KafkaTestSupport.readCommitted(bootstrap, "pred",
                    KEYS * PHASE * CHARS, Duration.ofMinutes(3));
            assertEquals(KEYS * PHASE * CHARS, first.size(), "one committed prediction per step");

            StandaloneCluster.CliResult stopped = StandaloneCluster.flink(cluster,
                    List.of("stop", "--savepointPath", cluster.resolve("savepoints").toUri().toString(), jobId), null);
            assertEquals(0, stopped.exitCode(), stopped.output());
            String savepoint = match("Savepoint completed\\. Path: (\\S+)", stopped.output());

            produce(bootstrap, PHASE, 2 * PHASE);
            List<String> resume = new ArrayList<>(List.of("run", "-d", "-s", savepoint, jar.toString()));
            resume.addAll(jobArgs);
            StandaloneCluster.CliResult resumed = StandaloneCluster.flink(cluster, resume, null);
            assertEquals(0, resumed.exitCode(), resumed.output());
            String resumedId = match("JobID ([0-9a-f]{32})", resumed.output());

            List<KafkaTestSupport.Output> all = KafkaTestSupport.readCommitted(bootstrap, "pred",
                    KEYS * 2 * PHASE * CHARS, Duration.ofMinutes(3));
            StandaloneCluster.flink(cluster, List.of("cancel", resumedId), null);
            assertContinuous(all);
        } finally {
            StandaloneCluster.stop(cluster);
            kafka.destroy();
            kafka.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** Every step once, each key in order, and its model's step count continuing across the savepoint. */
    private static void assertContinuous(List<KafkaTestSupport.Output> all) {
        assertEquals(KEYS * 2 * PHASE * CHARS, all.size(), "every step of both phases exactly once");
        Set<String> seen = new HashSet<>();
        Map<String, Long> lastSteps = new HashMap<>();
        Map<String, Long> lastSeq = new HashMap<>();
        for (KafkaTestSupport.Output o : all) {
            JsonNode p = o.json();
            String key = p.get("key").asText();
            assertTrue(seen.add(key + "/" + p.get("seq").asLong() + "/" + p.get("position").asLong()));
            long seq = p.get("seq").asLong();
            long steps = p.get("model_steps").asLong();
            assertTrue(seq >= lastSeq.getOrDefault(key, 0L), key + " out of order");
            Long previous = lastSteps.get(key);
            if (previous != null) {
                assertEquals(previous + 1, steps, key + " at seq " + seq + ": the model continues step by step");
            }
            lastSteps.put(key, steps);
            lastSeq.put(key, seq);
        }
        assertEquals(KEYS, lastSteps.size());
    }

    private static void produce(String bootstrap, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int r = from; r < to; r++) {
            for (int k = 0; k < KEYS; k++) {
                StringBuilder text = new StringBuilder();
                for (int c = 0; c < CHARS; c++) {
                    text.append("abcd".charAt((r * CHARS + c + k) % 4));
                }
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("seq", r);
                value.put("text", text.toString());
                records.add(KafkaTestSupport.record("in", "key-" + k, KafkaTestSupport.json(value)));
            }
        }
        KafkaTestSupport.produce(bootstrap, "in", records);
    }

    private static Path shadedJar() throws java.io.IOException {
        try (var files = Files.list(Path.of("../job/target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-flink.jar")).findFirst().orElseThrow()
                    .toAbsolutePath();
        }
    }

    private static String match(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "expected /" + regex + "/ in:\n" + text);
        return m.group(1);
    }

    private static void awaitFile(Path file, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(file)) {
            assertTrue(process.isAlive(), "the broker process died");
            assertTrue(System.nanoTime() < deadline, "the broker did not start in time");
            Thread.sleep(200);
        }
    }
}
