package org.okrtrl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.okrtrl.local.BrokerProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Starts or stops a real single-node KRaft broker in its own JVM, and creates topics. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "start | stop | create-topics | console-producer | console-consumer: a single-node Kafka broker "
                + "(KRaft) in its own JVM on 127.0.0.1, and Kafka's own console clients pointed at it (their options "
                + "after --, e.g. kafka console-producer -- --topic okrtrl-input --property parse.key=true).")
public final class KafkaCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "start, stop, create-topics, console-producer or console-consumer")
    String action;

    @Parameters(index = "1..*", description = "topic names (create-topics), or the console client's own options")
    List<String> topics = List.of();

    @Option(names = "--dir", defaultValue = Okrtrl.STATE_DIR + "/kafka",
            description = "Directory for the pid, log and address files (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--data-dir",
            description = "Keep topics, offsets and transactions here across stop and start (same ports); "
                    + "default: a temporary directory deleted at stop.")
    Path dataDir;

    @Option(names = "--port", defaultValue = "0", description = "Port (0: a free one).")
    int port;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions of created topics.")
    int partitions;

    @Option(names = "--config", description = "Topic configuration for create-topics, e.g. max.message.bytes=67108864 "
            + "for the model topic (repeatable).")
    Map<String, String> topicConfig = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Path home = dir.toAbsolutePath();
        Files.createDirectories(home);
        Path ready = home.resolve("bootstrap");
        switch (action) {
            case "start" -> spec.commandLine().getOut().println(BrokerProcess.start(home, port, dataDir));
            case "stop" -> {
                BrokerProcess.stop(home);
                spec.commandLine().getOut().println("kafka stopped" + (dataDir != null ? "; its data stays in "
                        + dataDir.toAbsolutePath() : ""));
            }
            case "create-topics" -> {
                if (!Files.exists(ready)) {
                    throw new UserInputException("kafka: no broker running from " + home);
                }
                String bootstrap = Files.readString(ready).strip();
                try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                    admin.createTopics(topics.stream()
                            .map(t -> new org.apache.kafka.clients.admin.NewTopic(t, partitions, (short) 1)
                                    .configs(topicConfig))
                            .toList()).all().get(60, TimeUnit.SECONDS);
                }
                spec.commandLine().getOut().println("created " + topics + " with " + partitions + " partitions");
            }
            case "console-producer", "console-consumer" -> {
                if (!Files.exists(ready)) {
                    throw new UserInputException("kafka: no broker running from " + home);
                }
                List<String> args = new java.util.ArrayList<>(List.of("--bootstrap-server",
                        Files.readString(ready).strip()));
                args.addAll(topics);
                if (action.equals("console-producer")) {
                    org.apache.kafka.tools.ConsoleProducer.main(args.toArray(new String[0]));
                } else {
                    org.apache.kafka.tools.consumer.ConsoleConsumer.main(args.toArray(new String[0]));
                }
                return 0;
            }
            default -> throw new UserInputException("kafka: expected start, stop, create-topics, console-producer or "
                    + "console-consumer, got " + action);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

}
