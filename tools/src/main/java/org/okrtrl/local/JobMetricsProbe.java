package org.okrtrl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads one of the job's own metrics, summed over the training operator's subtasks, from the
 * MiniCluster's REST API: what the job has trained, before its predictions are committed.
 */
final class JobMetricsProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String jobId;
    private String vertex;
    private final java.util.Map<String, String> metricIds = new java.util.HashMap<>();

    JobMetricsProbe(int restPort, String jobId) {
        this.base = "http://127.0.0.1:" + restPort;
        this.jobId = jobId;
    }

    /** The sum of metric (e.g. "okrtrl.events") over the training subtasks, or -1 while unknown. */
    long sum(String metric) {
        double sum = aggregate(metric, "sum");
        return Double.isNaN(sum) ? -1 : (long) sum;
    }

    /** The largest value of metric over the training subtasks, NaN while unknown. */
    double max(String metric) {
        return aggregate(metric, "max");
    }

    private double aggregate(String metric, String aggregation) {
        try {
            if (vertex == null) {
                for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
                    if (v.path("name").asText().contains("online training")) {
                        vertex = v.path("id").asText();
                    }
                }
                if (vertex == null) {
                    return Double.NaN;
                }
            }
            String metricId = metricIds.get(metric);
            if (metricId == null) {
                for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics")) {
                    String id = m.path("id").asText();
                    if (id.endsWith(metric) && id.contains("online")) {
                        metricId = id;
                    }
                }
                if (metricId == null) {
                    return Double.NaN;
                }
                metricIds.put(metric, metricId);
            }
            JsonNode values = get("/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics?get="
                    + java.net.URLEncoder.encode(metricId, java.nio.charset.StandardCharsets.UTF_8) + "&agg=" + aggregation);
            return values.isArray() && values.size() > 0 ? values.get(0).path(aggregation).asDouble(Double.NaN)
                    : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
