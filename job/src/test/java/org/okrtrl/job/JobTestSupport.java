package org.okrtrl.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.okrtrl.local.EmbeddedKafka;

/** A MiniCluster and flags for a job against the shared embedded broker, on fresh topics. */
final class JobTestSupport {
    private JobTestSupport() {}

    static MiniClusterExtension miniCluster(int slots) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .setConfiguration(conf)
                .build());
    }

    /** Topic names and the transactional prefix of one test run. */
    record Topics(String input, String predictions, String deadLetters, String prefix) {
        static Topics fresh(EmbeddedKafka kafka, int partitions) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            Topics t = new Topics("in-" + id, "pred-" + id, "dlq-" + id, "tx-" + id);
            kafka.createTopics(partitions, t.input, t.predictions, t.deadLetters);
            return t;
        }
    }

    static JobConfig config(EmbeddedKafka kafka, Topics topics, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--input-topic", topics.input(),
                "--predictions-topic", topics.predictions(),
                "--dead-letter-topic", topics.deadLetters(),
                "--group-id", "g-" + topics.prefix(),
                "--transactional-id-prefix", topics.prefix(),
                "--starting-offsets", "earliest",
                "--checkpoint-interval", "PT1S"));
        args.addAll(Arrays.asList(extra));
        return JobConfig.fromArgs(args.toArray(new String[0]));
    }
}
