package io.appmanager.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.ServiceFacts;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.appmanager.support.ServiceFacts.maps;
import static io.appmanager.support.ServiceFacts.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/grafana/dashboards/appmanager.json: the panels issue 6 asks for, well-formed, on the provisioned
 * datasource, and reading only metrics of the Metrics reference (docs/operations.md). That the service
 * really exposes each of them is {@link DeployDashboardMetricsScrapeTest}'s part.
 */
class DeployDashboardTest {

    /** The panels issue 6 lists, by title. */
    static final List<String> REQUIRED_PANELS = List.of(
            "Reconnect success rate", "Reconnect latency", "Resurrection rate", "False-resurrection rate",
            "App sessions by state", "Webhook outcomes", "Gateway connections", "Delivery rate", "Slow-consumer closes");

    /** Histogram series Prometheus derives from a timer: the reference lists the timer's base name. */
    private static final String HISTOGRAM_SUFFIX = "_(bucket|sum|count)$";

    @Test
    void theDashboardHasEveryPanelTheIssueAsksFor() {
        Set<String> titles = new HashSet<>();
        DeployFiles.panels(DeployFiles.dashboard()).forEach(p -> titles.add(p.path("title").asText()));
        for (String title : REQUIRED_PANELS) {
            assertTrue(titles.contains(title), "no panel titled " + title + " in " + DeployFiles.DASHBOARD);
        }
    }

    @Test
    void panelIdsAreUniqueAndPanelsFitTheGrid() {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : DeployFiles.panels(DeployFiles.dashboard())) {
            assertTrue(p.path("id").isInt(), "a panel without a numeric id: " + p.path("title"));
            assertTrue(ids.add(p.path("id").asInt()), "panel id " + p.path("id") + " used twice");
            JsonNode g = p.path("gridPos");
            assertTrue(g.path("w").asInt() > 0 && g.path("x").asInt() + g.path("w").asInt() <= 24 && g.path("h").asInt() > 0,
                    p.path("title") + " does not fit Grafana's 24 columns: " + g);
        }
        assertFalse(DeployFiles.dashboard().path("uid").asText().isEmpty(), "no dashboard uid: links to it would break on re-import");
    }

    /** Every query panel, and each of its queries, reads the datasource compose provisions. */
    @Test
    void everyQueryUsesTheProvisionedDatasource() {
        Map<String, Object> ds = maps(ServiceFacts.loadYamlMap(DeployFiles.DATASOURCES).get("datasources")).get(0);
        String uid = str(ds, "uid");
        String type = str(ds, "type");
        int queries = 0;
        for (JsonNode p : DeployFiles.panels(DeployFiles.dashboard())) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            assertEquals(uid, p.path("datasource").path("uid").asText(), p.path("title") + " datasource uid");
            assertEquals(type, p.path("datasource").path("type").asText(), p.path("title") + " datasource type");
            assertFalse(p.path("targets").isEmpty(), p.path("title") + " has no query");
            for (JsonNode t : p.path("targets")) {
                assertEquals(uid, t.path("datasource").path("uid").asText(), p.path("title") + " query " + t.path("refId"));
                assertFalse(t.path("expr").asText().isBlank(), p.path("title") + " query " + t.path("refId") + " is empty");
                queries++;
            }
        }
        assertTrue(queries >= REQUIRED_PANELS.size());
    }

    /** Average from _sum/_count, p95 and p99 from the buckets (the timer publishes a percentile histogram). */
    @Test
    void reconnectLatencyShowsTheAverageP95AndP99() {
        List<String> exprs = new ArrayList<>();
        for (JsonNode p : DeployFiles.panels(DeployFiles.dashboard())) {
            if (p.path("title").asText().equals("Reconnect latency")) {
                p.path("targets").forEach(t -> exprs.add(t.path("expr").asText().replaceAll("\\s+", "")));
            }
        }
        String metric = "appmanager_app_reconnect_latency_seconds";
        assertTrue(exprs.stream().anyMatch(e -> e.contains(metric + "_sum") && e.contains("/") && e.contains(metric + "_count")), "no average: " + exprs);
        for (String q : List.of("0.95", "0.99")) {
            assertTrue(exprs.stream().anyMatch(e -> e.startsWith("histogram_quantile(" + q + ",") && e.contains(metric + "_bucket")
                    && e.contains("by(le)")), "no p" + q.substring(2) + " over the buckets of every node: " + exprs);
        }
    }

    /** A metric renamed in the code and in its reference, but not in the dashboard, must fail here. */
    @Test
    void everyMetricOfTheDashboardIsInTheMetricsReference() {
        String reference = ServiceFacts.metricsReference();
        Set<String> metrics = DeployFiles.dashboardMetrics();
        assertFalse(metrics.isEmpty());
        for (String metric : metrics) {
            String base = metric.replaceFirst(HISTOGRAM_SUFFIX, "");
            assertTrue(reference.contains("`" + metric + "`") || reference.contains("`" + base + "`"),
                    "the dashboard reads " + metric + ", which docs/operations.md's Metrics section does not list");
        }
    }
}
