package org.okrtrl.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The openAPIV3Schema of every served version of the CustomResourceDefinitions found in a
 * directory, turned into strict JSON Schemas: objects that list their properties reject any
 * other field (as the API server does with strict field validation), unless the CRD marks them
 * {@code x-kubernetes-preserve-unknown-fields}; {@code x-kubernetes-int-or-string} becomes
 * "integer or string"; {@code nullable} admits null.
 */
final class CrdSchemas {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, JsonNode> schemas = new HashMap<>();
    private final Map<String, List<String>> versions = new HashMap<>();

    static CrdSchemas load(Path dir) throws IOException {
        CrdSchemas crds = new CrdSchemas();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        for (Path file : files) {
            for (JsonNode doc : readAll(file)) {
                if (!"CustomResourceDefinition".equals(doc.path("kind").asText())) {
                    continue;
                }
                String group = doc.path("spec").path("group").asText();
                String kind = doc.path("spec").path("names").path("kind").asText();
                for (JsonNode version : doc.path("spec").path("versions")) {
                    if (!version.path("served").asBoolean(false)) {
                        continue;
                    }
                    String name = version.path("name").asText();
                    JsonNode schema = version.path("schema").path("openAPIV3Schema");
                    if (schema.isMissingNode()) {
                        continue;
                    }
                    crds.schemas.put(key(group, name, kind), topLevel(strict(schema.deepCopy())));
                    crds.versions.computeIfAbsent(group + "/" + kind, k -> new java.util.ArrayList<>()).add(name);
                }
            }
        }
        return crds;
    }

    /** The strict schema for apiVersion group/version and kind, or null. */
    JsonNode schema(String group, String version, String kind) {
        return schemas.get(key(group, version, kind));
    }

    /** The served versions known for group and kind (empty if the CRD was not given). */
    List<String> servedVersions(String group, String kind) {
        return versions.getOrDefault(group + "/" + kind, List.of());
    }

    int size() {
        return schemas.size();
    }

    static List<JsonNode> readAll(Path file) throws IOException {
        List<JsonNode> docs = new java.util.ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static String key(String group, String version, String kind) {
        return group + "/" + version + "/" + kind;
    }

    /** Every object has apiVersion, kind and metadata, whether or not its CRD spells them out. */
    private static JsonNode topLevel(JsonNode schema) {
        if (schema instanceof ObjectNode root && root.get("properties") instanceof ObjectNode props) {
            if (!props.has("apiVersion")) {
                props.putObject("apiVersion").put("type", "string");
            }
            if (!props.has("kind")) {
                props.putObject("kind").put("type", "string");
            }
            if (!props.has("metadata")) {
                props.putObject("metadata").put("type", "object");
            }
        }
        return schema;
    }

    /** Rewrites a Kubernetes structural schema into a strict JSON Schema (modifies and returns node). */
    static JsonNode strict(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return node;
        }
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            schema.remove("type");
            ArrayNode anyOf = schema.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        if (schema.path("nullable").asBoolean(false) && schema.has("type") && schema.get("type").isTextual()) {
            ArrayNode types = JsonNodeFactory.instance.arrayNode();
            types.add(schema.get("type").asText());
            types.add("null");
            schema.set("type", types);
        }
        JsonNode properties = schema.get("properties");
        if (properties instanceof ObjectNode props) {
            props.fields().forEachRemaining(e -> strict(e.getValue()));
            if (!preserve && !schema.has("additionalProperties")) {
                schema.put("additionalProperties", false);
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            strict(additional);
        }
        JsonNode items = schema.get("items");
        if (items != null) {
            strict(items);
        }
        for (String combinator : new String[] {"allOf", "anyOf", "oneOf"}) {
            JsonNode list = schema.get(combinator);
            if (list != null) {
                list.forEach(CrdSchemas::strict);
            }
        }
        JsonNode not = schema.get("not");
        if (not != null) {
            strict(not);
        }
        schema.remove(List.of("nullable", "example", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
                "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
                "x-kubernetes-embedded-resource", "x-kubernetes-validations"));
        return schema;
    }
}
