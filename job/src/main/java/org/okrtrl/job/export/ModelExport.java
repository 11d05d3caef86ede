package org.okrtrl.job.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.okrtrl.job.OkrtrlJob;
import org.okrtrl.operators.replication.Replica;
import org.okrtrl.operators.replication.StoredReplica;

/**
 * Reads every key's model from a savepoint (or retained checkpoint) with the State Processor
 * API and writes one JSON file per key plus {@code index.json}.
 */
public final class ModelExport {
    private ModelExport() {}

    /**
     * Exports into outDir (created): the shared model ({@code shared-model.json}) when the
     * savepoint holds one, else every key's model. Returns the number of models written.
     */
    public static int export(String savepoint, Path outDir) throws Exception {
        Files.createDirectories(outDir);
        List<StoredReplica> replicas = sharedReplicas(savepoint);
        if (!replicas.isEmpty()) {
            exportShared(savepoint, replicas, outDir);
            return 1;
        }
        return exportPerKey(savepoint, outDir);
    }

    /**
     * Writes the savepoint's shared model as one self-contained model file ({@code model.json},
     * {@link ModelFiles}) when config (the job's flags) describes it, and returns null; otherwise
     * writes nothing and returns why (a per-key savepoint, or a model other than the flags').
     */
    public static String exportModelFile(String savepoint, org.okrtrl.job.config.JobConfig config, Path file)
            throws Exception {
        List<StoredReplica> replicas = sharedReplicas(savepoint);
        if (replicas.isEmpty()) {
            return "the savepoint holds one model per key, not a shared model";
        }
        StoredReplica base = replicas.stream().min(java.util.Comparator.comparingInt(StoredReplica::subtask))
                .orElseThrow();
        String described = config.trainingConfig().modelFingerprint();
        if (!org.okrtrl.operators.replication.Fingerprint.sameModel(described, base.fingerprint())) {
            return "the savepoint's model is " + base.fingerprint() + ", the flags given describe " + described
                    + " (give export-model the job's flags: --model-id, --algo, --cell, --hidden, --vocab, --seed, ...)";
        }
        ModelFiles.of(config, base.w(), base.v()).write(file);
        return null;
    }

    /** The shared model's replicas, or none if the savepoint is of a per-key job. */
    private static List<StoredReplica> sharedReplicas(String savepoint) {
        try {
            return SharedModelReader.replicas(savepoint);
        } catch (Exception e) {
            // A per-key job has no shared-model state on the training operator.
            return List.of();
        }
    }

    /**
     * Writes the shared model: the replica of the lowest subtask (after a drain every replica is
     * the same), how far the others are from it, and each replica's ledger.
     */
    private static void exportShared(String savepoint, List<StoredReplica> replicas, Path outDir) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        StoredReplica base = replicas.stream().min(java.util.Comparator.comparingInt(StoredReplica::subtask))
                .orElseThrow();
        ObjectNode o = mapper.createObjectNode();
        o.put("model", "shared");
        o.put("fingerprint", base.fingerprint());
        o.put("savepoint", savepoint);
        o.put("replicas", replicas.size());
        o.put("replica_max_relative_difference", SharedModelReader.maxRelativeDifference(replicas));
        o.put("updates", base.modelScalars()[1]);
        ArrayNode ledgers = o.putArray("replica_ledgers");
        for (StoredReplica r : replicas) {
            ObjectNode entry = ledgers.addObject();
            entry.put("origin", r.origin());
            entry.put("subtask", r.subtask());
            entry.put("published", r.published());
            entry.put("applied", r.applied());
            ObjectNode origins = entry.putObject("highest_applied_by_origin");
            r.ledger().forEach((origin, v) -> origins.put(Long.toString(origin), v[0]));
        }
        int inputs = sizeIn(base.fingerprint(), "m=");
        int hidden = sizeIn(base.fingerprint(), "n=");
        o.set("W", KeyModelReader.rows(mapper, base.w(), inputs + hidden + 1));
        o.set("V", KeyModelReader.rows(mapper, base.v(), hidden + 1));
        mapper.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("shared-model.json").toFile(), o);
        ObjectNode index = mapper.createObjectNode();
        index.put("savepoint", savepoint);
        index.put("model", "shared");
        index.put("file", "shared-model.json");
        mapper.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("index.json").toFile(), index);
    }

    /** A size from the model's fingerprint ("...|m=96|n=64|..."). */
    private static int sizeIn(String fingerprint, String field) {
        for (String part : fingerprint.split("\\|")) {
            if (part.startsWith(field)) {
                return Integer.parseInt(part.substring(field.length()));
            }
        }
        throw new IllegalStateException("no " + field + " in model fingerprint " + fingerprint);
    }

    private static int exportPerKey(String savepoint, Path outDir) throws Exception {
        StreamExecutionEnvironment env = SavepointEnvironments.forModels();
        SavepointReader reader = SavepointReader.read(env, savepoint, new HashMapStateBackend());
        ObjectMapper mapper = new ObjectMapper();
        List<String> keys = new ArrayList<>();
        try (CloseableIterator<String> models = reader
                .readKeyedState(OperatorIdentifier.forUid(OkrtrlJob.TRAINING_UID), new KeyModelReader())
                .executeAndCollect("export models")) {
            while (models.hasNext()) {
                JsonNode model = mapper.readTree(models.next());
                String key = model.get("key").asText();
                keys.add(key);
                mapper.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve(fileName(key)).toFile(), model);
            }
        }
        keys.sort(null);
        ObjectNode index = mapper.createObjectNode();
        index.put("savepoint", savepoint);
        ArrayNode entries = index.putArray("keys");
        for (String key : keys) {
            entries.addObject().put("key", key).put("file", fileName(key));
        }
        mapper.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("index.json").toFile(), index);
        return keys.size();
    }

    /** A file name for any key: URL-encoded, so keys with slashes or spaces stay one file. */
    public static String fileName(String key) {
        return "model-" + URLEncoder.encode(key, StandardCharsets.UTF_8) + ".json";
    }
}
