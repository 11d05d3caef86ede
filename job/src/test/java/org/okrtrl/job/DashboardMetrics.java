package org.okrtrl.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/**
 * Checks the Grafana dashboard in k8s/monitoring against the metrics a running job registered,
 * named the way Flink's Prometheus reporter names them: "flink_" + the group's logical scope
 * joined by '_' + the metric name, characters outside [a-zA-Z0-9_:] replaced by '_'; label values
 * filtered the same way.
 */
final class DashboardMetrics {
    static final Path DASHBOARD = Path.of("..", "k8s", "monitoring", "grafana-dashboard.json");
    private static final CharacterFilter PROMETHEUS = s -> s.replaceAll("[^a-zA-Z0-9:_]", "_");
    private static final Pattern METRIC = Pattern.compile("\\bflink_[a-zA-Z0-9_:]+");
    private static final Pattern OPERATOR_LABEL = Pattern.compile("operator_name=\"([^\"]+)\"");

    private DashboardMetrics() {}

    /** Prometheus names of every metric the reporter saw, and the operator names among their labels. */
    static Set<String> prometheusNames(InMemoryReporter reporter, Set<String> operatorNames) {
        Set<String> names = new TreeSet<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> e : reporter.getMetricsByGroup().entrySet()) {
            MetricGroup group = e.getKey();
            // The reporter sees the registry's own groups (the reporters' front groups wrap them).
            String scope = group instanceof AbstractMetricGroup<?> g ? g.getLogicalScope(PROMETHEUS, '_')
                    : LogicalScopeProvider.castFrom(group).getLogicalScope(PROMETHEUS, '_');
            for (String metric : e.getValue().keySet()) {
                names.add("flink_" + scope + "_" + PROMETHEUS.filterCharacters(metric));
            }
            String operator = group.getAllVariables().get("<operator_name>");
            if (operator != null) {
                operatorNames.add(PROMETHEUS.filterCharacters(operator));
            }
        }
        return names;
    }

    /** Every metric and operator name the dashboard's queries use was registered by the job. */
    static void assertDashboardUsesRegisteredNames(InMemoryReporter reporter) throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Set<String> operators = new TreeSet<>();
        Set<String> registered = prometheusNames(reporter, operators);
        int queries = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asText();
                queries++;
                Matcher m = METRIC.matcher(expr);
                boolean any = false;
                while (m.find()) {
                    any = true;
                    String name = m.group();
                    // Histograms are exported as summaries: name{quantile=...} plus name_count.
                    String base = name.endsWith("_count") ? name.substring(0, name.length() - 6) : name;
                    assertTrue(registered.contains(name) || registered.contains(base), "panel '"
                            + panel.get("title").asText() + "' queries " + name + ", which the job never registered");
                }
                assertTrue(any, "panel '" + panel.get("title").asText() + "' queries no Flink metric: " + expr);
                Matcher label = OPERATOR_LABEL.matcher(expr);
                while (label.find()) {
                    assertTrue(operators.contains(label.group(1)), "panel '" + panel.get("title").asText()
                            + "' selects operator " + label.group(1) + "; the job's operators are " + operators);
                }
            }
        }
        assertTrue(queries >= 10, "the dashboard has " + queries + " queries");
    }
}
