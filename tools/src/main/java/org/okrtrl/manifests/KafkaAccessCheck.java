package org.okrtrl.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.okrtrl.job.config.JobConfig;

/**
 * Checks that the manifests give the job the Kafka access it needs and nothing wider: when the
 * Strimzi {@code Kafka} has {@code simple} authorization, a {@code KafkaUser} (in the directory or
 * a subdirectory) must grant, for the topics, groups and transactional-id prefix the
 * FlinkDeployment's arguments name, Read on the input, Read and Write on the model topic (shared
 * model), Write on predictions and dead letters, Read on the consumer groups and Write on the
 * transactional ids; no ACL may name every resource ({@code *}); and the job must authenticate
 * (a SASL {@code security.protocol}) when the listener asks for SCRAM.
 */
final class KafkaAccessCheck {
    private KafkaAccessCheck() {}

    /** One access the job needs: resource type and name, and an operation. */
    private record Need(String type, String name, String operation) {
        @Override
        public String toString() {
            return operation + " on " + type + " " + name;
        }
    }

    static List<ManifestValidator.Finding> check(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        JsonNode kafka = null;
        JsonNode deployment = null;
        Path deploymentFile = null;
        List<JsonNode> users = new ArrayList<>();
        List<Path> userFiles = new ArrayList<>();
        for (Path file : files) {
            List<JsonNode> docs;
            try {
                docs = CrdSchemas.readAll(file);
            } catch (IOException e) {
                continue; // reported by the schema validation
            }
            for (JsonNode doc : docs) {
                switch (doc.path("kind").asText()) {
                    case "Kafka" -> kafka = doc;
                    case "FlinkDeployment" -> {
                        deployment = doc;
                        deploymentFile = file;
                    }
                    case "KafkaUser" -> {
                        users.add(doc);
                        userFiles.add(file);
                    }
                    default -> { }
                }
            }
        }
        List<ManifestValidator.Finding> out = new ArrayList<>();
        if (kafka == null || deployment == null
                || !"simple".equals(kafka.path("spec").path("kafka").path("authorization").path("type").asText())) {
            return out;
        }
        List<String> args = new ArrayList<>();
        deployment.path("spec").path("job").path("args").forEach(a -> args.add(a.asText()));
        JobConfig job;
        try {
            job = JobConfig.fromArgs(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            out.add(new ManifestValidator.Finding(deploymentFile, "FlinkDeployment", "job arguments: " + e.getMessage()));
            return out;
        }
        String object = "FlinkDeployment/" + deployment.path("metadata").path("name").asText();
        boolean scram = false;
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            scram |= listener.path("authentication").path("type").asText().startsWith("scram");
        }
        String protocol = job.kafkaProperties.getOrDefault("security.protocol", "PLAINTEXT");
        if (scram && !protocol.startsWith("SASL")) {
            out.add(new ManifestValidator.Finding(deploymentFile, object, "the Kafka listener asks for SCRAM, but the "
                    + "job's security.protocol is " + protocol + " (--kafka-property security.protocol=SASL_...)"));
        }
        if (users.isEmpty()) {
            out.add(new ManifestValidator.Finding(deploymentFile, object, "the Kafka cluster has simple authorization, "
                    + "but no KafkaUser grants the job its topics"));
            return out;
        }
        List<Need> needs = new ArrayList<>(List.of(
                new Need("topic", job.inputTopic, "Read"),
                new Need("topic", job.predictionsTopic, "Write"),
                new Need("topic", job.deadLetterTopic, "Write"),
                new Need("group", job.groupId, "Read"),
                new Need("transactionalId", job.transactionalIdPrefix, "Write")));
        if (job.sharedModel()) {
            needs.add(new Need("topic", job.modelTopic, "Read"));
            needs.add(new Need("topic", job.modelTopic, "Write"));
            needs.add(new Need("group", job.groupId + "-model", "Read"));
        }
        for (int u = 0; u < users.size(); u++) {
            JsonNode user = users.get(u);
            String userObject = "KafkaUser/" + user.path("metadata").path("name").asText();
            List<String> problems = new ArrayList<>();
            JsonNode acls = user.path("spec").path("authorization").path("acls");
            for (JsonNode acl : acls) {
                if ("*".equals(acl.path("resource").path("name").asText())) {
                    problems.add("an ACL names every " + acl.path("resource").path("type").asText()
                            + " (*): grant the job's own resources only");
                }
            }
            for (Need need : needs) {
                if (!grants(acls, need)) {
                    problems.add("does not grant " + need + " (the job's arguments name it)");
                }
            }
            if (problems.isEmpty()) {
                out.add(new ManifestValidator.Finding(userFiles.get(u), userObject + " (job access)", null));
            }
            for (String p : problems) {
                out.add(new ManifestValidator.Finding(userFiles.get(u), userObject, p));
            }
        }
        return out;
    }

    /** Whether some ACL allows need: same type, a literal name equal to it or a prefix of it, the operation or All. */
    private static boolean grants(JsonNode acls, Need need) {
        for (JsonNode acl : acls) {
            JsonNode resource = acl.path("resource");
            if (!need.type().equals(resource.path("type").asText())
                    || "deny".equalsIgnoreCase(acl.path("type").asText("allow"))) {
                continue;
            }
            String name = resource.path("name").asText();
            boolean prefix = "prefix".equals(resource.path("patternType").asText("literal"));
            boolean matches = prefix ? need.name().startsWith(name) : need.name().equals(name);
            if (!matches) {
                continue;
            }
            for (JsonNode op : acl.path("operations")) {
                if (op.asText().equals(need.operation()) || op.asText().equals("All")) {
                    return true;
                }
            }
        }
        return false;
    }
}
