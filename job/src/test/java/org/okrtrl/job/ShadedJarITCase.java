package org.okrtrl.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jar for {@code flink run}: the job, the core and the Kafka connector inside; Flink itself,
 * logging and the local broker outside; the main class in the manifest.
 */
class ShadedJarITCase {

    @Test
    void containsTheJobAndLeavesFlinkOut() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-flink.jar")).findFirst().orElseThrow();
        }
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("org.okrtrl.job.OkrtrlJob", j.getManifest().getMainAttributes().getValue("Main-Class"));
            assertTrue(j.getEntry("org/okrtrl/job/OkrtrlJob.class") != null);
            assertTrue(j.getEntry("org/okrtrl/core/influence/OkReduction.class") != null);
            assertTrue(j.getEntry("org/okrtrl/operators/OnlineTrainingFunction.class") != null);
            assertTrue(j.getEntry("org/apache/flink/connector/kafka/sink/KafkaSink.class") != null);
            assertTrue(j.getEntry("org/apache/kafka/clients/producer/KafkaProducer.class") != null);
            assertFalse(j.stream().anyMatch(e -> e.getName().startsWith("org/apache/flink/streaming/api/")),
                    "Flink itself is provided by the cluster");
            assertFalse(j.stream().anyMatch(e -> e.getName().startsWith("org/apache/logging/log4j/")));
            assertFalse(j.stream().anyMatch(e -> e.getName().startsWith("org/slf4j/")));
            assertFalse(j.stream().anyMatch(e -> e.getName().startsWith("kafka/server/")), "no broker inside");
            assertFalse(j.stream().anyMatch(e -> e.getName().startsWith("org/okrtrl/local/")), "no local pipeline");
            assertFalse(j.stream().anyMatch(e -> e.getName().startsWith("org/okrtrl/cli/")), "no tools");
            assertFalse(j.stream().anyMatch(e -> e.getName().startsWith("org/okrtrl/embedded/")), "no embedded broker");
        }
    }
}
