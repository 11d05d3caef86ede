package org.okrtrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.okrtrl.embedded.EmbeddedKafka;
import org.okrtrl.embedded.KafkaTestSupport;

/** compare-predictions on a real broker: steps matched by key, seq and position, duplicates once, unscored ones out. */
class ComparePredictionsCommandITCase {

    @Test
    void averagesBothTopicsOverTheStepsBothAnswered() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, "a", "b");
            List<ProducerRecord<byte[], byte[]>> a = new ArrayList<>();
            List<ProducerRecord<byte[], byte[]>> b = new ArrayList<>();
            a.add(prediction("a", "k", 0, 0, null));
            a.add(prediction("a", "k", 0, 1, 2.0));
            a.add(prediction("a", "k", 0, 2, 4.0));
            a.add(prediction("a", "k", 0, 2, 4.0));   // at-least-once duplicate
            a.add(prediction("a", "k", 1, 0, 9.0));   // only in a
            b.add(prediction("b", "k", 0, 0, null));
            b.add(prediction("b", "k", 0, 1, 1.0));
            b.add(prediction("b", "k", 0, 2, 1.5));
            KafkaTestSupport.produce(kafka.bootstrapServers(), "a", a);
            KafkaTestSupport.produce(kafka.bootstrapServers(), "b", b);
            CliRun run = CliRun.execute("compare-predictions", "--bootstrap-servers", kafka.bootstrapServers(),
                    "--topics", "a,b", "--idle", "2s", "--json");
            assertEquals(0, run.exitCode(), run.err());
            JsonNode r = new ObjectMapper().readTree(run.out().strip());
            assertEquals(4, r.get("steps_a").asInt());
            assertEquals(3, r.get("steps_b").asInt());
            assertEquals(2, r.get("common_scored_steps").asInt());
            assertEquals(3.0, r.get("mean_a").asDouble(), 1e-12);
            assertEquals(1.25, r.get("mean_b").asDouble(), 1e-12);
            assertEquals(-1.75, r.get("b_minus_a").asDouble(), 1e-12);
        }
    }

    private static ProducerRecord<byte[], byte[]> prediction(String topic, String key, long seq, int position,
            Double bits) {
        return KafkaTestSupport.record(topic, key, "{\"key\": \"" + key + "\", \"seq\": " + seq + ", \"position\": "
                + position + ", \"surprise_bits\": " + bits + "}");
    }
}
