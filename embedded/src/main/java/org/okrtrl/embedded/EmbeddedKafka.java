package org.okrtrl.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM
 * from the Maven Central artifacts, bound to 127.0.0.1 on free ports: the same code path as
 * {@code kafka-storage.sh format} followed by {@code kafka-server-start.sh}. For local runs and
 * tests; never packaged into the job jar.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path logDir;
    private final int port;
    private final KafkaRaftServer server;
    private final boolean temporary;

    private EmbeddedKafka(Path logDir, int port, KafkaRaftServer server, boolean temporary) {
        this.logDir = logDir;
        this.port = port;
        this.server = server;
        this.temporary = temporary;
    }

    /** Formats a fresh log directory and starts the broker; returns once it accepts requests. */
    public static EmbeddedKafka start() throws IOException {
        return start(0);
    }

    /** As {@link #start()}, on the given port (0: a free one). */
    public static EmbeddedKafka start(int requestedPort) throws IOException {
        return start(requestedPort, null);
    }

    /**
     * As {@link #start(int)}, keeping topics, offsets and transactions in dataDir (null: a
     * temporary directory deleted on close). A data directory formatted before is started again
     * as it was, on the ports it was first given, so clients reconnect to the same address.
     */
    public static EmbeddedKafka start(int requestedPort, Path dataDir) throws IOException {
        boolean temporary = dataDir == null;
        Path logDir = temporary ? Files.createTempDirectory("okrtrl-kafka-") : dataDir.toAbsolutePath();
        Files.createDirectories(logDir);
        Path portsFile = logDir.resolve("okrtrl-ports");
        boolean formatted = Files.exists(logDir.resolve("meta.properties")) && Files.exists(portsFile);
        int port;
        int controllerPort;
        if (formatted) {
            String[] ports = Files.readString(portsFile).strip().split(" ");
            port = Integer.parseInt(ports[0]);
            controllerPort = Integer.parseInt(ports[1]);
        } else {
            port = requestedPort > 0 ? requestedPort : Ports.freePort();
            controllerPort = Ports.freePort();
        }
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.flush.interval.messages", "10000");
        Path propsFile = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            props.store(out, "okrtrl embedded broker");
        }
        if (!formatted) {
            ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
            int status = StorageTool.execute(
                    new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString()},
                    new PrintStream(formatLog, true, StandardCharsets.UTF_8));
            if (status != 0) {
                throw new IOException("formatting the Kafka log directory failed: " + formatLog);
            }
            Files.writeString(portsFile, port + " " + controllerPort);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(logDir, port, server, temporary);
        kafka.awaitReady();
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The largest model update the model topic takes: 64 MiB (the broker's default is 1 MiB). */
    public static final int MODEL_TOPIC_MAX_MESSAGE_BYTES = 64 << 20;

    /** Creates the topics (ignoring ones that exist). */
    public void createTopics(int partitions, String... topics) {
        createTopics(partitions, Map.of(), topics);
    }

    /** Creates a model topic, which takes updates of up to {@link #MODEL_TOPIC_MAX_MESSAGE_BYTES}. */
    public void createModelTopic(int partitions, String topic) {
        createTopics(partitions, Map.of("max.message.bytes", Integer.toString(MODEL_TOPIC_MAX_MESSAGE_BYTES)), topic);
    }

    /** Creates the topics with the given topic configuration (ignoring ones that exist). */
    public void createTopics(int partitions, Map<String, String> configs, String... topics) {
        try (Admin admin = admin()) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String t : topics) {
                newTopics.add(new NewTopic(t, partitions, (short) 1).configs(configs));
            }
            try {
                admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topics", e.getCause());
                }
            }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topics", e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
            }
        }
        throw new IOException("the embedded Kafka broker did not become ready", last);
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (!temporary) {
            return;
        }
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
