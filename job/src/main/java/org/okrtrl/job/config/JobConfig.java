package org.okrtrl.job.config;

import org.okrtrl.core.Algorithm;
import org.okrtrl.core.cell.CellType;
import org.okrtrl.core.train.OptimizerType;

import java.time.Duration;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Defaults;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.operators.RealValued;
import org.okrtrl.operators.RecordParser;
import org.okrtrl.operators.TrainingConfig;
import org.okrtrl.operators.Vocabulary;
import org.okrtrl.operators.replication.MergeRule;
import picocli.CommandLine.Option;

/**
 * The job's command-line flags, with defaults that run. Used as a picocli mixin by the job's
 * main class and by {@code bin/okrtrl local}. {@link #validate()} turns every inconsistent value
 * into an {@link IllegalArgumentException} naming the flag.
 */
public class JobConfig {
    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", description = "Kafka bootstrap servers.")
    public String bootstrapServers;

    @Option(names = "--input-topic", defaultValue = "okrtrl-input", description = "Topic of input sequences.")
    public String inputTopic;

    @Option(names = "--predictions-topic", defaultValue = "okrtrl-predictions", description = "Topic of predictions.")
    public String predictionsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "okrtrl-dead-letters", description = "Topic of rejected records.")
    public String deadLetterTopic;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "A Kafka client property for the source, the sinks and the model topic, e.g. "
                    + "security.protocol=SASL_SSL (repeatable).")
    public java.util.Map<String, String> kafkaProperties = new java.util.LinkedHashMap<>();

    @Option(names = "--group-id", defaultValue = "okrtrl", description = "Kafka consumer group.")
    public String groupId;

    @Option(converter = Choices.StartingOffsetsConverter.class, names = "--starting-offsets", defaultValue = "committed",
            description = "committed (falling back to earliest), earliest or latest.")
    public StartingOffsets startingOffsets;

    @Option(names = "--model", defaultValue = "shared", converter = Choices.ModelConverter.class,
            description = "shared (one model learned from all keys) or per-key (every key its own model).")
    public ModelMode model;

    @Option(names = "--batch-events", description = "Shared model: events (from any keys) per optimiser step, on "
            + "their mean gradient (default: " + Defaults.BATCH_EVENTS + " for symbol streams, "
            + Defaults.REAL_BATCH_EVENTS + " for real-valued ones).")
    public Integer batchEvents;

    @Option(names = "--model-topic", defaultValue = "okrtrl-model",
            description = "Shared model: the topic through which parallel instances exchange parameter updates.")
    public String modelTopic;

    @Option(names = "--model-id", defaultValue = "okrtrl",
            description = "Shared model: its name on the model topic; updates of other models are rejected.")
    public String modelId;

    @Option(names = "--algo", defaultValue = "ok:8", converter = Choices.AlgorithmConverter.class,
            description = "rtrl, ok:R, kf, uoro or tbptt:T.")
    public Algorithm algorithm;

    @Option(names = "--cell", defaultValue = "rhn", converter = Choices.CellConverter.class,
            description = "rnn or rhn.")
    public CellType cell;

    @Option(names = "--hidden", description = "Hidden units n (default: " + SYMBOL_HIDDEN + " for symbol streams, "
            + Defaults.REAL_HIDDEN + " for real-valued ones).")
    public Integer hidden;

    /** The hidden size of a symbol job unless --hidden says otherwise. */
    public static final int SYMBOL_HIDDEN = 64;

    @Option(names = "--optimizer", defaultValue = "adam", converter = Choices.OptimizerConverter.class,
            description = "adam or sgd.")
    public OptimizerType optimizer;

    @Option(names = "--learning-rate",
            description = "Learning rate (default: for adam " + Defaults.NARROW_LEARNING_RATE + " up to --hidden "
                    + Defaults.NARROW_HIDDEN + ", falling geometrically to " + Defaults.ADAM_LEARNING_RATE + " at --hidden "
                    + Defaults.REFERENCE_HIDDEN + " (0.00133 at 64), times " + Defaults.RATE_PER_DOUBLING + " per doubling of --hidden above, and "
                    + Defaults.REAL_LEARNING_RATE + " for real-valued streams; for sgd " + Defaults.SGD_LEARNING_RATE
                    + ").")
    public Double learningRate;

    @Option(names = "--adam-beta2",
            description = "Adam's second-moment decay (default: " + Defaults.ADAM_BETA2_WIDE + " for r-OK, RTRL, KF "
                    + "and UORO on symbol streams with --hidden above " + Defaults.NARROW_HIDDEN + " or a --learning-rate "
                    + "above " + Defaults.ADAM_LEARNING_RATE + ", " + Defaults.ADAM_BETA2 + " otherwise, for TBPTT and "
                    + "for real-valued streams; docs/RESULTS.md 0k, 0m, 0n).")
    public Double adamBeta2;

    @Option(names = "--clip", description = "Gradient clipping by global norm, 0: off (default: " + Defaults.CLIP_NORM
            + " for symbol streams, " + Defaults.REAL_CLIP_NORM + " for real-valued ones).")
    public Double clip;

    @Option(names = "--init-scale", defaultValue = "" + Defaults.INIT_SCALE, converter = Choices.InitScaleConverter.class,
            description = "Standard deviation of the initial weights of the cell and the readout, or fan-in for "
                    + "uniform weights in +-sqrt(3 / fan-in).")
    public double initScale;

    @Option(names = "--precision", converter = Choices.PrecisionConverter.class,
            description = "float or double: the type r-OK (--algo ok:R) keeps its influence factors in (default: "
                    + "float for r-OK, which halves the state per key and runs the factor passes in float kernels at "
                    + "the same learning quality, docs/PERFORMANCE.md; every other algorithm runs in double, and "
                    + "float is refused for them). A restore with another precision converts the stored factors.")
    public org.okrtrl.core.influence.Precision precision;

    /** --precision, or the default for the algorithm ({@link Defaults#precisionFor}). */
    public org.okrtrl.core.influence.Precision effectivePrecision() {
        return precision != null ? precision : Defaults.precisionFor(algorithm);
    }

    @Option(names = "--merge", defaultValue = "auto", converter = Choices.MergeConverter.class,
            description = "Shared model at parallelism P > 1: how replicas combine their updates: auto (the "
                    + "default) or scaled: the mean, each replica stepping at min(P, 8) times --learning-rate and "
                    + "holding the steps it gives up until its peers' steps of the same time arrive; sum, mean or "
                    + "sqrt. docs/RESULTS.md sections 0f-0h measure them: through the job scaled matches one "
                    + "replica at 2 and comes within 0.05 bits at 4 in most runs; the sum diverges from 4 on, the "
                    + "mean moves as if the learning rate were divided by P.")
    public MergeRule merge;

    @Option(names = "--model-sync-every", defaultValue = "" + DEFAULT_MODEL_SYNC_EVERY,
            description = "Shared model at parallelism > 1: events of its own a replica processes between "
                    + "publications of its steps to the model topic (it also publishes at every checkpoint); "
                    + "0: at checkpoints only. The longer the interval, the more bits per character replicas cost "
                    + "(docs/RESULTS.md section 0); with --merge auto or scaled at parallelism 8 or more, intervals "
                    + "above about 10,000 events diverged offline (the job warns).")
    public long modelSyncEvery;

    @Option(names = "--update-every", defaultValue = "1", description = "Apply the gradient every k steps.")
    public int updateEvery;

    @Option(names = "--carry-bias", defaultValue = "" + Defaults.CARRY_BIAS,
            description = "Initial carry-gate bias of the rhn cell.")
    public double carryBias;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every key's initial model and random signs.")
    public long seed;

    @Option(names = "--vocab", description = "Symbol streams: chars:<characters>|chars:ascii, tokens:<a,b,..>, "
            + "tokens:@<file> or hash:<V> (default: " + Vocabulary.DEFAULT_SPEC + ").")
    public String vocabulary;

    @Option(names = "--real-inputs", defaultValue = "0",
            description = "Train on real-valued steps with x of this size (0: symbol streams).")
    public int realInputs;

    @Option(names = "--real-outputs", defaultValue = "0", description = "Size of y for real-valued steps.")
    public int realOutputs;

    @Option(names = "--initial-model", description = "Start a job without state from this exported model (model.json "
            + "of export-model or local --export-model), read where the job is submitted; its cell, sizes and "
            + "vocabulary must be this job's. A restored job keeps its restored model.")
    public java.nio.file.Path initialModel;

    @Option(names = "--learn", defaultValue = "true", arity = "1",
            description = "false: score every step with a fixed model (from --initial-model or a savepoint), write "
                    + "predictions, never change or publish the model; only per-stream state is kept.")
    public boolean learn;

    @Option(names = "--real-task", defaultValue = "regress", converter = Choices.RealTaskConverter.class,
            description = "Real-valued steps: forecast (y is the target observed at this step; the step scores the "
                    + "previous step's forecast against it and forecasts seq + 1) or regress (y is this step's own "
                    + "target, predicted from this step's x).")
    public RealValued.Task realTask;

    @Option(names = "--forecast-target", defaultValue = "change", converter = Choices.ForecastTargetConverter.class,
            description = "With --real-task forecast: what the model learns, the next value (level) or its change "
                    + "from the value just observed (change: an untrained model forecasts persistence).")
    public RealValued.ForecastTarget forecastTarget;

    @Option(names = "--standardize", defaultValue = "true", arity = "1",
            description = "Real-valued steps: standardise each stream's x and y by their running mean and standard "
                    + "deviation (kept in the stream's state); outputs and errors stay in y's units.")
    public boolean standardize;

    @Option(names = "--target-names", split = ",",
            description = "Real-valued steps: names of y's components, echoed in predictions (default: y[0], y[1], ..).")
    public java.util.List<String> targetNames;

    @Option(converter = Choices.InputFormatConverter.class, names = "--input-format", defaultValue = "json", description = "json or text (the whole value is characters).")
    public RecordParser.InputFormat inputFormat;

    @Option(names = "--max-record-bytes", defaultValue = "1048576", description = "Larger values are dead-lettered.")
    public int maxRecordBytes;

    @Option(names = "--max-steps-per-record", defaultValue = "100000", description = "Longer records are dead-lettered.")
    public int maxStepsPerRecord;

    @Option(names = "--max-key-bytes", defaultValue = "1024",
            description = "Longer keys (stream ids) are dead-lettered: predictions echo the key.")
    public int maxKeyBytes;

    @Option(names = "--max-seq-jump", defaultValue = "1000000",
            description = "A seq more than this past the key's last one is dead-lettered (reset: true restarts numbering).")
    public long maxSeqJump;

    @Option(names = "--dead-letter-max-bytes", defaultValue = "65536",
            description = "Prefix of a rejected key and value kept in its dead letter (with full length and SHA-256).")
    public int deadLetterMaxBytes;

    @Option(names = "--idle-key-ttl", converter = Choices.DurationConverter.class,
            description = "Drop a key's state when it has not been written for this long (e.g. 7d or P7D; "
                    + "default: never). A key that returns later starts afresh.")
    public Duration idleKeyTtl;

    @Option(converter = Choices.GapPolicyConverter.class, names = "--gap-policy", defaultValue = "reset", description = "reset or continue after a sequence gap.")
    public TrainingConfig.GapPolicy gapPolicy;

    @Option(names = "--top-k", description = "Symbol streams: next-symbol probabilities reported per step (default: "
            + DEFAULT_TOP_K + ").")
    public Integer topK;

    /** Next symbols a symbol job reports unless --top-k says otherwise. */
    public static final int DEFAULT_TOP_K = 3;

    /** Used when neither the flag nor the cluster sets a checkpoint interval: exactly-once output needs one. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    @Option(names = "--checkpoint-interval", converter = Choices.DurationConverter.class,
            description = "e.g. 10s or PT10S (default: the cluster's execution.checkpointing.interval, else 10 s).")
    public Duration checkpointInterval;

    @Option(names = "--checkpoint-dir", description = "Checkpoint directory URI (default: the cluster's).")
    public String checkpointDir;

    @Option(converter = Choices.StateBackendConverter.class, names = "--state-backend", description = "hashmap or rocksdb (default: the cluster's; hashmap locally).")
    public StateBackendChoice stateBackend;

    @Option(names = "--parallelism", description = "Job parallelism (default: the cluster's).")
    public Integer parallelism;

    @Option(names = "--max-parallelism",
            description = "Key groups; fixed for the job's life (default: the cluster's pipeline.max-parallelism, "
                    + "else Flink's, 128 for small parallelism).")
    public Integer maxParallelism;

    @Option(converter = Choices.DeliveryConverter.class, names = "--delivery-guarantee", defaultValue = "exactly-once",
            description = "Delivery of the predictions and dead-letter topics unless --predictions-delivery or "
                    + "--dead-letter-delivery says otherwise: exactly-once, at-least-once or none. The learning state "
                    + "and the model topic are exactly-once whatever this says.")
    public org.apache.flink.connector.base.DeliveryGuarantee deliveryGuarantee;

    @Option(converter = Choices.DeliveryConverter.class, names = "--predictions-delivery",
            description = "Delivery of the predictions topic (default: --delivery-guarantee). exactly-once: a "
                    + "prediction is visible when the checkpoint after it commits, never twice; at-least-once: "
                    + "within milliseconds, and after a failure possibly again (same key, seq, position).")
    public org.apache.flink.connector.base.DeliveryGuarantee predictionsDelivery;

    @Option(converter = Choices.DeliveryConverter.class, names = "--dead-letter-delivery",
            description = "Delivery of the dead-letter topic (default: --delivery-guarantee).")
    public org.apache.flink.connector.base.DeliveryGuarantee deadLetterDelivery;

    @Option(names = "--buffer-timeout", converter = Choices.DurationConverter.class,
            description = "Longest time a record waits in a network buffer between operators (default: 5 ms when "
                    + "predictions are not exactly-once, else the cluster's execution.buffer-timeout.interval, "
                    + "Flink's default 100 ms).")
    public Duration bufferTimeout;

    /** How the predictions topic is written. */
    public org.apache.flink.connector.base.DeliveryGuarantee predictionsDelivery() {
        return predictionsDelivery != null ? predictionsDelivery : deliveryGuarantee;
    }

    /** How the dead-letter topic is written. */
    public org.apache.flink.connector.base.DeliveryGuarantee deadLetterDelivery() {
        return deadLetterDelivery != null ? deadLetterDelivery : deliveryGuarantee;
    }

    /** The network buffer timeout the job sets, or null to keep the cluster's. */
    public Duration effectiveBufferTimeout() {
        if (bufferTimeout != null) {
            return bufferTimeout;
        }
        return predictionsDelivery() == org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE
                ? null : LOW_LATENCY_BUFFER_TIMEOUT;
    }

    /** The buffer timeout of a job whose predictions are not held back until a checkpoint. */
    public static final Duration LOW_LATENCY_BUFFER_TIMEOUT = Duration.ofMillis(5);

    @Option(names = "--transaction-timeout", defaultValue = "10 min", converter = Choices.DurationConverter.class,
            description = "Kafka transaction timeout; at most the broker's transaction.max.timeout.ms (15 min).")
    public Duration transactionTimeout;

    @Option(names = "--model-update-key-file",
            description = "Shared model: a file of secret keys, one per line, read where the job runs: every update "
                    + "published to the model topic carries an HMAC-SHA256 tag under the first, and only updates "
                    + "with a tag valid under one of them are applied (default: the keys in the environment "
                    + "variable OKRTRL_MODEL_UPDATE_KEYS, else none: updates are not authenticated). "
                    + "docs/RELIABILITY.md: key rotation.")
    public String modelUpdateKeyFile;

    @Option(names = "--transactional-id-prefix", defaultValue = "okrtrl", description = "Prefix of the sink's transactional ids.")
    public String transactionalIdPrefix;

    /**
     * Flags as a user would give them: defaults filled in, unknown flags and malformed values
     * rejected (picocli's ParameterException), then {@link #validate()}d.
     */
    public static JobConfig fromArgs(String... args) {
        return picocli.CommandLine.populateCommand(new JobConfig(), args).validate();
    }

    /** Events per replica between model publications (chosen by measurement, docs/RESULTS.md section 0). */
    public static final long DEFAULT_MODEL_SYNC_EVERY = 256;

    /** Checks every flag; IllegalArgumentException names the first bad one. */
    public JobConfig validate() {
        resolveDefaultsByKind();
        require(!bootstrapServers.isBlank(), "--bootstrap-servers must not be empty");
        for (String key : kafkaProperties.keySet()) {
            require(!java.util.Set.of("bootstrap.servers", "isolation.level", "transactional.id", "group.id")
                    .contains(key), "--kafka-property " + key + ": set by the job (use --bootstrap-servers, "
                    + "--group-id, --transactional-id-prefix, --predictions-delivery, --dead-letter-delivery)");
        }
        require(!inputTopic.isBlank() && !predictionsTopic.isBlank() && !deadLetterTopic.isBlank(),
                "--input-topic, --predictions-topic and --dead-letter-topic must not be empty");
        require(batchEvents >= 1, "--batch-events: expected >= 1");
        require(modelSyncEvery >= 0, "--model-sync-every: expected >= 0 events");
        require(!modelTopic.isBlank(), "--model-topic must not be empty");
        require(!modelId.isBlank() && modelId.length() <= 200, "--model-id: expected 1 to 200 characters");
        require(modelId.indexOf('|') < 0, "--model-id: '|' separates the model's fingerprint fields, use another character");
        require(hidden >= 1, "--hidden: expected >= 1, got " + hidden);
        require(learningRate == null || (learningRate > 0 && Double.isFinite(learningRate)),
                "--learning-rate: expected a positive number");
        require(adamBeta2 == null || (adamBeta2 >= 0 && adamBeta2 < 1), "--adam-beta2: expected 0 <= beta2 < 1");
        require(clip >= 0 && Double.isFinite(clip), "--clip: expected >= 0");
        require(updateEvery >= 1, "--update-every: expected >= 1");
        require(targetNames == null || (realValued() && targetNames.size() == realOutputs),
                "--target-names: one name per real output (--real-outputs " + realOutputs + ")");
        require(!(realInputs > 0 && inputFormat == RecordParser.InputFormat.TEXT),
                "--input-format text carries symbols, not real steps");
        require(maxRecordBytes >= 16, "--max-record-bytes: expected >= 16");
        require(maxStepsPerRecord >= 1, "--max-steps-per-record: expected >= 1");
        require(maxKeyBytes >= 1 && maxKeyBytes <= 65536, "--max-key-bytes: expected 1..65536");
        require(maxSeqJump >= 1, "--max-seq-jump: expected >= 1");
        require(idleKeyTtl == null || (!idleKeyTtl.isNegative() && !idleKeyTtl.isZero()),
                "--idle-key-ttl: expected a positive duration");
        // Base64 of two prefixes must stay well below the producer's 1 MiB request size.
        require(deadLetterMaxBytes >= 0 && deadLetterMaxBytes <= 262144, "--dead-letter-max-bytes: expected 0..262144");
        require(topK >= 0, "--top-k: expected >= 0");
        require(checkpointInterval == null || (!checkpointInterval.isNegative() && !checkpointInterval.isZero()),
                "--checkpoint-interval: must be positive");
        require(parallelism == null || parallelism >= 1, "--parallelism: expected >= 1");
        require(maxParallelism == null || (maxParallelism >= 1 && maxParallelism <= 32768),
                "--max-parallelism: expected 1..32768");
        require(parallelism == null || maxParallelism == null || parallelism <= maxParallelism,
                "--parallelism must not exceed --max-parallelism");
        require(bufferTimeout == null || !bufferTimeout.isNegative(), "--buffer-timeout: expected >= 0");
        require(!transactionTimeout.isNegative() && transactionTimeout.compareTo(Duration.ofMinutes(15)) <= 0
                && !transactionTimeout.isZero(), "--transaction-timeout: expected a duration up to 15 minutes");
        if (realInputs == 0) {
            try {
                Vocabulary.parse(vocabulary);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--vocab: " + e.getMessage());
            }
        }
        learnerSpec();
        initialParametersOrNull();
        return this;
    }

    /**
     * Fills the settings whose default depends on the kind of stream (symbols or real values)
     * and refuses symbol-only flags on a real-valued job. Idempotent.
     */
    public JobConfig resolveDefaultsByKind() {
        require(realInputs >= 0 && realOutputs >= 0, "--real-inputs and --real-outputs: expected >= 0");
        require((realInputs == 0) == (realOutputs == 0), "--real-inputs and --real-outputs go together");
        if (realValued()) {
            require(vocabulary == null, "--vocab applies to symbol streams only (this job has --real-inputs)");
            require(topK == null || topK == 0, "--top-k applies to symbol streams only (this job has --real-inputs)");
            topK = 0;
            hidden = hidden != null ? hidden : Defaults.REAL_HIDDEN;
            clip = clip != null ? clip : Defaults.REAL_CLIP_NORM;
            batchEvents = batchEvents != null ? batchEvents : Defaults.REAL_BATCH_EVENTS;
        } else {
            vocabulary = vocabulary != null ? vocabulary : Vocabulary.DEFAULT_SPEC;
            topK = topK != null ? topK : DEFAULT_TOP_K;
            hidden = hidden != null ? hidden : SYMBOL_HIDDEN;
            clip = clip != null ? clip : Defaults.CLIP_NORM;
            batchEvents = batchEvents != null ? batchEvents : Defaults.BATCH_EVENTS;
        }
        return this;
    }

    /** Whether all keys share one model (else every key trains its own). */
    public boolean sharedModel() {
        return model == ModelMode.SHARED;
    }

    /**
     * Every flag with its value (defaults included, unset ones left out), for Flink's global job
     * parameters: the web UI shows them.
     */
    public java.util.Map<String, String> asMap() {
        java.util.Map<String, String> map = new java.util.TreeMap<>();
        for (java.lang.reflect.Field f : JobConfig.class.getFields()) {
            Option option = f.getAnnotation(Option.class);
            if (option == null) {
                continue;
            }
            try {
                Object value = f.get(this);
                if (value == kafkaProperties) {
                    // Client properties carry credentials: only their names are shown.
                    value = kafkaProperties.isEmpty() ? null : String.join(",", kafkaProperties.keySet());
                }
                if (value instanceof Enum<?> e) {
                    value = Choices.label(e);
                }
                if (value != null) {
                    map.put(option.names()[0].substring(2), String.valueOf(value));
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return map;
    }

    /** The prefix under which every flag can also be given in Flink's configuration (-D, flinkConfiguration). */
    public static final String CONFIG_PREFIX = "okrtrl.";

    /** Every key under which Flink's configuration can set a flag: okrtrl.<flag without dashes>. */
    public static java.util.List<String> configurationKeys() {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (java.lang.reflect.Field f : JobConfig.class.getFields()) {
            Option option = f.getAnnotation(Option.class);
            if (option != null) {
                keys.add(CONFIG_PREFIX + option.names()[0].substring(2));
            }
        }
        return keys;
    }

    /**
     * The arguments with every flag that Flink's configuration sets as {@code okrtrl.<flag>} and
     * the arguments do not, put in front (flags on the command line win).
     */
    public static String[] withConfiguration(String[] args, org.apache.flink.configuration.ReadableConfig conf) {
        java.util.List<String> all = new java.util.ArrayList<>();
        java.util.Set<String> given = new java.util.HashSet<>();
        for (String a : args) {
            if (a.startsWith("--")) {
                given.add(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
            }
        }
        for (java.lang.reflect.Field f : JobConfig.class.getFields()) {
            Option option = f.getAnnotation(Option.class);
            if (option == null || given.contains(option.names()[0])) {
                continue;
            }
            String key = CONFIG_PREFIX + option.names()[0].substring(2);
            conf.getOptional(org.apache.flink.configuration.ConfigOptions.key(key).stringType().noDefaultValue())
                    .ifPresent(value -> {
                        all.add(option.names()[0]);
                        all.add(value);
                    });
        }
        all.addAll(java.util.List.of(args));
        return all.toArray(new String[0]);
    }

    public boolean realValued() {
        return realInputs > 0;
    }

    public Vocabulary vocabularyOrNull() {
        return realValued() ? null : Vocabulary.parse(vocabulary != null ? vocabulary : Vocabulary.DEFAULT_SPEC);
    }

    public LearnerSpec learnerSpec() {
        Vocabulary vocab = vocabularyOrNull();
        int inputs = vocab != null ? vocab.size() : realInputs;
        int outputs = vocab != null ? vocab.size() : realOutputs;
        Readout.Link link = vocab != null ? Readout.Link.SOFTMAX : Readout.Link.LINEAR;
        resolveDefaultsByKind();
        double lr = learningRate != null ? learningRate
                : link == Readout.Link.LINEAR ? Defaults.realLearningRate(optimizer) : Defaults.learningRate(optimizer, hidden);
        try {
            return new LearnerSpec(algorithm, cell, inputs, hidden, outputs, link, optimizer, lr, clip, updateEvery,
                    carryBias, initScale).withPrecision(effectivePrecision())
                    .withAdamBeta2(adamBeta2 != null ? adamBeta2 : Double.NaN);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision: " + e.getMessage(), e);
        }
    }

    /**
     * The parameters of a model file as a job with config starts from them ({@code --initial-model}):
     * {W, V}, after checking that the file's cell, sizes and vocabulary are the job's.
     *
     * @throws IllegalArgumentException naming the first setting that differs
     */
    public double[][] initialParameters(org.okrtrl.core.model.ModelFile file) {
        LearnerSpec spec = learnerSpec();
        requireSame(file.cell() == spec.cell(), "cell", file.cell(), spec.cell());
        requireSame(file.hidden() == spec.hidden(), "hidden size (--hidden)", file.hidden(), spec.hidden());
        requireSame(file.inputs() == spec.inputs(), "inputs", file.inputs(), spec.inputs());
        requireSame(file.outputs() == spec.outputs(), "outputs", file.outputs(), spec.outputs());
        requireSame(file.link() == spec.link(), "readout", file.link(), spec.link());
        Vocabulary vocabulary = vocabularyOrNull();
        if (vocabulary != null && file.symbols() != null) {
            for (int i = 0; i < vocabulary.size(); i++) {
                if (!vocabulary.symbol(i).equals(file.symbols().get(i))) {
                    throw new IllegalArgumentException("--initial-model: the model's vocabulary differs from --vocab "
                            + vocabulary.spec() + " at index " + i + " ('" + file.symbols().get(i) + "' against '"
                            + vocabulary.symbol(i) + "')");
                }
            }
        }
        return new double[][] {file.w(), file.v()};
    }

    private static void requireSame(boolean same, String setting, Object file, Object job) {
        if (!same) {
            throw new IllegalArgumentException("--initial-model: the model's " + setting + " is " + file
                    + ", this job's is " + job);
        }
    }

    /** The parameters of --initial-model, or null without one; IllegalArgumentException if unreadable or of another shape. */
    public double[][] initialParametersOrNull() {
        if (initialModel == null) {
            return null;
        }
        try {
            return initialParameters(org.okrtrl.core.model.ModelFile.read(initialModel));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--initial-model: " + e.getMessage(), e);
        }
    }

    public TrainingConfig trainingConfig() {
        LearnerSpec spec = learnerSpec();
        return new TrainingConfig(spec, seed, vocabularyOrNull(),
                gapPolicy, topK,
                modelId, batchEvents, maxSeqJump, deadLetterMaxBytes, idleKeyTtl, merge, modelSyncEvery,
                new RealValued(realTask, standardize, targetNames == null ? java.util.List.of() : targetNames,
                        forecastTarget), initialParametersOrNull(), learn, modelUpdateKeyFile);
    }

    public RecordParser recordParser() {
        return new RecordParser(
                inputFormat,
                vocabularyOrNull(), realInputs, realOutputs, maxRecordBytes, maxStepsPerRecord, maxKeyBytes);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
