package org.okrtrl.local;

import org.okrtrl.embedded.EmbeddedKafka;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.okrtrl.job.config.JobConfig;
import org.okrtrl.job.OkrtrlJob;
import org.okrtrl.job.export.SharedModelReader;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.operators.KeyState;
import org.okrtrl.operators.KeyStateSerializer;
import org.okrtrl.operators.StreamKeyState;
import org.okrtrl.operators.StreamKeyStateSerializer;
import org.okrtrl.operators.replication.StoredReplica;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.memory.DataOutputSerializer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole product on one machine: a real Kafka broker in this JVM, Flink's MiniCluster running
 * the job, a producer streaming a corpus across several keys, and a reader of the committed
 * predictions and dead letters that reports progress.
 */
public final class LocalPipeline {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int WINDOW = 1000;

    /**
     * What the local run is asked to do: a text corpus (null: the built-in generator) or, for a
     * real-valued job, a series (null otherwise) with its seasonal-naive lag (0: none).
     */
    public record Options(JobConfig job, Path corpus, long maxEvents, int keys, int charsPerRecord,
            double badRecordRate, Path summaryJson, PrintStream progress, SeriesFile.Series series, int season,
            Path exportModel) {
        public Options(JobConfig job, Path corpus, long maxEvents, int keys, int charsPerRecord, double badRecordRate,
                Path summaryJson, PrintStream progress) {
            this(job, corpus, maxEvents, keys, charsPerRecord, badRecordRate, summaryJson, progress, null, 0, null);
        }
    }

    /**
     * The final figures; forecast holds a real-valued run's errors (null for text), and
     * firstDeadLetter the reason of the first dead letter (null if none).
     */
    public record Summary(long eventsIn, long recordsIn, long badRecordsIn, long predictionsOut, long deadLetters,
            double bitsStart, double bitsEnd, double seconds, SharedModelCheck shared, double bitsTail, long tailSteps,
            ForecastScore.Figures forecast, String firstDeadLetter) {}

    /**
     * The shared model after the run, read from a final savepoint: how far the replicas are
     * apart, how many updates they published and applied, and whether the ledgers match the
     * model topic.
     */
    public record SharedModelCheck(int replicas, double maxRelativeDifference, long updatesPublished,
            long updatesApplied, List<String> ledgerProblems) {}

    private final Options options;
    private SharedModelCheck summaryShared;
    private final AtomicLong eventsProduced = new AtomicLong();
    private final AtomicLong recordsProduced = new AtomicLong();
    private final AtomicLong badProduced = new AtomicLong();
    private final AtomicLong predictions = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicBoolean producerDone = new AtomicBoolean();
    private final double[] recentBits = new double[WINDOW];
    /** Every scored step's bits in arrival order, for the tail window. */
    private double[] allBits = new double[1 << 16];
    private double bitsStartSum;
    private long bitsStartCount;
    private long scored;

    private final ForecastScore forecast;
    private volatile String firstDeadLetter;

    public LocalPipeline(Options options) {
        this.options = options;
        this.forecast = options.series() != null ? new ForecastScore(options.season(), WINDOW, MIN_TAIL) : null;
    }

    private JobMetricsProbe probe;
    /** The largest exchangeLagPublications any replica reported (sampled with the progress line). */
    private double exchangeLagMax = Double.NaN;
    private final List<long[]> trainedSamples = new ArrayList<>();
    private long lastTrained;
    private long lastTrainedAt;
    private double trainedRate;

    public Summary run() throws Exception {
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig job = options.job();
            job.bootstrapServers = kafka.bootstrapServers();
            String id = UUID.randomUUID().toString().substring(0, 8);
            job.transactionalIdPrefix = "local-" + id;
            job.startingOffsets = org.okrtrl.job.config.StartingOffsets.EARLIEST;
            int parallelism = job.parallelism != null ? job.parallelism : 2;
            job.parallelism = parallelism;
            if (job.checkpointInterval == null) {
                // Exactly-once output appears at each checkpoint: keep a local run lively.
                job.checkpointInterval = Duration.ofSeconds(2);
            }
            Path checkpoints = null;
            if (job.checkpointDir == null) {
                // Many keys' influence factors outgrow the JobManager's in-memory checkpoint storage.
                checkpoints = Files.createTempDirectory("okrtrl-local-checkpoints");
                job.checkpointDir = checkpoints.toUri().toString();
            }
            job.validate();
            kafka.createTopics(parallelism, job.inputTopic, job.predictionsTopic, job.deadLetterTopic);
            if (job.sharedModel()) {
                kafka.createModelTopic(parallelism, job.modelTopic);
            }

            Configuration conf = new Configuration();
            // Network buffers sized to about a second of throughput, so a checkpoint barrier (and
            // with it every exactly-once commit) is not queued behind tens of thousands of events.
            conf.set(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED, true);
            // The web UI's REST API (on a free port) tells the progress line what the job has trained.
            int restPort = org.okrtrl.embedded.Ports.freePort();
            conf.set(org.apache.flink.configuration.RestOptions.PORT, restPort);
            conf.set(org.apache.flink.configuration.MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
            conf.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, parallelism);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            env.setParallelism(parallelism);
            OkrtrlJob.build(env, job, OkrtrlJob.Io.kafka(job), java.util.function.UnaryOperator.identity());
            JobClient client = env.executeAsync("okrtrl local");
            probe = new JobMetricsProbe(restPort, client.getJobID().toHexString());

            Thread producer = new Thread(() -> produce(kafka.bootstrapServers(), job), "corpus-producer");
            producer.setDaemon(true);
            producer.start();
            SharedModelCheck check = null;
            boolean stopped = false;
            try {
                consume(kafka.bootstrapServers(), job, started);
                if (job.sharedModel()) {
                    check = drainAndCheck(kafka, job, client);
                    stopped = true;
                }
            } finally {
                if (!stopped) {
                    client.cancel().get();
                }
            }
            producer.join(10_000);
            summaryShared = check;
            if (checkpoints != null) {
                deleteRecursively(checkpoints);
            }
        }
        Summary summary = new Summary(eventsProduced.get(), recordsProduced.get(), badProduced.get(),
                predictions.get(), deadLetters.get(), bitsStartCount > 0 ? bitsStartSum / bitsStartCount : Double.NaN,
                recentMean(), (System.nanoTime() - started) / 1e9, summaryShared, tailMean(), tailSteps(),
                forecast != null ? forecast.figures() : null, firstDeadLetter);
        report(summary);
        return summary;
    }

    /**
     * Lets the last model updates travel (the model topic quiet for three checkpoint intervals),
     * stops the job with a savepoint and reads the replicas from it.
     */
    private SharedModelCheck drainAndCheck(EmbeddedKafka kafka, JobConfig job, JobClient client) throws Exception {
        options.progress().println("draining the model topic and stopping with a savepoint ...");
        Model shape = job.learnerSpec().createShared(0, 1, false).shared().model();
        String fingerprint = job.trainingConfig().modelFingerprint();
        Duration quiet = job.checkpointInterval.multipliedBy(3).compareTo(Duration.ofSeconds(3)) > 0
                ? job.checkpointInterval.multipliedBy(3) : Duration.ofSeconds(3);
        Map<Long, List<Long>> onTopic = SharedModelReader.committedUpdates(kafka.bootstrapServers(), job.modelTopic,
                fingerprint, shape.w.length, shape.v.length, quiet);
        Path savepoints = Files.createTempDirectory("okrtrl-local-savepoint");
        try {
            String savepoint = client.stopWithSavepoint(false, savepoints.toUri().toString(),
                    SavepointFormatType.CANONICAL).get(5, TimeUnit.MINUTES);
            List<StoredReplica> replicas = SharedModelReader.replicas(savepoint);
            if (options.exportModel() != null) {
                exportModel(job, replicas);
            }
            long published = 0;
            long applied = 0;
            for (StoredReplica r : replicas) {
                published += r.published();
                applied += r.applied();
            }
            return new SharedModelCheck(replicas.size(), SharedModelReader.maxRelativeDifference(replicas), published,
                    applied, SharedModelReader.ledgerProblems(replicas, onTopic));
        } finally {
            deleteRecursively(savepoints);
        }
    }

    /** Writes the model the run ended with (the lowest subtask's replica; the replicas agree) as DIR/model.json. */
    private void exportModel(JobConfig job, List<StoredReplica> replicas) throws IOException {
        StoredReplica base = replicas.stream().min(java.util.Comparator.comparingInt(StoredReplica::subtask))
                .orElseThrow();
        Files.createDirectories(options.exportModel());
        Path file = options.exportModel().resolve("model.json");
        org.okrtrl.job.export.ModelFiles.of(job, base.w(), base.v()).write(file);
        options.progress().println("model written to " + file);
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Serialised bytes of one key's state for this job's configuration (every key's is the same size). */
    static long stateBytesPerKey(JobConfig job) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        if (job.sharedModel()) {
            SharedLearner learner = job.learnerSpec().createShared(job.seed, 1, false);
            new StreamKeyStateSerializer(job.learnerSpec()).serialize(new StreamKeyState(1, learner.newStream(1)), out);
        } else {
            KeyStateSerializer.INSTANCE.serialize(KeyState.fresh(job.learnerSpec(), 1), out);
        }
        return out.length();
    }

    private void produce(String bootstrap, JobConfig job) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        if (options.series() != null) {
            try {
                new SeriesProducer(options.series(), options.keys(), options.maxEvents(), options.badRecordRate())
                        .produce(props, job.inputTopic, forecast, recordsProduced, badProduced, eventsProduced);
            } finally {
                producerDone.set(true);
            }
            return;
        }
        try {
            new TextProducer(options.corpus(), options.keys(), options.maxEvents(), options.charsPerRecord(),
                    options.badRecordRate()).produce(props, job.inputTopic, recordsProduced, badProduced, eventsProduced);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            producerDone.set(true);
        }
    }

    private void consume(String bootstrap, JobConfig job, long started) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "local-monitor");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long lastPrint = 0;
        long lastCount = 0;
        long lastTime = System.nanoTime();
        double rate = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(job.predictionsTopic, job.deadLetterTopic));
            long idleSince = System.nanoTime();
            while (true) {
                boolean got = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    got = true;
                    if (r.topic().equals(job.deadLetterTopic)) {
                        deadLetters.incrementAndGet();
                        if (firstDeadLetter == null) {
                            firstDeadLetter = deadLetterReason(r.value());
                        }
                    } else {
                        predictions.incrementAndGet();
                        observe(r.value());
                    }
                }
                long now = System.nanoTime();
                if (got) {
                    idleSince = now;
                }
                if (now - lastPrint > 1_000_000_000L) {
                    double dt = (now - lastTime) / 1e9;
                    rate = (predictions.get() - lastCount) / dt;
                    lastCount = predictions.get();
                    lastTime = now;
                    lastPrint = now;
                    printProgress(rate, (now - started) / 1e9);
                }
                boolean allIn = producerDone.get() && predictions.get() >= eventsProduced.get()
                        && deadLetters.get() >= badProduced.get();
                boolean stalled = producerDone.get() && now - idleSince > Duration.ofSeconds(120).toNanos();
                boolean allRejected = producerDone.get() && predictions.get() == 0
                        && deadLetters.get() >= recordsProduced.get() + badProduced.get();
                if (allIn || stalled || allRejected) {
                    printProgress(rate, (now - started) / 1e9);
                    options.progress().println();
                    return;
                }
            }
        }
    }

    private static String deadLetterReason(byte[] value) {
        try {
            JsonNode reason = JSON.readTree(value).get("reason");
            return reason != null ? reason.asText() : "(no reason given)";
        } catch (IOException e) {
            return "(unreadable dead letter)";
        }
    }

    private void observe(byte[] value) {
        JsonNode p;
        try {
            p = JSON.readTree(value);
        } catch (IOException e) {
            return;
        }
        if (forecast != null) {
            JsonNode error = p.get("squared_error");
            if (error != null && error.isNumber()) {
                forecast.observe(p.get("key").asText(), p.get("seq").asLong(), error.asDouble());
            }
            return;
        }
        JsonNode bits = p.get("surprise_bits");
        if (bits == null || bits.isNull()) {
            return;
        }
        double b = bits.asDouble();
        if (scored < WINDOW) {
            bitsStartSum += b;
            bitsStartCount++;
        }
        recentBits[(int) (scored % WINDOW)] = b;
        if (scored == allBits.length) {
            allBits = java.util.Arrays.copyOf(allBits, allBits.length * 2);
        }
        allBits[(int) scored] = b;
        scored++;
    }

    /**
     * The tail window: the last 5% of the scored steps, at least {@link #MIN_TAIL} of them (all
     * of them when fewer were scored), large enough to compare runs.
     */
    private long tailSteps() {
        return Math.min(scored, Math.max(MIN_TAIL, scored / 20));
    }

    static final int MIN_TAIL = 10_000;

    private double tailMean() {
        long n = tailSteps();
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (long i = scored - n; i < scored; i++) {
            sum += allBits[(int) i];
        }
        return sum / n;
    }

    private double recentMean() {
        int n = (int) Math.min(scored, WINDOW);
        if (n == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += recentBits[i];
        }
        return s / n;
    }

    private void printProgress(double rate, double seconds) {
        long trained = probe != null ? probe.sum("okrtrl.events") : -1;
        if (probe != null && options.job().parallelism > 1) {
            double lag = probe.max("okrtrl.exchangeLagPublications");
            if (Double.isFinite(lag)) {
                exchangeLagMax = Double.isNaN(exchangeLagMax) ? lag : Math.max(exchangeLagMax, lag);
            }
        }
        long now = System.nanoTime();
        if (trained >= 0) {
            trainedSamples.add(new long[] {now, trained});
            if (lastTrainedAt != 0 && now > lastTrainedAt) {
                trainedRate = (trained - lastTrained) / ((now - lastTrainedAt) / 1e9);
            }
            lastTrained = trained;
            lastTrainedAt = now;
        }
        String quality = forecast != null
                ? String.format(Locale.ROOT, "MSE %.4g vs persistence %.4g (last %d)", forecast.recentModel(),
                        forecast.recentPersistence(), Math.min(forecast.scored(), WINDOW))
                : String.format(Locale.ROOT, "bits/char %.3f (last %d)", recentMean(), Math.min(scored, WINDOW));
        options.progress().printf(Locale.ROOT,
                "\r%6.1fs  events in %,d  trained %s (%,.0f/s)  committed predictions %,d  %s  dead letters %,d   ",
                seconds, eventsProduced.get(), trained >= 0 ? String.format(Locale.ROOT, "%,d", trained) : "-",
                trainedRate, predictions.get(), quality, deadLetters.get());
        options.progress().flush();
    }

    /** Events trained per second between 10% and 90% of the total, from the metric samples; 0 if too few. */
    private double steadyTrainingRate() {
        if (trainedSamples.isEmpty()) {
            return 0;
        }
        long total = trainedSamples.get(trainedSamples.size() - 1)[1];
        long[] from = null;
        long[] to = null;
        for (long[] sample : trainedSamples) {
            if (from == null && sample[1] >= total / 10) {
                from = sample;
            }
            if (to == null && sample[1] >= total * 9 / 10) {
                to = sample;
            }
        }
        if (from == null || to == null || to[0] <= from[0]) {
            return 0;
        }
        return (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
    }

    private void report(Summary s) throws IOException {
        LocalReport.write(options, s, Math.min(scored, WINDOW), steadyTrainingRate(), exchangeLagMax);
    }

    static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }
}
