package org.okrtrl.job;

import org.okrtrl.job.config.Choices;
import org.okrtrl.job.config.JobConfig;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.okrtrl.job.kafka.KafkaIo;
import org.okrtrl.operators.DeadLetter;
import org.okrtrl.operators.OnlineTrainingFunction;
import org.okrtrl.operators.ParseFunction;
import org.okrtrl.operators.Prediction;
import org.okrtrl.operators.RawRecord;
import org.okrtrl.operators.SharedTrainingOperator;
import org.okrtrl.operators.StepBatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The streaming job: Kafka input, validation with a dead-letter output, online training with
 * per-key stream state and either one model shared by all keys (exchanged between parallel
 * instances through the model topic) or one model per key, predictions to Kafka. {@link #build} takes the source and sinks so
 * tests and the local pipeline can supply their own.
 */
@Command(name = "okrtrl-job", mixinStandardHelpOptions = true,
        description = "Train one RNN per stream key online, from Kafka to Kafka (r-OK and friends).")
public final class OkrtrlJob implements java.util.concurrent.Callable<Integer> {
    public static final String SOURCE_UID = "kafka-input";
    public static final String PARSE_UID = "parse-validate";
    public static final String TRAINING_UID = "online-training";
    public static final String PREDICTIONS_SINK_UID = "predictions-sink";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";
    public static final String MODEL_SOURCE_UID = "model-updates-in";
    public static final String MODEL_SINK_UID = "model-updates-out";

    @Mixin
    JobConfig config = new JobConfig();

    /**
     * Parses the flags and runs the job. Invalid flags throw an {@link IllegalArgumentException}
     * naming the flag: the submission fails with that message (in application mode the
     * JobManager reports it) instead of the JVM exiting under the cluster.
     */
    public static void main(String[] args) throws Exception {
        CommandLine cli = new CommandLine(new OkrtrlJob());
        CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(JobConfig.withConfiguration(args,
                    StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration()));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("okrtrl-job: " + e.getMessage(), e);
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return;
        }
        OkrtrlJob job = cli.getCommand();
        try {
            job.call();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("okrtrl-job: " + e.getMessage(), e);
        }
    }

    /** The job's command line for tools: invalid flag values give status 2 and a message naming the flag. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new OkrtrlJob());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cli;
    }

    @Override
    public Integer call() throws Exception {
        // build() validates every flag, once.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config, Io.kafka(config), UnaryOperator.identity());
        env.execute("okrtrl " + config.algorithm + " " + config.cell + " n=" + config.hidden + " (" + config.model
                + " model)");
        return 0;
    }

    /** The job-level Flink settings the flags choose. */
    public static Configuration flinkConfiguration(JobConfig config) {
        Configuration conf = new Configuration();
        if (config.stateBackend != null) {
            conf.set(StateBackendOptions.STATE_BACKEND, Choices.label(config.stateBackend));
        }
        if (config.checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir);
        }
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (config.maxParallelism != null) {
            conf.set(PipelineOptions.MAX_PARALLELISM, config.maxParallelism);
        }
        // Every record and state type has its own serializer; a silent Kryo fallback is a bug.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /**
     * Where the job reads and writes: the input records, the predictions, the dead letters and,
     * for a shared model, the model topic in both directions (null in per-key mode).
     */
    public record Io(Source<RawRecord, ?, ?> input, Sink<Prediction> predictions, Sink<DeadLetter> deadLetters,
            Source<RawRecord, ?, ?> modelUpdatesIn, Sink<byte[]> modelUpdatesOut) {
        /** Everything on the Kafka cluster the flags name. */
        public static Io kafka(JobConfig config) {
            return new Io(KafkaIo.source(config), KafkaIo.predictionSink(config), KafkaIo.deadLetterSink(config),
                    config.sharedModel() ? KafkaIo.modelSource(config) : null,
                    config.sharedModel() ? KafkaIo.modelSink(config) : null);
        }
    }

    /** Adds the job's operators to env, reading from source and writing to the two sinks. */
    public static void build(StreamExecutionEnvironment env, JobConfig config, Source<RawRecord, ?, ?> source,
            Sink<Prediction> predictions, Sink<DeadLetter> deadLetters) {
        build(env, config, source, predictions, deadLetters, UnaryOperator.identity());
    }

    /**
     * As {@link #build(StreamExecutionEnvironment, JobConfig, Source, Sink, Sink)}, with a stage
     * spliced in front of the training operator (tests inject faults there). A shared model
     * exchanges its updates through the model topic the flags name.
     */
    public static void build(StreamExecutionEnvironment env, JobConfig config, Source<RawRecord, ?, ?> source,
            Sink<Prediction> predictions, Sink<DeadLetter> deadLetters,
            UnaryOperator<DataStream<StepBatch>> beforeTraining) {
        build(env, config, new Io(source, predictions, deadLetters,
                config.sharedModel() ? KafkaIo.modelSource(config) : null,
                config.sharedModel() ? KafkaIo.modelSink(config) : null), beforeTraining);
    }

    /** The job's operators on env, with every input and output given. */
    public static void build(StreamExecutionEnvironment env, JobConfig config, Io io,
            UnaryOperator<DataStream<StepBatch>> beforeTraining) {
        config.validate();
        env.configure(flinkConfiguration(config), OkrtrlJob.class.getClassLoader());
        // Cluster settings stay the cluster's unless a flag says otherwise; exactly-once output
        // commits at checkpoints, so without any interval the job brings its own.
        if (config.checkpointInterval != null) {
            env.enableCheckpointing(config.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        } else if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            env.enableCheckpointing(JobConfig.DEFAULT_CHECKPOINT_INTERVAL.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        env.getConfig().setGlobalJobParameters(org.apache.flink.util.ParameterTool.fromMap(config.asMap()));
        if (config.parallelism != null) {
            env.setParallelism(config.parallelism);
        }
        if (config.effectiveBufferTimeout() != null) {
            // Predictions not held back by checkpoints would otherwise wait up to 100 ms in each
            // network buffer at low rates.
            env.setBufferTimeout(config.effectiveBufferTimeout().toMillis());
        }
        DataStream<RawRecord> raw = env.fromSource(io.input(), WatermarkStrategy.noWatermarks(), "kafka input")
                .uid(SOURCE_UID);
        SingleOutputStreamOperator<StepBatch> parsed = raw.process(new ParseFunction(config.recordParser(),
                        config.deadLetterMaxBytes))
                .uid(PARSE_UID)
                .name("parse and validate");
        KeyedStream<StepBatch, String> keyed = beforeTraining.apply(parsed).keyBy(new StreamKey());
        SingleOutputStreamOperator<Prediction> trained;
        if (config.sharedModel()) {
            // A few updates a second, each waited for by every replica: flushed at once, not after
            // the buffer timeout (their delay is what a shared model's bits per character pay for).
            DataStream<RawRecord> updates = env.fromSource(io.modelUpdatesIn(), WatermarkStrategy.noWatermarks(),
                    "model updates in").uid(MODEL_SOURCE_UID).setBufferTimeout(0);
            trained = keyed.connect(updates.broadcast())
                    .transform("online training", TypeInformation.of(Prediction.class),
                            new SharedTrainingOperator(config.trainingConfig()))
                    .uid(TRAINING_UID);
            trained.getSideOutput(SharedTrainingOperator.MODEL_UPDATES)
                    .sinkTo(io.modelUpdatesOut())
                    .uid(MODEL_SINK_UID)
                    .name("model updates out");
        } else {
            trained = keyed.process(new OnlineTrainingFunction(config.trainingConfig()))
                    .uid(TRAINING_UID)
                    .name("online training");
        }
        // The predictions' JSON and the Kafka producer run in a task of their own: chained, they
        // took a fifth of the training thread at n = 32, and that thread is the job's bottleneck.
        trained.sinkTo(io.predictions())
                .uid(PREDICTIONS_SINK_UID)
                .name("predictions")
                .disableChaining();
        parsed.getSideOutput(ParseFunction.DEAD_LETTERS)
                .union(trained.getSideOutput(OnlineTrainingFunction.DEAD_LETTERS))
                .sinkTo(io.deadLetters())
                .uid(DEAD_LETTER_SINK_UID)
                .name("dead letters");
    }

    /** Records are keyed by their stream id. */
    public static final class StreamKey implements KeySelector<StepBatch, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(StepBatch batch) {
            return batch.key;
        }
    }
}
