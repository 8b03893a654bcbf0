package io.appmanager.deploy;

import io.appmanager.gateway.GatewayConfig;
import io.appmanager.support.ServiceFacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.appmanager.support.ServiceFacts.asMap;
import static io.appmanager.support.ServiceFacts.configDefault;
import static io.appmanager.support.ServiceFacts.duration;
import static io.appmanager.support.ServiceFacts.get;
import static io.appmanager.support.ServiceFacts.maps;
import static io.appmanager.support.ServiceFacts.str;
import static io.appmanager.support.ServiceFacts.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/compose.yaml and the files it mounts (Prometheus, nginx, Grafana provisioning) against the
 * service and k8s/base: the image, the multi-node settings, known environment variables, distinct node
 * ids, health and metrics paths, scrape targets, the balancer's upstreams and timeouts, healthchecks
 * behind every depends_on condition, and no real secret. The stack itself cannot run here (no Docker
 * engine, no registry): deploy/README.md says what was and was not verified.
 */
class DeployComposeTest {

    /** Environment variables that carry secrets: their committed values must be public placeholders. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(SECRET|PASSWORD|_KEY)");
    /** A URL with credentials in it (redis://:password@host, postgresql://user:password@host). */
    private static final Pattern URL_WITH_CREDENTIALS = Pattern.compile(".*://[^/@\\s]*:[^/@\\s]*@.*");
    /** ${NAME:-default} or ${NAME-default}: compose's interpolation with a default. */
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{([A-Z0-9_]+):?-([^}]*)}");
    /** What the k8s ConfigMap sets that is not specific to one installation (URLs are). */
    private static final List<String> SHARED_WITH_K8S = List.of(
            "APPMANAGER_FANOUT_ENGINE", "APPMANAGER_DB_EMBEDDED_ENABLED", "APPMANAGER_GATEWAY_CLOSE_TIMEOUT", "QUARKUS_SHUTDOWN_DELAY");

    private static Map<String, Object> services;
    private static Map<String, Map<String, Object>> nodes;

    @BeforeAll
    static void load() {
        services = DeployFiles.services();
        nodes = DeployFiles.appManagerServices();
    }

    @Test
    void twoAppManagerNodesRunTheKubernetesImage() {
        assertEquals(2, nodes.size(), "AppManager services (image " + DeployFiles.k8sImage() + "): " + nodes.keySet());
        for (Object s : services.values()) {
            String image = str(asMap(s), "image");
            assertNotNull(image, "every service runs a published image (nothing is built here)");
            assertTrue(image.matches("[^:]+:v?[0-9][^:]*") && !image.endsWith(":latest"), "image tag not pinned: " + image);
        }
    }

    @Test
    void theNodesHaveDistinctNodeIdsAndOtherwiseTheSameSettings() {
        String nodeId = ServiceFacts.envName("appmanager.app-sessions.node-id");
        Set<String> ids = new HashSet<>();
        Map<String, String> common = null;
        for (var node : nodes.entrySet()) {
            Map<String, String> env = new HashMap<>(DeployFiles.environment(node.getValue()));
            String id = env.remove(nodeId);
            assertNotNull(id, node.getKey() + " has no " + nodeId + " (the container id would change on every recreate)");
            assertTrue(ids.add(id), "node id " + id + " used twice");
            if (common == null) {
                common = env;
            } else {
                assertEquals(common, env, node.getKey() + " differs from the other node in more than its node id");
            }
        }
    }

    /** docs/operations.md, Several nodes: same PostgreSQL, same Redis feed, same keys; as k8s/base's ConfigMap and Secret. */
    @Test
    void theNodesShareOnePostgresqlAndOneRedisFeedAsInKubernetes() {
        Map<String, Object> configMap = asMap(get(ServiceFacts.loadYamlMap(Path.of("k8s/base/configmap.yaml")), "data"));
        Map<String, Object> secret = asMap(get(ServiceFacts.loadYamlMap(Path.of("k8s/base/secret.example.yaml")), "stringData"));
        for (var node : nodes.entrySet()) {
            Map<String, String> env = DeployFiles.environment(node.getValue());
            for (String key : SHARED_WITH_K8S) {
                assertEquals(String.valueOf(configMap.get(key)), env.get(key), node.getKey() + " " + key + " differs from k8s/base");
            }
            for (String key : configMap.keySet()) {
                assertTrue(env.containsKey(key), node.getKey() + " does not set " + key + " (k8s/base's ConfigMap does)");
            }
            for (String key : secret.keySet()) {
                assertTrue(env.containsKey(key), node.getKey() + " does not set " + key + " (k8s/base's Secret does)");
            }
            URI reactive = URI.create(env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
            URI jdbc = URI.create(env.get("QUARKUS_DATASOURCE_JDBC_URL").substring("jdbc:".length()));
            assertEquals(reactive.getHost() + ":" + reactive.getPort() + reactive.getPath(),
                    jdbc.getHost() + ":" + jdbc.getPort() + jdbc.getPath(), "the reactive and JDBC URLs name different databases");
            assertServicePort(reactive.getHost(), reactive.getPort(), "PostgreSQL");
            URI redis = URI.create(env.get("APPMANAGER_FANOUT_REDIS_URL"));
            assertServicePort(redis.getHost(), redis.getPort(), "Redis");
            assertEquals(List.of(), ServiceFacts.unknownEnvNames(env.keySet()),
                    node.getKey() + " sets variables that map to no property (Quarkus ignores them silently)");
        }
    }

    @Test
    void healthchecksProbeTheSmallRyeReadinessPathAndEveryDependsOnConditionHasOne() {
        String ready = ServiceFacts.healthPath("quarkus.smallrye-health.readiness-path");
        for (var node : nodes.entrySet()) {
            String test = String.join(" ", strings(get(node.getValue(), "healthcheck", "test")));
            assertTrue(test.contains(" " + ready + " "), node.getKey() + " healthcheck does not ask " + ready + ": " + test);
            assertTrue(test.contains("/" + ServiceFacts.httpPort()), node.getKey() + " healthcheck asks another port: " + test);
            for (String dependency : List.of("postgres", "redis")) {
                assertEquals("service_healthy", str(node.getValue(), "depends_on", dependency, "condition"),
                        node.getKey() + " starts before " + dependency + " is healthy");
            }
        }
        for (var s : services.entrySet()) {
            for (var dep : asMap(asMap(s.getValue()).get("depends_on")).entrySet()) {
                assertTrue(services.containsKey(dep.getKey()), s.getKey() + " depends on unknown service " + dep.getKey());
                if ("service_healthy".equals(asMap(dep.getValue()).get("condition"))) {
                    assertNotNull(get(asMap(services.get(dep.getKey())), "healthcheck", "test"),
                            s.getKey() + " waits for " + dep.getKey() + " to be healthy, which has no healthcheck");
                }
            }
        }
    }

    /** Stopping a node drains it: the grace covers the drain and the shutdown delay, as k8s' grace period does. */
    @Test
    void theStopGracePeriodCoversTheDrain() {
        for (var node : nodes.entrySet()) {
            Map<String, String> env = DeployFiles.environment(node.getValue());
            Duration close = duration(env.getOrDefault("APPMANAGER_GATEWAY_CLOSE_TIMEOUT", configDefault(GatewayConfig.class, "closeTimeout")));
            Duration delay = duration(env.getOrDefault("QUARKUS_SHUTDOWN_DELAY", "0s"));
            Duration grace = duration(String.valueOf(node.getValue().getOrDefault("stop_grace_period", "10s")));
            Duration needed = ServiceFacts.drainBudget(close, delay);
            assertTrue(grace.compareTo(needed) >= 0, node.getKey() + ": stop_grace_period " + grace + " under the drain " + needed);
        }
    }

    @Test
    void prometheusScrapesEveryNodeOnTheHttpPortAndMetricsPath() {
        Map<String, Object> prometheus = ServiceFacts.loadYamlMap(DeployFiles.PROMETHEUS);
        assertFalse(prometheus.containsKey("rule_files"),
                "prometheus.yml loads rules now: check their metrics as DeployDashboardTest does the dashboard's (and see decision 0019)");
        Properties properties = ServiceFacts.applicationProperties();
        Set<String> expected = new LinkedHashSet<>();
        nodes.keySet().forEach(n -> expected.add(n + ":" + ServiceFacts.httpPort()));
        Set<String> scraped = new LinkedHashSet<>();
        for (Map<String, Object> job : maps(prometheus.get("scrape_configs"))) {
            assertEquals(properties.getProperty("quarkus.micrometer.export.prometheus.path"), job.get("metrics_path"), "metrics_path");
            for (Map<String, Object> sc : maps(job.get("static_configs"))) {
                scraped.addAll(strings(sc.get("targets")));
            }
        }
        assertEquals(expected, scraped, "Prometheus targets");
        assertMounted("prometheus", DeployFiles.PROMETHEUS, configFlag("prometheus", "--config.file="));
    }

    @Test
    void theBalancerSpreadsOverEveryNodeAndKeepsWebSocketsOpenLongerThanTheHeartbeatTimeout() throws IOException {
        String conf = Files.readString(DeployFiles.NGINX);
        Set<String> upstreams = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*server\\s+([a-z0-9.-]+:\\d+)").matcher(conf);
        while (m.find()) {
            upstreams.add(m.group(1));
        }
        Set<String> expected = new LinkedHashSet<>();
        nodes.keySet().forEach(n -> expected.add(n + ":" + ServiceFacts.httpPort()));
        assertEquals(expected, upstreams, "nginx upstream servers");
        String directives = conf.replaceAll("#[^\n]*", "");
        assertFalse(directives.matches("(?s).*\\b(ip_hash|hash|sticky)\\b.*"), "no sticky sessions: any node resumes any session");
        assertTrue(conf.contains("proxy_set_header Upgrade $http_upgrade;") && conf.contains("proxy_http_version 1.1;"),
                "nginx does not pass WebSocket upgrades");
        Duration heartbeatTimeout = duration(configDefault(GatewayConfig.class, "heartbeatInterval"))
                .multipliedBy(Integer.parseInt(configDefault(GatewayConfig.class, "heartbeatTimeoutFactor")));
        Matcher read = Pattern.compile("proxy_read_timeout\\s+(\\w+);").matcher(conf);
        assertTrue(read.find(), "no proxy_read_timeout: nginx' 60 s default cuts idle WebSockets");
        assertTrue(duration(read.group(1)).compareTo(heartbeatTimeout) > 0,
                "proxy_read_timeout " + read.group(1) + " is not above the heartbeat timeout " + heartbeatTimeout);
        assertMounted("balancer", DeployFiles.NGINX, "/etc/nginx/nginx.conf");
        Map<String, Object> balancer = asMap(services.get("balancer"));
        for (String node : nodes.keySet()) {
            assertEquals("service_healthy", str(balancer, "depends_on", node, "condition"), "the balancer waits for " + node);
        }
    }

    @Test
    void grafanaProvisionsThePrometheusDatasourceAndTheDashboardFolder() {
        Map<String, Object> ds = maps(ServiceFacts.loadYamlMap(DeployFiles.DATASOURCES).get("datasources")).get(0);
        URI url = URI.create(str(ds, "url"));
        assertServicePort(url.getHost(), url.getPort(), "Prometheus");
        assertEquals("prometheus", url.getHost(), "Grafana's datasource is not the compose Prometheus");
        String provisioning = mountTarget("grafana", DeployFiles.DEPLOY.resolve("grafana/provisioning"));
        assertEquals("/etc/grafana/provisioning", provisioning, "Grafana reads provisioning from /etc/grafana/provisioning");
        String dashboards = mountTarget("grafana", DeployFiles.DASHBOARD.getParent());
        String providerPath = str(maps(ServiceFacts.loadYamlMap(DeployFiles.DASHBOARD_PROVIDERS).get("providers")).get(0), "options", "path");
        assertEquals(dashboards, providerPath, "the dashboard provider reads another directory than the one mounted");
        String home = DeployFiles.environment(asMap(services.get("grafana"))).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertEquals(dashboards + "/" + DeployFiles.DASHBOARD.getFileName(), home, "Grafana's home dashboard");
    }

    /**
     * Every secret-like variable is a ${VAR:-default} whose default is a published development value:
     * marked dev-only, or one of application.properties' %dev values (public by their own comments).
     */
    @Test
    void noRealSecretIsCommitted() {
        Properties properties = ServiceFacts.applicationProperties();
        Set<String> publicDevValues = new HashSet<>();
        for (String p : properties.stringPropertyNames()) {
            if (p.startsWith("%dev.")) {
                publicDevValues.add(properties.getProperty(p));
            }
        }
        int checked = 0;
        for (var s : services.entrySet()) {
            for (var e : DeployFiles.environment(asMap(s.getValue())).entrySet()) {
                assertFalse(URL_WITH_CREDENTIALS.matcher(e.getValue()).matches(), s.getKey() + " " + e.getKey() + " carries credentials in a URL");
                if (!SECRET_NAME.matcher(e.getKey()).matches()) {
                    continue;
                }
                checked++;
                Matcher m = DEFAULTED.matcher(e.getValue());
                assertTrue(m.matches(), s.getKey() + " " + e.getKey() + " is not overridable (${NAME:-placeholder})");
                String value = m.group(2);
                assertTrue(value.contains("dev-only") || publicDevValues.contains(value),
                        s.getKey() + " " + e.getKey() + " has a default that is neither marked dev-only nor a public %dev value");
            }
        }
        assertTrue(checked >= 4, "the secret check found only " + checked + " variables: the pattern is stale");
    }

    /** The dev token endpoint is on in this stack: nothing may listen beyond the loopback interface. */
    @Test
    void everyPublishedPortIsBoundToLoopback() {
        for (var s : services.entrySet()) {
            for (String port : strings(asMap(s.getValue()).get("ports"))) {
                assertTrue(port.startsWith("127.0.0.1:"), s.getKey() + " publishes " + port + " beyond loopback");
            }
        }
    }

    // --- helpers

    private static void assertServicePort(String host, int port, String what) {
        assertTrue(services.containsKey(host), what + " host " + host + " is not a compose service");
        assertTrue(port > 0, what + " URL names no port");
    }

    /** Where a service mounts a file or directory of deploy/ (short volume syntax, ./ relative to deploy/). */
    private static String mountTarget(String service, Path source) {
        for (String volume : strings(asMap(services.get(service)).get("volumes"))) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith("./") && DeployFiles.DEPLOY.resolve(parts[0].substring(2)).normalize().equals(source.normalize())) {
                return parts[1];
            }
        }
        fail(service + " does not mount " + source);
        return null;
    }

    private static void assertMounted(String service, Path source, String target) {
        assertEquals(target, mountTarget(service, source), service + " mounts " + source + " elsewhere");
    }

    private static String configFlag(String service, String prefix) {
        for (String arg : strings(asMap(services.get(service)).get("command"))) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        fail(service + " has no " + prefix + " argument");
        return null;
    }
}
