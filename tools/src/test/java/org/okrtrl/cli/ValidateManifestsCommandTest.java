package org.okrtrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code okrtrl validate-manifests} on the project's k8s/ against the real Flink operator and
 * Strimzi CRDs (upstream files kept in tools/k8s-crds), and on deliberately
 * broken copies, each of which must be rejected with a message naming the problem.
 */
class ValidateManifestsCommandTest {
    static final Path CRDS = Path.of("k8s-crds");
    static final Path MANIFESTS = Path.of("../k8s");

    @TempDir
    Path tmp;

    @Test
    void theProjectsManifestsAreValid() {
        CliRun run = validate(MANIFESTS);
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("ok    flink-deployment.yaml FlinkDeployment/okrtrl"), run.out());
        assertTrue(run.out().contains("ok    kafka-cluster.yaml Kafka/okrtrl-kafka"), run.out());
        assertTrue(run.out().contains("ok    kafka-topics.yaml KafkaTopic/okrtrl-dead-letters"), run.out());
        assertTrue(run.out().contains("ok    kafka-user.yaml KafkaUser/okrtrl-job (job access)"), run.out());
        assertTrue(run.out().contains("yamllint clean"), run.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown FlinkDeployment field | flink-deployment.yaml | '  jobManager:'        | '  jobManagr:'                | jobManagr",
        "bad upgrade mode             | flink-deployment.yaml | 'upgradeMode: savepoint' | 'upgradeMode: rolling'      | upgradeMode",
        "unknown Flink version        | flink-deployment.yaml | 'flinkVersion: v2_2'   | 'flinkVersion: v3_0'          | flinkVersion",
        "partitions not a number      | kafka-topics.yaml     | 'partitions: 4'        | 'partitions: four'            | partitions",
        "node pool without roles      | kafka-cluster.yaml    | '  roles:'             | '  rolez:'                    | roles",
        "unknown Service field        | flink-metrics-service.yaml | '  clusterIP: None' | '  clusterIPs2: None'        | clusterIPs2",
        "port is not a number         | flink-metrics-service.yaml | 'port: 9249'      | 'port: nine'                  | nine",
        "unknown metadata field       | kafka-topics.yaml     | '  namespace: okrtrl'  | '  namespaze: okrtrl'         | namespaze",
        "unknown Role field           | flink-rbac.yaml       | '    verbs: [\"get\", \"list\", \"watch\", \"create\", \"update\", \"patch\", \"delete\"]' | '    verbz: [\"get\"]' | verbz",
        "trailing spaces (yamllint)   | namespace.yaml        | 'name: okrtrl'         | 'name: okrtrl   '             | trailing-spaces",
        "misspelt Flink option        | flink-deployment.yaml | 'taskmanager.numberOfTaskSlots:' | 'taskmanager.numberOfTaskSlotz:' | 'taskmanager.numberOfTaskSlotz is not a Flink configuration option (did you mean [taskmanager.numberOfTaskSlots]'",
        "deprecated Flink option      | flink-deployment.yaml | 'execution.checkpointing.dir:' | 'state.checkpoints.dir:' | 'state.checkpoints.dir is deprecated: use execution.checkpointing.dir'",
        "unknown Flink option         | flink-deployment.yaml | 'restart-strategy.type:' | 'restart-strategy.kind:'  | 'restart-strategy.kind is not a Flink configuration option'",
        "model topic not writable     | security/kafka-user.yaml | 'operations: [Read, Write, Describe]' | 'operations: [Read, Describe]' | 'does not grant Write on topic okrtrl-model'",
        "an ACL for every topic       | security/kafka-user.yaml | 'name: okrtrl-predictions' | 'name: \"*\"' | 'names every topic (*)'",
        "transactional ids not granted | security/kafka-user.yaml | 'type: transactionalId' | 'type: group' | 'does not grant Write on transactionalId okrtrl'",
        "job does not authenticate    | flink-deployment.yaml | 'security.protocol=SASL_PLAINTEXT' | 'security.protocol=PLAINTEXT' | 'asks for SCRAM'"
    })
    void aBrokenManifestIsRejected(String label, String file, String from, String to, String expected) throws IOException {
        Path dir = copyOfManifests();
        Path target = dir.resolve(file);
        String text = Files.readString(target);
        assertTrue(text.contains(from), label + ": the fixture text must be present");
        Files.writeString(target, text.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to)));
        CliRun run = validate(dir);
        assertEquals(1, run.exitCode(), label + "\n" + run.out() + run.err());
        assertTrue(run.out().contains(expected), label + ": expected a message naming " + expected + "\n" + run.out());
    }

    @Test
    void theJobsOwnKeysAreAcceptedAndAMisspeltOneIsNot() throws IOException {
        Path dir = copyOfManifests();
        Path target = dir.resolve("flink-deployment.yaml");
        String text = Files.readString(target);
        String slots = "    taskmanager.numberOfTaskSlots: \"2\"\n";
        assertTrue(text.contains(slots));
        Files.writeString(target, text.replace(slots, slots + "    okrtrl.hidden: \"32\"\n    okrtrl.init-scale: \"0.01\"\n"));
        CliRun accepted = validate(dir);
        assertEquals(0, accepted.exitCode(), accepted.out() + accepted.err());
        Files.writeString(target, text.replace(slots, slots + "    okrtrl.hiden: \"32\"\n"));
        CliRun rejected = validate(dir);
        assertEquals(1, rejected.exitCode(), rejected.out());
        assertTrue(rejected.out().contains("okrtrl.hiden is not a Flink configuration option (did you mean [okrtrl.hidden]"),
                rejected.out());
    }

    @Test
    void aKindWithoutSchemaIsRejected() throws IOException {
        Path dir = copyOfManifests();
        Files.writeString(dir.resolve("widget.yaml"),
                "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n");
        CliRun run = validate(dir);
        assertEquals(1, run.exitCode());
        assertTrue(run.out().contains("no schema for example.com/v1 Widget"), run.out());
    }

    private Path copyOfManifests() throws IOException {
        assertTrue(Files.isDirectory(CRDS), "the CRDs must be at " + CRDS.toAbsolutePath());
        Path dir = tmp.resolve("k8s");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.walk(MANIFESTS)) {
            for (Path f : files.toList()) {
                Path to = dir.resolve(MANIFESTS.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Files.copy(Path.of("../.yamllint"), tmp.resolve(".yamllint"));
        return dir;
    }

    private static CliRun validate(Path dir) {
        return CliRun.execute("validate-manifests", "--crds", CRDS.toString(), "--dir", dir.toString());
    }
}
