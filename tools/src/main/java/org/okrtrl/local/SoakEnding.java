package org.okrtrl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.okrtrl.job.export.SharedModelReader;
import org.okrtrl.operators.replication.Replica;
import org.okrtrl.operators.replication.StoredReplica;

/**
 * The soak's end: the job's own counters read over Flink's REST API, a stop with a savepoint,
 * and what the savepoint's replicas say about agreement.
 */
final class SoakEnding {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private SoakEnding() {}

    /**
     * The sum over every subtask of the operator metric whose name ends with metric (e.g.
     * modelUpdatesRejected), or -1 when the job does not report it.
     */
    static long operatorMetricSum(int rest, String jobId, String metric) {
        try {
            long sum = 0;
            boolean found = false;
            for (JsonNode vertex : get(rest, "/jobs/" + jobId).get("vertices")) {
                String base = "/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/subtasks/metrics";
                for (JsonNode m : get(rest, base)) {
                    String id = m.get("id").asText();
                    if (id.endsWith("." + metric)) {
                        for (JsonNode v : get(rest, base + "?get=" + id + "&agg=sum")) {
                            sum += v.get("sum").asLong();
                            found = true;
                        }
                    }
                }
            }
            return found ? sum : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Stops the job with a savepoint under savepoints; returns the savepoint's path. */
    static String stopWithSavepoint(Path flink, Path savepoints, String jobId) throws Exception {
        StandaloneCluster.CliResult r = StandaloneCluster.flink(flink,
                List.of("stop", "--savepointPath", savepoints.toUri().toString(), jobId), null);
        Matcher m = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(r.output());
        if (r.exitCode() != 0 || !m.find()) {
            throw new IOException("stop with savepoint failed: " + r.output());
        }
        return m.group(1);
    }

    /** The largest relative difference between the savepoint's replicas of the shared model. */
    static double replicaDifference(String savepoint) throws Exception {
        List<StoredReplica> replicas = SharedModelReader.replicas(savepoint);
        return SharedModelReader.maxRelativeDifference(replicas);
    }

    /** A GET on the cluster's REST API (also the soak's own probes). */
    static JsonNode get(int rest, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + rest + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }
}
