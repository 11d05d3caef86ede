package org.okrtrl.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Validates every manifest in a directory: custom resources against the strict form of their
 * CRD's schema (and their metadata against the Kubernetes object model), core objects against
 * the fabric8 Kubernetes API model, the keys of a Flink resource's {@code flinkConfiguration}
 * against Flink's own configuration options ({@link FlinkConfigurationKeys}), the job's Kafka
 * access against the ACLs of its KafkaUser ({@link KafkaAccessCheck}), and all files
 * (subdirectories included) with yamllint.
 */
public final class ManifestValidator {
    /** One finding: a file, the document's kind/name, and what is wrong (null when valid). */
    public record Finding(Path file, String object, String problem) {
        public boolean ok() {
            return problem == null;
        }

        @Override
        public String toString() {
            return (ok() ? "ok    " : "ERROR ") + file.getFileName() + " " + object + (ok() ? "" : ": " + problem);
        }
    }

    private final CrdSchemas crds;
    private final FlinkConfigurationKeys flinkKeys;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    public ManifestValidator(Path crdDir) throws IOException {
        this.crds = CrdSchemas.load(crdDir);
        if (crds.size() == 0) {
            throw new IOException("no CustomResourceDefinition with a schema found in " + crdDir);
        }
        this.flinkKeys = FlinkConfigurationKeys.load();
    }

    /** Validates the .yaml/.yml files of dir (not recursing into subdirectories). */
    public List<Finding> validate(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no .yaml files in " + dir);
        }
        List<Finding> findings = new ArrayList<>();
        for (Path file : files) {
            List<JsonNode> docs;
            try {
                docs = CrdSchemas.readAll(file);
            } catch (IOException e) {
                findings.add(new Finding(file, "-", "not valid YAML: " + e.getMessage()));
                continue;
            }
            for (JsonNode doc : docs) {
                findings.addAll(validateDocument(file, doc));
            }
        }
        findings.addAll(KafkaAccessCheck.check(dir));
        return findings;
    }

    private List<Finding> validateDocument(Path file, JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        String name = doc.path("metadata").path("name").asText("");
        String object = (kind.isEmpty() ? "?" : kind) + "/" + (name.isEmpty() ? "?" : name);
        List<Finding> out = new ArrayList<>();
        if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
            out.add(new Finding(file, object, "apiVersion, kind and metadata.name are required"));
            return out;
        }
        List<String> problems = new ArrayList<>();
        if (CoreObjects.knows(apiVersion, kind)) {
            problems.addAll(CoreObjects.validate(apiVersion, kind, doc));
        } else {
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = apiVersion.substring(slash + 1);
            JsonNode schema = crds.schema(group, version, kind);
            if (schema == null) {
                List<String> served = crds.servedVersions(group, kind);
                problems.add(served.isEmpty()
                        ? "no schema for " + apiVersion + " " + kind + ": pass its CustomResourceDefinition in --crds"
                        : "version " + version + " of " + kind + " is not served; the CRD serves " + served);
            } else {
                JsonSchema validator = factory.getSchema(schema, SchemaValidatorsConfig.builder().build());
                Set<ValidationMessage> messages = validator.validate(doc);
                for (ValidationMessage m : messages) {
                    problems.add(m.getMessage());
                }
                problems.addAll(CoreObjects.validateMetadata(doc.path("metadata")));
                if (group.equals("flink.apache.org")) {
                    doc.path("spec").path("flinkConfiguration").fieldNames().forEachRemaining(key -> {
                        String problem = flinkKeys.check(key);
                        if (problem != null) {
                            problems.add(problem);
                        }
                    });
                }
            }
        }
        if (problems.isEmpty()) {
            out.add(new Finding(file, object, null));
        }
        for (String p : problems) {
            out.add(new Finding(file, object, p));
        }
        return out;
    }

    /**
     * Runs yamllint (strict, with the project's configuration when given) on the manifests of
     * dir and its subdirectories; returns its complaints, empty when clean.
     */
    public static List<String> yamllint(Path dir, Path config) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("yamllint", "--strict", "--format", "parsable"));
        if (config != null) {
            command.addAll(List.of("--config-file", config.toString()));
        }
        try (Stream<Path> list = Files.walk(dir)) {
            list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                    .forEach(p -> command.add(p.toString()));
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("yamllint is not installed (Debian: apt-get install yamllint): " + e.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("yamllint did not finish");
        }
        List<String> complaints = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                complaints.add(line.strip());
            }
        }
        if (process.exitValue() != 0 && complaints.isEmpty()) {
            complaints.add("yamllint exited with status " + process.exitValue());
        }
        return complaints;
    }
}
