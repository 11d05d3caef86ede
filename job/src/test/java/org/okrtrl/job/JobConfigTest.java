package org.okrtrl.job;

import org.okrtrl.job.config.JobConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.readout.Readout;
import picocli.CommandLine;

/** The job's flags: defaults that run, clear failures for unknown or invalid ones. */
class JobConfigTest {

    @Test
    void defaultsRun() {
        JobConfig config = JobConfig.fromArgs();
        assertEquals("ok:8", config.algorithm.toString());
        assertEquals(org.okrtrl.core.cell.CellType.RHN, config.cell);
        assertEquals(null, config.maxParallelism, "the cluster's unless given");
        assertEquals(null, config.checkpointInterval, "the cluster's unless given");
        assertEquals(org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE, config.deliveryGuarantee);
        assertEquals(96, config.learnerSpec().inputs(), "printable ASCII and <unk>");
        assertEquals(Readout.Link.SOFTMAX, config.learnerSpec().link());
        JobConfig real = JobConfig.fromArgs("--real-inputs", "3", "--real-outputs", "2", "--algo", "tbptt:10");
        assertEquals(Readout.Link.LINEAR, real.learnerSpec().link());
        assertEquals(3, real.learnerSpec().inputs());
    }

    @Test
    void precisionChoosesTheTypeOfTheFactorsAndOnlyROkTakesFloat() {
        assertEquals(org.okrtrl.core.influence.Precision.FLOAT, JobConfig.fromArgs().learnerSpec().precision(),
                "r-OK's factors default to float");
        assertEquals(org.okrtrl.core.influence.Precision.DOUBLE,
                JobConfig.fromArgs("--precision", "double").learnerSpec().precision());
        assertEquals(org.okrtrl.core.influence.Precision.DOUBLE,
                JobConfig.fromArgs("--algo", "tbptt:10").learnerSpec().precision(), "other algorithms run in double");
        IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromArgs("--precision", "float", "--algo", "tbptt:10"));
        assertTrue(rejected.getMessage().startsWith("--precision: ") && rejected.getMessage().contains("tbptt:10"),
                rejected.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> JobConfig.fromArgs("--precision", "half"));
    }

    @Test
    void adamsDecayIsPointNineNineForOnlineEstimatorsOnWideOrFastTextModelsAndCanBeSet() {
        assertEquals(0.99, JobConfig.fromArgs().learnerSpec().adamBeta2(), 0.0, "the default model, n = 64");
        assertEquals(1.334e-3, JobConfig.fromArgs().learnerSpec().learningRate(), 1e-6, "the default model, n = 64");
        assertEquals(1.78e-3, JobConfig.fromArgs("--hidden", "32").learnerSpec().learningRate(), 0.0);
        assertEquals(0.99, JobConfig.fromArgs("--hidden", "32").learnerSpec().adamBeta2(), 0.0,
                "n = 32's default rate is above 10^-3");
        assertEquals(0.999, JobConfig.fromArgs("--hidden", "32", "--learning-rate", "0.001").learnerSpec().adamBeta2(),
                0.0, "a narrow model at 10^-3");
        assertEquals(0.99, JobConfig.fromArgs("--hidden", "32", "--learning-rate", "0.002").learnerSpec().adamBeta2(),
                0.0, "a rate above 10^-3");
        assertEquals(0.999, JobConfig.fromArgs("--algo", "tbptt:25").learnerSpec().adamBeta2(), 0.0, "TBPTT");
        assertEquals(0.999, JobConfig.fromArgs("--real-inputs", "3", "--real-outputs", "1", "--hidden", "64")
                .learnerSpec().adamBeta2(), 0.0);
        assertEquals(0.95, JobConfig.fromArgs("--adam-beta2", "0.95").learnerSpec().adamBeta2(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromArgs("--adam-beta2", "1"));
        assertTrue(e.getMessage().contains("--adam-beta2"), e.getMessage());
    }

    @Test
    void eachOutputHasItsOwnDeliveryAndALowLatencyOneFlushesBuffersSoon() {
        JobConfig defaults = JobConfig.fromArgs();
        assertEquals(org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE, defaults.predictionsDelivery());
        assertEquals(org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE, defaults.deadLetterDelivery());
        assertEquals(null, defaults.effectiveBufferTimeout(), "the cluster's buffer timeout");
        JobConfig fast = JobConfig.fromArgs("--predictions-delivery", "at-least-once");
        assertEquals(org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE, fast.predictionsDelivery());
        assertEquals(org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE, fast.deadLetterDelivery());
        assertEquals(JobConfig.LOW_LATENCY_BUFFER_TIMEOUT, fast.effectiveBufferTimeout());
        JobConfig both = JobConfig.fromArgs("--delivery-guarantee", "at-least-once", "--dead-letter-delivery",
                "exactly-once", "--buffer-timeout", "20ms");
        assertEquals(org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE, both.predictionsDelivery());
        assertEquals(org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE, both.deadLetterDelivery());
        assertEquals(java.time.Duration.ofMillis(20), both.effectiveBufferTimeout());
    }

    @Test
    void realValuedJobsTakeTheirOwnDefaultsAndRefuseSymbolFlags() {
        JobConfig real = JobConfig.fromArgs("--real-inputs", "3", "--real-outputs", "1");
        assertEquals(org.okrtrl.core.train.Defaults.REAL_HIDDEN, real.hidden);
        assertEquals(org.okrtrl.core.train.Defaults.REAL_LEARNING_RATE, real.learnerSpec().learningRate());
        assertEquals(org.okrtrl.core.train.Defaults.REAL_BATCH_EVENTS, real.batchEvents);
        assertEquals(org.okrtrl.operators.RealValued.ForecastTarget.CHANGE, real.trainingConfig().real().forecastTarget());
        JobConfig text = JobConfig.fromArgs();
        assertEquals(JobConfig.SYMBOL_HIDDEN, text.hidden);
        assertEquals(org.okrtrl.core.train.Defaults.BATCH_EVENTS, text.batchEvents);
        assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromArgs("--real-inputs", "3", "--real-outputs", "1", "--vocab", "chars:ab"));
        assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromArgs("--real-inputs", "3", "--real-outputs", "1", "--top-k", "3"));
        assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromArgs("--real-inputs", "3", "--real-outputs", "2", "--target-names", "a"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--algo           | ok:x      | Invalid value for option '--algo': algorithm 'ok:x' needs a positive integer",
        "--cell           | lstm      | Invalid value for option '--cell': expected rnn or rhn, got lstm",
        "--hidden         | 0         | --hidden: expected >= 1",
        "--state-backend  | memory    | Invalid value for option '--state-backend': expected one of hashmap, rocksdb, got memory",
        "--delivery-guarantee | twice | Invalid value for option '--delivery-guarantee': expected one of exactly-once, at-least-once, none",
        "--predictions-delivery | soon | Invalid value for option '--predictions-delivery': expected one of exactly-once, at-least-once, none",
        "--real-task      | guess     | Invalid value for option '--real-task': expected one of forecast, regress, got guess",
        "--transaction-timeout | PT1H | --transaction-timeout: expected a duration up to 15 minutes",
        "--vocab          | words:a   | --vocab: vocabulary 'words:a'",
        "--gap-policy     | skip      | Invalid value for option '--gap-policy': expected one of reset, continue, got skip",
        "--checkpoint-interval | soon | Invalid value for option '--checkpoint-interval': expected a duration such as 30s",
        "--max-parallelism | 0        | --max-parallelism: expected 1..32768",
        "--real-inputs    | 2         | --real-inputs and --real-outputs go together",
        "--model          | global    | Invalid value for option '--model': expected shared or per-key, got global",
        "--batch-events   | 0         | --batch-events: expected >= 1",
        "--max-key-bytes  | 0         | --max-key-bytes: expected 1..65536",
        "--max-seq-jump   | 0         | --max-seq-jump: expected >= 1",
        "--dead-letter-max-bytes | 999999 | --dead-letter-max-bytes: expected 0..262144"
    })
    void invalidValuesNameTheFlag(String flag, String value, String message) {
        // Typed choices fail in picocli's conversion (ParameterException), the rest in validation.
        RuntimeException e = assertThrows(RuntimeException.class, () -> JobConfig.fromArgs(flag, value));
        assertTrue(e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException,
                e.getClass().getName());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void unknownFlagsAndMalformedValuesFailAtStart() {
        CommandLine.UnmatchedArgumentException unknown = assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> JobConfig.fromArgs("--hiden", "32"));
        assertTrue(unknown.getMessage().contains("--hiden"), unknown.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> JobConfig.fromArgs("--hidden", "many"));
    }

    @Test
    void theJobMainReportsBadFlagsWithExitCodeTwo() {
        StringWriter err = new StringWriter();
        CommandLine cli = OkrtrlJob.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--cell", "gru"));
        assertTrue(err.toString().contains("Invalid value for option '--cell': expected rnn or rhn"), err.toString());
        assertEquals(2, cli.execute("--no-such-flag"));
        assertTrue(err.toString().contains("Unknown option: '--no-such-flag'"), err.toString());
    }

    @Test
    void theJobMainThrowsOnBadFlagsInsteadOfExitingTheJvm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OkrtrlJob.main(new String[] {"--cell", "gru"}));
        assertTrue(e.getMessage().contains("Invalid value for option '--cell': expected rnn or rhn"), e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> OkrtrlJob.main(new String[] {"--no-such-flag"}));
        assertTrue(unknown.getMessage().contains("--no-such-flag"), unknown.getMessage());
    }

    @Test
    void kafkaPropertiesReachEveryClient() {
        JobConfig config = JobConfig.fromArgs("--kafka-property", "security.protocol=SASL_SSL",
                "--kafka-property", "client.id=okrtrl-test");
        java.util.Properties p = org.okrtrl.job.kafka.KafkaIo.clientProperties(config);
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        assertEquals("okrtrl-test", p.getProperty("client.id"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromArgs("--kafka-property", "bootstrap.servers=x:1"));
        assertTrue(e.getMessage().contains("--bootstrap-servers"), e.getMessage());
    }

    @Test
    void flagsCanComeFromFlinksConfigurationAndTheCommandLineWins() {
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.setString("okrtrl.hidden", "48");
        conf.setString("okrtrl.algo", "kf");
        JobConfig config = JobConfig.fromArgs(JobConfig.withConfiguration(new String[] {"--algo", "uoro"}, conf));
        assertEquals(48, config.hidden);
        assertEquals(org.okrtrl.core.Algorithm.parse("uoro"), config.algorithm);
        java.util.Map<String, String> shown = config.asMap();
        assertEquals("48", shown.get("hidden"));
        assertEquals("uoro", shown.get("algo"));
        assertTrue(!shown.containsKey("max-parallelism"), "unset flags are not shown");
    }

    @Test
    void checkpointingIsTheClustersUnlessAFlagSaysOtherwise() {
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment();
        JobConfig config = JobConfig.fromArgs("--bootstrap-servers", "127.0.0.1:1");
        org.apache.flink.configuration.Configuration cluster = new org.apache.flink.configuration.Configuration();
        cluster.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL,
                java.time.Duration.ofSeconds(42));
        env.configure(cluster);
        OkrtrlJob.build(env, config, org.okrtrl.job.kafka.KafkaIo.source(config),
                org.okrtrl.job.kafka.KafkaIo.predictionSink(config), org.okrtrl.job.kafka.KafkaIo.deadLetterSink(config));
        assertEquals(42_000, env.getCheckpointConfig().getCheckpointInterval());
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment fresh =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment();
        OkrtrlJob.build(fresh, config, org.okrtrl.job.kafka.KafkaIo.source(config),
                org.okrtrl.job.kafka.KafkaIo.predictionSink(config), org.okrtrl.job.kafka.KafkaIo.deadLetterSink(config));
        assertEquals(JobConfig.DEFAULT_CHECKPOINT_INTERVAL.toMillis(), fresh.getCheckpointConfig().getCheckpointInterval());
    }

    /** The Kubernetes manifest's way to the Kafka password: a mounted Secret, read by Kafka's DirectoryConfigProvider. */
    @Test
    void kafkaCredentialsResolveFromAMountedSecret(@org.junit.jupiter.api.io.TempDir java.nio.file.Path secret)
            throws java.io.IOException {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";
        java.nio.file.Files.writeString(secret.resolve("sasl.jaas.config"), jaas);
        JobConfig config = JobConfig.fromArgs("--kafka-property", "security.protocol=SASL_PLAINTEXT",
                "--kafka-property", "sasl.mechanism=SCRAM-SHA-512", "--kafka-property", "config.providers=dir",
                "--kafka-property",
                "config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider",
                "--kafka-property", "sasl.jaas.config=${dir:" + secret + ":sasl.jaas.config}");
        java.util.Map<String, Object> props = new java.util.HashMap<>(config.kafkaProperties);
        props.put("bootstrap.servers", "localhost:9092");
        props.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        props.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        org.apache.kafka.clients.producer.ProducerConfig producer = new org.apache.kafka.clients.producer.ProducerConfig(props);
        assertEquals(jaas, producer.getPassword("sasl.jaas.config").value());
    }
}
