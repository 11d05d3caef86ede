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

/**
 * Reads every key's model from a savepoint (or retained checkpoint) with the State Processor
 * API and writes one JSON file per key plus {@code index.json}.
 */
public final class ModelExport {
    private ModelExport() {}

    /** Exports into outDir (created); returns the number of keys written. */
    public static int export(String savepoint, Path outDir) throws Exception {
        Files.createDirectories(outDir);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
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
