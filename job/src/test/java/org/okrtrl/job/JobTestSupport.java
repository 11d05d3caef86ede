package org.okrtrl.job;

import org.okrtrl.embedded.KafkaTestSupport;
import org.okrtrl.job.config.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.okrtrl.embedded.EmbeddedKafka;

/** Flags for a job against the test environment's broker on fresh topics, metrics and output checks. */
final class JobTestSupport {
    private JobTestSupport() {}

    /** The sum over subtasks of a numeric metric of the job whose name ends with the given name. */
    static double metric(org.apache.flink.runtime.testutils.InMemoryReporter reporter,
            org.apache.flink.api.common.JobID job, String name) {
        double sum = 0;
        int found = 0;
        for (java.util.Map.Entry<String, org.apache.flink.metrics.Metric> e : reporter.findMetrics(job, name).entrySet()) {
            if (!e.getKey().endsWith("." + name)) {
                continue;
            }
            org.apache.flink.metrics.Metric m = e.getValue();
            found++;
            if (m instanceof org.apache.flink.metrics.Counter c) {
                sum += c.getCount();
            } else if (m instanceof org.apache.flink.metrics.Histogram h) {
                sum += h.getCount();
            } else if (m instanceof org.apache.flink.metrics.Gauge<?> g && g.getValue() instanceof Number n) {
                sum += n.doubleValue();
            }
        }
        if (found == 0) {
            throw new AssertionError("no metric named " + name);
        }
        return sum;
    }

    /** Every step's prediction exactly once: no (key, seq, position) twice, and expected of them. */
    static void assertExactlyOnce(List<KafkaTestSupport.Output> out, int expected) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (KafkaTestSupport.Output o : out) {
            String id = o.json().get("key").asText() + "/" + o.json().get("seq").asText() + "/"
                    + o.json().get("position").asText();
            org.junit.jupiter.api.Assertions.assertTrue(seen.add(id), "duplicate output " + id);
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected, out.size(), "every step exactly once");
    }

    /** Waits up to two minutes for condition. */
    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Topic names and the transactional prefix of one test run. */
    record Topics(String input, String predictions, String deadLetters, String model, String prefix) {
        static Topics fresh(EmbeddedKafka kafka, int partitions) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            Topics t = new Topics("in-" + id, "pred-" + id, "dlq-" + id, "mdl-" + id, "tx-" + id);
            kafka.createTopics(partitions, t.input, t.predictions, t.deadLetters);
            kafka.createModelTopic(partitions, t.model);
            return t;
        }
    }

    /** Flags for the topics and quick checkpoints; flags in extra replace these defaults. */
    static JobConfig config(EmbeddedKafka kafka, Topics topics, String... extra) {
        java.util.Map<String, String> flags = new java.util.LinkedHashMap<>();
        flags.put("--bootstrap-servers", kafka.bootstrapServers());
        flags.put("--input-topic", topics.input());
        flags.put("--predictions-topic", topics.predictions());
        flags.put("--dead-letter-topic", topics.deadLetters());
        flags.put("--model-topic", topics.model());
        flags.put("--group-id", "g-" + topics.prefix());
        flags.put("--transactional-id-prefix", topics.prefix());
        flags.put("--starting-offsets", "earliest");
        flags.put("--checkpoint-interval", "PT1S");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            flags.put(extra[i], extra[i + 1]);
        }
        List<String> args = new ArrayList<>();
        flags.forEach((flag, value) -> {
            args.add(flag);
            args.add(value);
        });
        return JobConfig.fromArgs(args.toArray(new String[0]));
    }
}
