package org.okrtrl.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.okrtrl.embedded.EmbeddedKafka;
import org.okrtrl.embedded.EmbeddedKafkaExtension;

/**
 * What every job ITCase runs against, as one JUnit 5 extension: a Flink MiniCluster (one
 * TaskManager, no restarts: a failure must fail the test) and the in-process Kafka broker, both
 * for the whole test class. {@code @RegisterExtension static final JobTestEnvironment ENV =
 * JobTestEnvironment.withSlots(2);} then {@code ENV.broker()}; jobs built with
 * {@code StreamExecutionEnvironment.getExecutionEnvironment()} run on the MiniCluster.
 *
 * <p>Flink's {@link MiniClusterExtension} is final, so this one delegates to it. The cluster
 * starts before the broker and stops after it.
 */
final class JobTestEnvironment
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {
    private final MiniClusterExtension cluster;
    private final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    private JobTestEnvironment(int slots, Configuration conf) {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        this.cluster = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .setConfiguration(conf)
                .build());
    }

    /** A MiniCluster with this many task slots and the broker. */
    static JobTestEnvironment withSlots(int slots) {
        return new JobTestEnvironment(slots, new Configuration());
    }

    /** As {@link #withSlots(int)}, with the cluster's configuration (modified) as a base. */
    static JobTestEnvironment withSlots(int slots, Configuration conf) {
        return new JobTestEnvironment(slots, conf);
    }

    /** The running broker; IllegalStateException outside the class's tests. */
    EmbeddedKafka broker() {
        return kafka.broker();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster.beforeAll(context);
        kafka.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        cluster.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        cluster.afterEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            kafka.afterAll(context);
        } finally {
            cluster.afterAll(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return cluster.supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return cluster.resolveParameter(parameter, context);
    }
}
