package org.okrtrl.local;

import org.okrtrl.embedded.EmbeddedKafka;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.okrtrl.job.config.JobConfig;
import org.okrtrl.job.OkrtrlJob;

/**
 * Events per second and latency through the whole pipeline (in-process Kafka broker -> the job
 * on a MiniCluster with one task slot and exactly-once sinks -> committed predictions), set
 * beside the learner's compute-only speed measured in the same run.
 *
 * <p>Throughput: N events over K keys are in the input topic before the job starts; the rate is
 * the committed predictions between the 10th and the 90th percentile of their arrival, so start-up
 * and the last commit do not count. The same job first runs uncounted over a longer backlog in
 * front of them, until the JIT has settled (under 5% of a core spent compiling over 5 s) or for at
 * most the warm-up limit: on two cores the compiler threads otherwise take a third of a core or
 * more for the job's first minute, from the cores the job runs on, and a second job started
 * after a warm-up job compiles again (its start-up paths, new type profiles). Latency: for each checkpoint interval a fresh job gets a
 * steady input at a fraction of that throughput; an event's latency is the time from its input
 * record's timestamp to the moment its prediction is readable with read_committed. CPU: the
 * job's Flink task threads (and their Kafka fetchers) per event, against the learner alone.
 * Compute only is the learner alone, measured before and after the throughput run (the mean time
 * per event of the two), so a drift of the machine's speed during the run affects both sides.
 */
public final class PipelineBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to run. */
    public record Options(JobConfig job, long events, int keys, int charsPerRecord, List<Duration> checkpointIntervals,
            double latencyLoad, Double latencyEventsPerSecond, Duration latencyDuration, Duration warmUpLimit,
            PrintStream progress) {
        /** The offered rate of the latency runs: the given one, or latencyLoad of the measured throughput. */
        double latencyRate(double throughput) {
            return latencyEventsPerSecond != null ? latencyEventsPerSecond : latencyLoad * throughput;
        }
    }

    /** One latency measurement. */
    public record Latency(long checkpointIntervalMillis, double eventsPerSecondOffered, long events, double p50Millis,
            double p99Millis) {}

    /** Everything measured. */
    public record Result(double eventsPerSecond, double computeOnlyEventsPerSecond, double taskCpuSecondsPerEvent,
            double computeOnlyCpuSecondsPerEvent, long checkpointIntervalMillis, String stateBackend,
            Checkpoints checkpoints, List<Latency> latencies, double computeOnlyBeforeEventsPerSecond,
            double computeOnlyAfterEventsPerSecond, WarmUp warmUp, double jitCoresMeasured) {}

    /** The uncounted first part of the run: how long it ran, its rate, and the JIT's share of a core at its end. */
    public record WarmUp(double seconds, double eventsPerSecond, double jitCoresAtEnd) {}

    /** Ends a warm-up run once the JIT has settled: under this share of one core over the last window. */
    static final double JIT_SETTLED_CORES = 0.05;
    private static final Duration JIT_WINDOW = Duration.ofSeconds(5);
    private static final int MAX_POLL_RECORDS = 5_000;

    /**
     * Completed checkpoints of the throughput run, from Flink's checkpoint statistics: how many,
     * the median end-to-end duration and the median full state size (bytes).
     */
    public record Checkpoints(long completed, double p50DurationMillis, double p50StateBytes) {}

    private final Options options;
    private int round;
    private int restPort;
    private Checkpoints lastCheckpoints = new Checkpoints(0, Double.NaN, Double.NaN);

    public PipelineBench(Options options) {
        this.options = options;
    }

    public Result run() throws Exception {
        JobConfig job = options.job();
        job.parallelism = 1;
        if (job.stateBackend == null) {
            job.stateBackend = org.okrtrl.job.config.StateBackendChoice.HASHMAP;
        }
        LearnerAlone alone = new LearnerAlone(job, options.keys(), options.events());
        double[] before = alone.measure();
        options.progress().printf(java.util.Locale.ROOT, "compute only: %,.0f events/s, %.1f us CPU per event%n",
                before[0], before[1] * 1e6);
        Path checkpoints = Files.createTempDirectory("okrtrl-bench-checkpoints");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            long throughputInterval = options.checkpointIntervals().get(0).toMillis();
            Throughput measured = throughput(kafka, checkpoints, options.checkpointIntervals().get(0));
            WarmUp warmUp = measured.warmUp();
            options.progress().printf(java.util.Locale.ROOT,
                    "warm-up (not counted): %.0f s at %,.0f events/s, JIT %.2f cores at its end%n", warmUp.seconds(),
                    warmUp.eventsPerSecond(), warmUp.jitCoresAtEnd());
            double[] throughput = {measured.eventsPerSecond(), measured.taskCpuSecondsPerEvent()};
            double jitCores = measured.jitCores();
            Checkpoints measuredCheckpoints = lastCheckpoints;
            // Measured again right after: this machine's speed drifts between phases for seconds at a
            // time, and the pipeline run is longer than one measurement of the learner alone.
            double[] after = alone.measure();
            double[] compute = {2 / (1 / before[0] + 1 / after[0]), (before[1] + after[1]) / 2};
            options.progress().printf(java.util.Locale.ROOT,
                    "compute only again: %,.0f events/s (%,.0f before, %,.0f after the pipeline)%n", compute[0],
                    before[0], after[0]);
            options.progress().printf(java.util.Locale.ROOT,
                    "checkpoints: %d completed, median %.0f ms, median size %,.0f bytes%n",
                    measuredCheckpoints.completed(), measuredCheckpoints.p50DurationMillis(),
                    measuredCheckpoints.p50StateBytes());
            options.progress().printf(java.util.Locale.ROOT,
                    "pipeline: %,.0f events/s (%.0f%% of compute only), %.1f us task CPU per event, checkpoints "
                            + "every %d ms, %s; JIT %.2f cores during the run%n", throughput[0],
                    100 * throughput[0] / compute[0], throughput[1] * 1e6, throughputInterval,
                    org.okrtrl.job.config.Choices.label(job.stateBackend), jitCores);
            List<Latency> latencies = new ArrayList<>();
            for (Duration interval : options.checkpointIntervals()) {
                Latency l = latency(kafka, checkpoints, interval, options.latencyRate(throughput[0]));
                latencies.add(l);
                options.progress().printf(java.util.Locale.ROOT,
                        "latency at %,.0f events/s offered, checkpoints every %d ms: p50 %.0f ms, p99 %.0f ms "
                                + "(%,d events)%n", l.eventsPerSecondOffered(), l.checkpointIntervalMillis(),
                        l.p50Millis(), l.p99Millis(), l.events());
            }
            return new Result(throughput[0], compute[0], throughput[1], compute[1], throughputInterval,
                    org.okrtrl.job.config.Choices.label(job.stateBackend), measuredCheckpoints, latencies, before[0],
                    after[0], warmUp, jitCores);
        } finally {
            LocalPipeline.deleteRecursively(checkpoints);
        }
    }

    private JobConfig freshJob(EmbeddedKafka kafka, Path checkpoints, Duration interval) throws Exception {
        JobConfig job = options.job();
        job.bootstrapServers = kafka.bootstrapServers();
        String suffix = "-" + (++round);
        job.inputTopic = "bench-input" + suffix;
        job.predictionsTopic = "bench-predictions" + suffix;
        job.deadLetterTopic = "bench-dead-letters" + suffix;
        job.modelTopic = "bench-model" + suffix;
        job.transactionalIdPrefix = "bench" + suffix;
        job.groupId = "bench" + suffix;
        job.startingOffsets = org.okrtrl.job.config.StartingOffsets.EARLIEST;
        job.checkpointInterval = interval;
        job.checkpointDir = checkpoints.resolve("round" + round).toUri().toString();
        job.validate();
        kafka.createTopics(1, job.inputTopic, job.predictionsTopic, job.deadLetterTopic);
        kafka.createModelTopic(1, job.modelTopic);
        return job;
    }

    private JobClient start(JobConfig job) throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 1);
        conf.set(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED, true);
        restPort = org.okrtrl.embedded.Ports.freePort();
        conf.set(org.apache.flink.configuration.RestOptions.PORT, restPort);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        OkrtrlJob.build(env, job, OkrtrlJob.Io.kafka(job), java.util.function.UnaryOperator.identity());
        return env.executeAsync("okrtrl bench pipeline");
    }

    /** Milliseconds the JVM's compilers have spent so far (summed over compiler threads). */
    private static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** The measured part of a throughput run, and the warm-up in front of it. */
    private record Throughput(double eventsPerSecond, double taskCpuSecondsPerEvent, double jitCores, WarmUp warmUp) {}

    /**
     * Steady-state events per second and task CPU seconds per event: one job over a preloaded
     * backlog, whose first part is the warm-up (see the class comment) and whose next
     * {@code events} predictions are measured from their 10th to their 90th percentile.
     */
    private Throughput throughput(EmbeddedKafka kafka, Path checkpoints, Duration interval) throws Exception {
        JobConfig job = freshJob(kafka, checkpoints, interval);
        long events = options.events();
        long warmUpBacklog = Math.max(events, 4_000_000L);
        long produced = produce(job, warmUpBacklog + events, Double.POSITIVE_INFINITY, null);
        warmUpBacklog = produced - events;
        options.progress().printf("%,d events over %d keys in the input topic; starting the job%n", produced,
                options.keys());
        long start = System.nanoTime();
        long warmUpLimit = start + options.warmUpLimit().toNanos();
        JobClient client = start(job);
        long[] arrivals = new long[(int) events];
        long p10 = events / 10;
        long p90 = events * 9 / 10;
        long[] cpuAt = new long[2];
        long count = 0;
        long measuredFrom = -1;
        long windowStart = start;
        long jitAtWindowStart = jitMillis();
        double jitShare = Double.NaN;
        WarmUp warmUp = null;
        long jitAtMeasureStart = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(job)) {
            long deadline = start + Duration.ofMinutes(30).toNanos();
            while ((measuredFrom < 0 || count - measuredFrom < events) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (measuredFrom >= 0) {
                        long i = count - measuredFrom;
                        if (i < events) {
                            arrivals[(int) i] = System.nanoTime();
                        }
                        if (i + 1 == p10) {
                            cpuAt[0] = taskCpuNanos();
                        } else if (i + 1 == p90) {
                            cpuAt[1] = taskCpuNanos();
                        }
                    }
                    count++;
                }
                long now = System.nanoTime();
                if (measuredFrom < 0 && now - windowStart >= JIT_WINDOW.toNanos()) {
                    long jit = jitMillis();
                    jitShare = (jit - jitAtWindowStart) / ((now - windowStart) / 1e6);
                    jitAtWindowStart = jit;
                    windowStart = now;
                }
                boolean settled = jitShare < JIT_SETTLED_CORES && count >= events / 4;
                // A poll returns up to MAX_POLL_RECORDS, so the warm-up ends that far before its backlog
                // does, leaving at least events predictions to measure.
                boolean backlogDone = count + MAX_POLL_RECORDS >= warmUpBacklog;
                if (measuredFrom < 0 && (settled || now >= warmUpLimit || backlogDone)) {
                    measuredFrom = count;
                    warmUp = new WarmUp((now - start) / 1e9, count / ((now - start) / 1e9), jitShare);
                    jitAtMeasureStart = jitMillis();
                    start = now;
                }
            }
            if (measuredFrom < 0 || count - measuredFrom < events) {
                throw new IllegalStateException("only " + count + " of " + produced + " predictions arrived");
            }
            lastCheckpoints = checkpointStatistics(client.getJobID().toHexString());
        } finally {
            client.cancel().get();
        }
        double jitCores = (jitMillis() - jitAtMeasureStart) / ((System.nanoTime() - start) / 1e6);
        double seconds = (arrivals[(int) p90 - 1] - arrivals[(int) p10 - 1]) / 1e9;
        long measured = p90 - p10;
        return new Throughput(measured / seconds, (cpuAt[1] - cpuAt[0]) / 1e9 / measured, jitCores, warmUp);
    }

    /** The job's checkpoint statistics from the MiniCluster's REST endpoint (NaN where it has none). */
    private Checkpoints checkpointStatistics(String jobId) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + restPort + "/jobs/"
                            + jobId + "/checkpoints")).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            JsonNode stats = new ObjectMapper().readTree(response.body());
            JsonNode summary = stats.path("summary");
            return new Checkpoints(stats.path("counts").path("completed").asLong(0),
                    summary.path("end_to_end_duration").path("p50").asDouble(Double.NaN),
                    summary.path("state_size").path("p50").asDouble(Double.NaN));
        } catch (java.io.IOException | RuntimeException e) {
            return new Checkpoints(0, Double.NaN, Double.NaN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Checkpoints(0, Double.NaN, Double.NaN);
        }
    }

    /** Latency of committed predictions at a steady offered rate. */
    private Latency latency(EmbeddedKafka kafka, Path checkpoints, Duration interval, double rate) throws Exception {
        JobConfig job = freshJob(kafka, checkpoints, interval);
        JobClient client = start(job);
        ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();
        long total = (long) (rate * options.latencyDuration().toSeconds());
        AtomicBoolean done = new AtomicBoolean();
        // Let the job come up before offering load, so start-up is not measured as latency.
        Thread.sleep(5_000);
        Thread producer = new Thread(() -> {
            try {
                produce(job, total, rate, sentAt);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                done.set(true);
            }
        }, "bench-producer");
        producer.start();
        List<Double> millis = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(job)) {
            long count = 0;
            long deadline = System.nanoTime() + options.latencyDuration().toNanos() + Duration.ofMinutes(3).toNanos();
            while ((!done.get() || count < total) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    count++;
                    JsonNode p = JSON.readTree(r.value());
                    Long sent = sentAt.get(p.get("key").asText() + "/" + p.get("seq").asLong());
                    if (sent != null) {
                        millis.add((double) (now - sent));
                    }
                }
            }
        } finally {
            producer.join();
            client.cancel().get();
        }
        // The first tenth is the job finding its pace; the rest is steady state.
        List<Double> steady = millis.subList(millis.size() / 10, millis.size());
        double[] sorted = steady.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Latency(interval.toMillis(), rate, sorted.length, percentile(sorted, 0.50),
                percentile(sorted, 0.99));
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    /**
     * Produces events over the keys in records of charsPerRecord characters; at a finite rate the
     * records are paced; sentAt (if given) records each record's timestamp under "key/seq".
     */
    private long produce(JobConfig job, long events, double rate, ConcurrentHashMap<String, Long> sentAt)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, job.bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, Double.isInfinite(rate) ? "20" : "0");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-producer-" + round);
        int keys = options.keys();
        Corpus[] corpora = new Corpus[keys];
        long[] seq = new long[keys];
        for (int k = 0; k < keys; k++) {
            corpora[k] = Corpus.generated(1000 + k);
        }
        long produced = 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            int k = 0;
            while (produced < events) {
                String text = corpora[k].next((int) Math.min(options.charsPerRecord(), events - produced));
                String key = "key-" + k;
                if (!Double.isInfinite(rate)) {
                    long due = start + (long) (produced / rate * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                long now = System.currentTimeMillis();
                if (sentAt != null) {
                    sentAt.put(key + "/" + seq[k], now);
                }
                byte[] value = ("{\"seq\": " + seq[k]++ + ", \"text\": " + JSON.writeValueAsString(text) + "}")
                        .getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(job.inputTopic, null, now, key.getBytes(StandardCharsets.UTF_8),
                        value));
                produced += text.codePointCount(0, text.length());
                k = (k + 1) % keys;
            }
            producer.flush();
        }
        return produced;
    }

    private KafkaConsumer<byte[], byte[]> consumer(JobConfig job) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, job.bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + round);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(job.predictionsTopic));
        return consumer;
    }

    /**
     * CPU time of the job's threads: Flink's task threads (named "<tasks> (i/p)#attempt") and its
     * Kafka source fetchers. The broker, this benchmark's producer and consumer are not counted.
     */
    static long taskCpuNanos() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            if (name.matches(".*\\(\\d+/\\d+\\)#\\d+.*") || name.startsWith("Source Data Fetcher")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }
}
