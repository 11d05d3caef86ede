package org.okrtrl.local;

import org.okrtrl.embedded.EmbeddedKafka;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A soak test against the real thing: a broker JVM with persistent data, a standalone Flink
 * cluster, the shaded job jar submitted through Flink's CLI, a steady stream over many keys,
 * TaskManagers killed with SIGKILL and the broker restarted on a schedule, and a read_committed
 * reader that checks every good step was answered exactly once.
 */
public final class Soak {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to run. */
    public record Options(Path dir, Path jar, int keys, Duration length, Duration killTaskManagerEvery,
            Duration restartBrokerEvery, int eventsPerSecond, int charsPerRecord, int hostileRecords,
            Duration drainTimeout, List<String> jobArgs, Path summaryJson, PrintStream log, Duration brokerOutage,
            Duration killJobManagerEvery, int hostileModelRecords, int endRescale) {}

    private final Options o;
    private final AtomicBoolean reading = new AtomicBoolean(true);
    private SoakProducer input;
    private final AtomicLong predictionsOut = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong lastPredictionNanos = new AtomicLong();
    private final AtomicLong longestPauseNanos = new AtomicLong();
    private final Set<Long> answered = new HashSet<>();
    private final List<Long> faultNanos = new ArrayList<>();
    private long heapPeak;
    private int taskManagerKills;
    private int jobManagerKills;
    private int brokerRestarts;

    public Soak(Options options) {
        this.o = options;
    }

    public ObjectNode run() throws Exception {
        Path home = o.dir().toAbsolutePath();
        Path kafkaHome = home.resolve("kafka");
        Path kafkaData = home.resolve("kafka-data");
        Path flink = home.resolve("flink");
        String bootstrap = BrokerProcess.start(kafkaHome, 0, kafkaData);
        log("broker at " + bootstrap + " (data in " + kafkaData + ")");
        ObjectNode summary;
        try {
            createTopics(bootstrap);
            int rest = StandaloneCluster.start(flink, 2, o.killJobManagerEvery() != null);
            log("Flink cluster at http://localhost:" + rest);
            try {
                String jobId = submit(flink, bootstrap);
                log("job " + jobId + " submitted");
                summary = soak(bootstrap, flink, kafkaHome, kafkaData, rest, jobId);
                StandaloneCluster.flink(flink, List.of("cancel", jobId), null);
            } finally {
                StandaloneCluster.stop(flink);
            }
        } finally {
            BrokerProcess.stop(kafkaHome);
        }
        if (o.summaryJson() != null) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(o.summaryJson().toFile(), summary);
        }
        return summary;
    }

    private void createTopics(String bootstrap) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            var topics = new ArrayList<org.apache.kafka.clients.admin.NewTopic>();
            for (String t : List.of("soak-in", "soak-predictions", "soak-dead-letters")) {
                topics.add(new org.apache.kafka.clients.admin.NewTopic(t, 2, (short) 1));
            }
            topics.add(new org.apache.kafka.clients.admin.NewTopic("soak-model", 2, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(EmbeddedKafka.MODEL_TOPIC_MAX_MESSAGE_BYTES))));
            admin.createTopics(topics).all().get();
        }
    }

    private String submit(Path flink, String bootstrap) throws Exception {
        return submit(flink, bootstrap, 2, null);
    }

    /** Submits the job at parallelism, from savepoint if it is not null; returns its id. */
    private String submit(Path flink, String bootstrap, int parallelism, String savepoint) throws Exception {
        List<String> run = new ArrayList<>(List.of("run", "-d"));
        if (savepoint != null) {
            run.addAll(List.of("-s", savepoint));
        }
        run.addAll(List.of(o.jar().toAbsolutePath().toString(),
                "--bootstrap-servers", bootstrap, "--input-topic", "soak-in", "--predictions-topic", "soak-predictions",
                "--dead-letter-topic", "soak-dead-letters", "--model-topic", "soak-model", "--group-id", "soak",
                "--transactional-id-prefix", "soak", "--parallelism", Integer.toString(parallelism)));
        run.addAll(o.jobArgs());
        StandaloneCluster.CliResult r = StandaloneCluster.flink(flink, run, null);
        Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(r.output());
        if (r.exitCode() != 0 || !m.find()) {
            throw new IOException("submission failed: " + r.output());
        }
        return m.group(1);
    }

    private ObjectNode soak(String bootstrap, Path flink, Path kafkaHome, Path kafkaData, int rest, String jobId)
            throws Exception {
        input = new SoakProducer(o, bootstrap);
        Thread producer = new Thread(input::run, "soak-producer");
        Thread reader = new Thread(() -> read(bootstrap), "soak-reader");
        producer.start();
        reader.start();
        long start = System.nanoTime();
        long end = start + o.length().toNanos();
        long nextKill = o.killTaskManagerEvery() != null ? start + o.killTaskManagerEvery().toNanos() : Long.MAX_VALUE;
        long nextBroker = o.restartBrokerEvery() != null ? start + o.restartBrokerEvery().toNanos() : Long.MAX_VALUE;
        long nextJobManagerKill = o.killJobManagerEvery() != null ? start + o.killJobManagerEvery().toNanos()
                : Long.MAX_VALUE;
        long nextReport = start;
        long nextRestartPoll = start;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= nextKill) {
                long pid = StandaloneCluster.killTaskManager(flink);
                synchronized (faultNanos) {
                    faultNanos.add(System.nanoTime());
                }
                taskManagerKills++;
                log("killed TaskManager " + pid + " (SIGKILL); its supervisor starts it again");
                nextKill += o.killTaskManagerEvery().toNanos();
            }
            if (now >= nextJobManagerKill) {
                long pid = StandaloneCluster.killJobManager(flink);
                synchronized (faultNanos) {
                    faultNanos.add(System.nanoTime());
                }
                jobManagerKills++;
                log("killed JobManager " + pid + " (SIGKILL); its supervisor starts it again");
                nextJobManagerKill += o.killJobManagerEvery().toNanos();
            }
            if (now >= nextBroker) {
                BrokerProcess.stop(kafkaHome);
                synchronized (faultNanos) {
                    faultNanos.add(System.nanoTime());
                }
                log("stopped the broker for " + o.brokerOutage().toSeconds() + " s");
                Thread.sleep(o.brokerOutage().toMillis());
                String again = BrokerProcess.start(kafkaHome, 0, kafkaData);
                brokerRestarts++;
                log("restarted the broker at " + again);
                nextBroker += o.restartBrokerEvery().toNanos();
            }
            if (now >= nextReport) {
                sampleHeap(rest);
                log(String.format(Locale.ROOT, "%5.0fs  events in %,d  good steps %,d  answered %,d  dead letters %,d",
                        (now - start) / 1e9, input.eventsIn(), input.goodSteps(), predictionsOut.get(), deadLetters.get()));
                nextReport += Duration.ofSeconds(10).toNanos();
            }
            if (now >= nextRestartPoll) {
                restarts.observe(jobId, metricLong(rest, jobId, "numRestarts"));
                nextRestartPoll += Duration.ofSeconds(1).toNanos();
            }
            Thread.sleep(200);
        }
        input.stop();
        producer.join();
        long drainDeadline = System.nanoTime() + o.drainTimeout().toNanos();
        while (answeredCount() < input.goodSteps() && System.nanoTime() < drainDeadline) {
            sampleHeap(rest);
            restarts.observe(jobId, metricLong(rest, jobId, "numRestarts"));
            Thread.sleep(1000);
        }
        Thread.sleep(3000); // late duplicates would show now
        restarts.observe(jobId, metricLong(rest, jobId, "numRestarts"));
        String state = jobState(rest, jobId);
        if (o.endRescale() > 0) {
            jobId = rescale(flink, bootstrap, rest, jobId);
            state = jobState(rest, jobId);
            Path savepoints = o.dir().toAbsolutePath().resolve("savepoints");
            String last = SoakEnding.stopWithSavepoint(flink, savepoints, jobId);
            replicaDifference = SoakEnding.replicaDifference(last);
            int exported = org.okrtrl.job.export.ModelExport.export(last, o.dir().toAbsolutePath().resolve("export"));
            log("stopped with savepoint " + last + "; export-model wrote " + exported + " file(s); replicas differ by "
                    + replicaDifference);
        }
        reading.set(false);
        reader.join();
        return summary(rest, jobId, state);
    }

    /**
     * Stops the drained job with a savepoint and restores it at the end parallelism (adding a
     * TaskManager for the slots), waits until it runs and has taken a checkpoint; returns its id.
     */
    private String rescale(Path flink, String bootstrap, int rest, String jobId) throws Exception {
        rejectedBeforeRescale = SoakEnding.operatorMetricSum(rest, jobId, "modelUpdatesRejected");
        String savepoint = SoakEnding.stopWithSavepoint(flink, o.dir().toAbsolutePath().resolve("savepoints"), jobId);
        if (o.endRescale() > 2) {
            StandaloneCluster.addTaskManager(flink);
        }
        String restored = submit(flink, bootstrap, o.endRescale(), savepoint);
        log("stopped with savepoint " + savepoint + ", restored at parallelism " + o.endRescale() + " as " + restored);
        long deadline = System.nanoTime() + o.drainTimeout().toNanos();
        while (System.nanoTime() < deadline && metricLong(rest, restored, "numberOfCompletedCheckpoints") < 2) {
            Thread.sleep(1000);
        }
        rejectedAfterRescale = SoakEnding.operatorMetricSum(rest, restored, "modelUpdatesRejected");
        return restored;
    }

    private final RestartCounter restarts = new RestartCounter();
    private long rejectedBeforeRescale = -1;
    private long rejectedAfterRescale = -1;
    private double replicaDifference = Double.NaN;

    private void read(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Assigned partitions, no consumer group: a broker restart cannot rebalance the reader
        // and make it read records twice; a record seen again at its offset is skipped anyway,
        // so only a second record for the same step counts as a duplicate.
        Map<String, Long> nextOffset = new java.util.HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of("soak-predictions", "soak-dead-letters")) {
                for (int p = 0; p < 2; p++) {
                    partitions.add(new org.apache.kafka.common.TopicPartition(topic, p));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String partition = r.topic() + "-" + r.partition();
                    if (r.offset() < nextOffset.getOrDefault(partition, 0L)) {
                        continue;
                    }
                    nextOffset.put(partition, r.offset() + 1);
                    if (r.topic().equals("soak-dead-letters")) {
                        deadLetters.incrementAndGet();
                        continue;
                    }
                    predictionsOut.incrementAndGet();
                    record(r.value());
                }
            }
        } catch (RuntimeException e) {
            log("reader stopped: " + e);
        }
    }

    private void record(byte[] value) {
        try {
            JsonNode p = JSON.readTree(value);
            long key = Long.parseLong(p.get("key").asText().substring("key-".length()));
            long id = (key * (1L << 32) + p.get("seq").asLong()) * o.charsPerRecord() + p.get("position").asLong();
            boolean fresh;
            synchronized (answered) {
                fresh = answered.add(id);
            }
            if (!fresh) {
                duplicates.incrementAndGet();
            }
            long now = System.nanoTime();
            long previous = lastPredictionNanos.getAndSet(now);
            boolean afterAFault;
            synchronized (faultNanos) {
                afterAFault = !faultNanos.isEmpty() && faultNanos.get(0) < now;
            }
            if (afterAFault && previous > 0) {
                // The longest stretch without a committed prediction once faults began.
                longestPauseNanos.accumulateAndGet(now - previous, Math::max);
            }
        } catch (IOException | RuntimeException e) {
            log("unreadable prediction: " + e);
        }
    }

    private long answeredCount() {
        synchronized (answered) {
            return answered.size();
        }
    }

    private void sampleHeap(int rest) {
        try {
            JsonNode tms = get(rest, "/taskmanagers").get("taskmanagers");
            for (JsonNode tm : tms) {
                JsonNode metrics = get(rest, "/taskmanagers/" + tm.get("id").asText()
                        + "/metrics?get=Status.JVM.Memory.Heap.Used");
                for (JsonNode m : metrics) {
                    heapPeak = Math.max(heapPeak, m.get("value").asLong());
                }
            }
        } catch (IOException | RuntimeException e) {
            // The cluster may be between TaskManagers.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** TaskManager exits the supervisors answered by starting them again (their log lines). */
    private long supervisorRestarts(String role) {
        Path logs = o.dir().toAbsolutePath().resolve("flink").resolve("log");
        try (var files = Files.list(logs)) {
            long n = 0;
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".out")).toList()) {
                n += Files.readAllLines(f).stream().filter(l -> l.contains("supervisor: " + role)).count();
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    private ObjectNode summary(int rest, String jobId, String state) {
        ObjectNode s = JSON.createObjectNode();
        long answeredSteps = answeredCount();
        s.put("keys", o.keys());
        s.put("minutes", o.length().toSeconds() / 60.0);
        s.put("events_in", input.eventsIn());
        s.put("good_steps", input.goodSteps());
        s.put("hostile_records_in", input.hostileIn());
        s.put("send_failures", input.sendFailures());
        s.put("predictions_out", predictionsOut.get());
        s.put("answered_steps", answeredSteps);
        s.put("missing", input.goodSteps() - answeredSteps);
        s.put("duplicates", duplicates.get());
        s.put("dead_letters", deadLetters.get());
        s.put("job_state_at_end", state);
        s.put("taskmanager_kills", taskManagerKills);
        s.put("broker_restarts", brokerRestarts);
        s.put("broker_outage_seconds", o.brokerOutage().toSeconds());
        s.put("jobmanager_kills", jobManagerKills);
        s.put("hostile_model_records_in", input.hostileModelIn());
        // Each instance reads the whole model topic: every hostile record is rejected once per replica.
        s.put("model_updates_rejected", rejectedAfterRescale >= 0 ? rejectedAfterRescale
                : SoakEnding.operatorMetricSum(rest, jobId, "modelUpdatesRejected"));
        s.put("model_updates_rejected_before_rescale", rejectedBeforeRescale);
        s.put("end_rescale_parallelism", o.endRescale());
        if (!Double.isNaN(replicaDifference)) {
            s.put("replica_max_relative_difference", replicaDifference);
        }
        s.put("taskmanager_exits_restarted_by_supervisor", supervisorRestarts("taskmanager"));
        s.put("jobmanager_exits_restarted_by_supervisor", supervisorRestarts("jobmanager"));
        restarts.observe(jobId, metricLong(rest, jobId, "numRestarts"));
        s.put("restarts", restarts.total());
        // The longest time without a committed prediction after the first fault, while input
        // kept arriving (normal pauses are one checkpoint interval: output commits at checkpoints).
        s.put("recovery_seconds_max", longestPauseNanos.get() / 1e9);
        s.put("taskmanager_heap_peak_bytes", heapPeak);
        try {
            JsonNode latest = get(rest, "/jobs/" + jobId + "/checkpoints").get("latest").get("completed");
            s.put("checkpoint_bytes", latest.get("state_size").asLong());
            s.put("checkpoint_incremental_bytes", latest.path("checkpointed_size").asLong());
        } catch (Exception e) {
            s.putNull("checkpoint_bytes");
        }
        return s;
    }

    private static long metricLong(int rest, String jobId, String name) {
        try {
            for (JsonNode m : get(rest, "/jobs/" + jobId + "/metrics?get=" + name)) {
                return m.get("value").asLong();
            }
        } catch (Exception e) {
            // reported as -1
        }
        return -1;
    }

    private static String jobState(int rest, String jobId) {
        try {
            return get(rest, "/jobs/" + jobId).get("state").asText();
        } catch (Exception e) {
            return "UNKNOWN (" + e.getMessage() + ")";
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private static JsonNode get(int rest, String path) throws IOException, InterruptedException {
        return SoakEnding.get(rest, path);
    }

    private void log(String line) {
        o.log().println(line);
        o.log().flush();
    }

    /** Creates dir afresh (a soak starts from nothing). */
    public static void clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
