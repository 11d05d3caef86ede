package org.okrtrl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Compares two jobs' prequential loss on the same input (a shadow or A/B deployment): reads both
 * prediction topics and averages each job's surprise in bits (or squared error) over the steps
 * both answered, identified by key, seq and position; a step answered twice (at-least-once
 * delivery) counts once.
 */
@Command(name = "compare-predictions", mixinStandardHelpOptions = true,
        description = "Compare two jobs' predictions of the same input: mean surprise bits (or squared error) of each "
                + "over the steps both answered.")
public final class ComparePredictionsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, description = "The broker both jobs write to.")
    String bootstrapServers;

    @Option(names = "--topics", required = true, split = ",", description = "The two prediction topics, A,B.")
    List<String> topics;

    @Option(names = "--idle", defaultValue = "5s", description = "Stop reading after this long without a new record.")
    Duration idle;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        if (topics.size() != 2) {
            throw new UserInputException("--topics: expected two topics, A,B");
        }
        Map<String, double[]> a = read(topics.get(0));
        Map<String, double[]> b = read(topics.get(1));
        double sumA = 0;
        double sumB = 0;
        long common = 0;
        for (Map.Entry<String, double[]> e : a.entrySet()) {
            double[] other = b.get(e.getKey());
            if (other != null && Double.isFinite(e.getValue()[0]) && Double.isFinite(other[0])) {
                sumA += e.getValue()[0];
                sumB += other[0];
                common++;
            }
        }
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("topic_a", topics.get(0));
        o.put("topic_b", topics.get(1));
        o.put("steps_a", a.size());
        o.put("steps_b", b.size());
        o.put("common_scored_steps", common);
        o.put("mean_a", common > 0 ? sumA / common : Double.NaN);
        o.put("mean_b", common > 0 ? sumB / common : Double.NaN);
        o.put("b_minus_a", common > 0 ? (sumB - sumA) / common : Double.NaN);
        if (json) {
            spec.commandLine().getOut().println(o);
        } else {
            spec.commandLine().getOut().printf(java.util.Locale.ROOT,
                    "%s: %,d steps, %s: %,d steps; over the %,d scored steps both answered: mean %.4f (A) against "
                            + "%.4f (B), B - A = %+.4f%n", topics.get(0), a.size(), topics.get(1), b.size(), common,
                    o.get("mean_a").asDouble(), o.get("mean_b").asDouble(), o.get("b_minus_a").asDouble());
        }
        spec.commandLine().getOut().flush();
        return common > 0 ? 0 : 1;
    }

    /** Every step of a prediction topic: key/seq/position to {loss} (surprise bits or squared error; NaN if none). */
    private Map<String, double[]> read(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "compare-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        ObjectMapper mapper = new ObjectMapper();
        Map<String, double[]> steps = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long lastRecord = System.nanoTime();
            while (System.nanoTime() - lastRecord < idle.toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    lastRecord = System.nanoTime();
                    JsonNode p;
                    try {
                        p = mapper.readTree(r.value());
                    } catch (java.io.IOException e) {
                        continue;
                    }
                    if (p == null || !p.has("key") || !p.has("seq")) {
                        continue;
                    }
                    JsonNode loss = p.has("surprise_bits") ? p.get("surprise_bits") : p.get("squared_error");
                    double value = loss == null || loss.isNull() ? Double.NaN : loss.asDouble();
                    steps.putIfAbsent(p.get("key").asText() + "/" + p.get("seq").asLong() + "/"
                            + p.path("position").asInt(), new double[] {value});
                }
            }
        }
        return steps;
    }
}
