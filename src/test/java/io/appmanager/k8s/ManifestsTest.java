package io.appmanager.k8s;

import io.appmanager.gateway.GatewayConfig;
import io.appmanager.support.ServiceFacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.appmanager.support.ServiceFacts.asMap;
import static io.appmanager.support.ServiceFacts.configDefault;
import static io.appmanager.support.ServiceFacts.drainBudget;
import static io.appmanager.support.ServiceFacts.duration;
import static io.appmanager.support.ServiceFacts.get;
import static io.appmanager.support.ServiceFacts.headingAnchors;
import static io.appmanager.support.ServiceFacts.healthPath;
import static io.appmanager.support.ServiceFacts.maps;
import static io.appmanager.support.ServiceFacts.metricNames;
import static io.appmanager.support.ServiceFacts.metricsReference;
import static io.appmanager.support.ServiceFacts.str;
import static io.appmanager.support.ServiceFacts.strings;
import static io.appmanager.support.ServiceFacts.unknownEnvNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks what can drift between the Kubernetes manifests under k8s/ and the service: ports, probe
 * paths, the drain against the grace period, selectors, resources, security settings, that no secret
 * value is committed, and that every alert's metrics and runbook exist in docs/operations.md.
 * Plain files and a YAML parser: no Quarkus boot, no kubectl, no network.
 */
class ManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path BASE = K8S.resolve("base");
    private static final Path OVERLAYS = K8S.resolve("overlays");
    /** The service's own Deployment (the dev overlay adds PostgreSQL and Redis ones). */
    private static final String APP = "appmanager";

    /** One YAML document and the file it came from. */
    record Doc(Path file, Object content) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map() {
            return (Map<String, Object>) content;
        }

        boolean isResource() {
            return content instanceof Map<?, ?> m && m.get("kind") instanceof String && m.get("metadata") instanceof Map;
        }

        String kind() {
            return (String) map().get("kind");
        }

        String name() {
            return str(map(), "metadata", "name");
        }

        @Override
        public String toString() {
            return file + (isResource() ? " " + kind() + "/" + name() : "");
        }
    }

    private static List<Doc> docs;

    @BeforeAll
    static void load() throws IOException {
        docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                for (Object o : ServiceFacts.loadYaml(f)) {
                    docs.add(new Doc(f, o));
                }
            }
        }
    }

    @Test
    void theBaseHasEveryResourceTheIssueAsksFor() {
        Set<String> kinds = new HashSet<>();
        resourcesUnder(BASE).forEach(d -> kinds.add(d.kind()));
        for (String kind : List.of("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                "ConfigMap", "Secret", "NetworkPolicy", "ServiceMonitor", "PrometheusRule")) {
            assertTrue(kinds.contains(kind), "k8s/base has no " + kind);
        }
    }

    /** A manifest added to k8s/base but not to its kustomization would silently never be applied. */
    @Test
    void baseKustomizationListsEveryManifestButTheSecretTemplate() throws IOException {
        List<String> listed = strings(kustomization(BASE).get("resources"));
        try (Stream<Path> files = Files.list(BASE)) {
            for (Path f : files.map(Path::getFileName).toList()) {
                String name = f.toString();
                if (name.equals("kustomization.yaml")) {
                    continue;
                }
                if (name.equals("secret.example.yaml")) {
                    assertFalse(listed.contains(name), "the secret template must not be applied by kustomize");
                } else {
                    assertTrue(listed.contains(name), "k8s/base/kustomization.yaml does not list " + name);
                }
            }
        }
    }

    @Test
    void everyDeploymentContainerHasCpuAndMemoryRequestsAndLimits() {
        List<Doc> deployments = resources("Deployment");
        assertFalse(deployments.isEmpty());
        for (Doc d : deployments) {
            for (Map<String, Object> c : containers(d)) {
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertNotNull(str(c, "resources", bound, resource),
                                d + " container " + c.get("name") + " has no resources." + bound + "." + resource);
                    }
                }
            }
        }
    }

    @Test
    void theHeapFollowsTheContainersMemoryLimit() {
        // without a heap setting the JVM takes 25 % of the limit and the rest of the pod's memory sits idle
        String options = maps(appContainer().get("env")).stream()
                .filter(e -> "JAVA_TOOL_OPTIONS".equals(e.get("name"))).map(e -> String.valueOf(e.get("value")))
                .findFirst().orElse("");
        Matcher m = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
        assertTrue(m.find(), "the appmanager container sets no -XX:MaxRAMPercentage in JAVA_TOOL_OPTIONS: " + options);
        int percent = Integer.parseInt(m.group(1));
        assertTrue(percent >= 50 && percent <= 80, "MaxRAMPercentage " + percent
                + " leaves too little heap (< 50) or too little room for direct buffers and metaspace (> 80)");
    }

    @Test
    void containerPortServiceTargetPortAndScrapePortMatchTheHttpPort() {
        int httpPort = ServiceFacts.httpPort();
        Map<String, Object> container = appContainer();
        Map<String, Integer> named = containerPorts(container);
        assertTrue(named.containsValue(httpPort), "the container does not expose quarkus.http.port " + httpPort + ": " + named);

        Doc service = one(BASE, "Service", APP);
        List<Map<String, Object>> servicePorts = maps(get(service.map(), "spec", "ports"));
        assertFalse(servicePorts.isEmpty());
        Set<String> servicePortNames = new HashSet<>();
        for (Map<String, Object> p : servicePorts) {
            assertEquals(httpPort, resolvePort(p.get("targetPort"), named), "Service targetPort " + p.get("targetPort"));
            servicePortNames.add((String) p.get("name"));
        }
        for (Map<String, Object> e : maps(get(one(BASE, "ServiceMonitor", APP).map(), "spec", "endpoints"))) {
            assertTrue(servicePortNames.contains((String) e.get("port")), "ServiceMonitor port " + e.get("port") + " is not a Service port");
            assertEquals(ServiceFacts.applicationProperties().getProperty("quarkus.micrometer.export.prometheus.path"), e.get("path"), "ServiceMonitor path");
        }
        for (Map<String, Object> rule : maps(get(one(BASE, "NetworkPolicy", APP).map(), "spec", "ingress"))) {
            for (Map<String, Object> p : maps(rule.get("ports"))) {
                assertEquals(httpPort, resolvePort(p.get("port"), named), "NetworkPolicy port " + p.get("port"));
            }
        }
    }

    @Test
    void probePathsAreTheSmallRyeHealthPaths() {
        int httpPort = ServiceFacts.httpPort();
        Map<String, Object> container = appContainer();
        Map<String, Integer> named = containerPorts(container);
        Map<String, String> probeToPathProperty = new LinkedHashMap<>();
        probeToPathProperty.put("livenessProbe", "quarkus.smallrye-health.liveness-path");
        probeToPathProperty.put("readinessProbe", "quarkus.smallrye-health.readiness-path");
        probeToPathProperty.put("startupProbe", "quarkus.smallrye-health.startup-path");
        for (var e : probeToPathProperty.entrySet()) {
            String expected = healthPath(e.getValue());
            assertEquals(expected, str(container, e.getKey(), "httpGet", "path"), e.getKey() + " path");
            assertEquals(httpPort, resolvePort(get(container, e.getKey(), "httpGet", "port"), named), e.getKey() + " port");
        }
    }

    @Test
    void pdbAndHpaTargetTheDeployment() {
        Doc deployment = one(BASE, "Deployment", APP);
        Map<String, Object> selector = asMap(get(deployment.map(), "spec", "selector", "matchLabels"));
        Map<String, Object> podLabels = asMap(get(deployment.map(), "spec", "template", "metadata", "labels"));
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "the Deployment's selector does not match its own pods");

        Map<String, Object> pdbSelector = asMap(get(one(BASE, "PodDisruptionBudget", APP).map(), "spec", "selector", "matchLabels"));
        assertFalse(pdbSelector.isEmpty());
        assertEquals(selector, pdbSelector, "the PDB selects other pods than the Deployment");

        Map<String, Object> target = asMap(get(one(BASE, "HorizontalPodAutoscaler", APP).map(), "spec", "scaleTargetRef"));
        assertEquals("Deployment", target.get("kind"));
        assertEquals("apps/v1", target.get("apiVersion"));
        assertEquals(deployment.name(), target.get("name"));

        for (String kind : List.of("Service", "NetworkPolicy", "ServiceMonitor")) {
            Doc d = one(BASE, kind, APP);
            Object labels = kind.equals("Service") ? get(d.map(), "spec", "selector")
                    : kind.equals("NetworkPolicy") ? get(d.map(), "spec", "podSelector", "matchLabels")
                    : get(d.map(), "spec", "selector", "matchLabels");
            assertTrue(kind.equals("ServiceMonitor")
                            ? asMap(get(one(BASE, "Service", APP).map(), "metadata", "labels")).entrySet().containsAll(asMap(labels).entrySet())
                            : podLabels.entrySet().containsAll(asMap(labels).entrySet()),
                    kind + " selector " + labels + " does not match");
        }
    }

    /**
     * terminationGracePeriodSeconds > preStop sleep + ServiceFacts.drainBudget (appmanager.gateway.close-timeout
     * + GatewayLifecycle.CLOSE_WAIT_MARGIN + quarkus.shutdown.delay + an exit margin). Checked for the base and
     * for each overlay's own settings.
     */
    @Test
    void theDrainFitsInTheGracePeriod() throws IOException {
        List<Path> variants = new ArrayList<>(List.of(BASE));
        variants.addAll(overlays());
        for (Path variant : variants) {
            Map<String, Object> pod = asMap(get(one(BASE, "Deployment", APP).map(), "spec", "template", "spec"));
            Map<String, Object> config = new HashMap<>(asMap(get(one(BASE, "ConfigMap", "appmanager-config").map(), "data")));
            Integer grace = (Integer) pod.get("terminationGracePeriodSeconds");
            Duration preStop = preStopSleep(appContainer());
            if (!variant.equals(BASE)) {
                for (Doc patch : resourcesUnder(variant).toList()) {
                    if (patch.kind().equals("ConfigMap") && patch.name().equals("appmanager-config")) {
                        config.putAll(asMap(patch.map().get("data")));
                    }
                    if (patch.kind().equals("Deployment") && patch.name().equals(APP)) {
                        Object g = get(patch.map(), "spec", "template", "spec", "terminationGracePeriodSeconds");
                        grace = g == null ? grace : (Integer) g;
                        for (Map<String, Object> c : containers(patch)) {
                            if (APP.equals(c.get("name")) && get(c, "lifecycle", "preStop") != null) {
                                preStop = preStopSleep(c);
                            }
                        }
                    }
                }
            }
            assertNotNull(grace, variant + ": no terminationGracePeriodSeconds");
            Duration closeTimeout = config.containsKey("APPMANAGER_GATEWAY_CLOSE_TIMEOUT")
                    ? duration((String) config.get("APPMANAGER_GATEWAY_CLOSE_TIMEOUT"))
                    : defaultCloseTimeout();
            Duration shutdownDelay = config.containsKey("QUARKUS_SHUTDOWN_DELAY")
                    ? duration((String) config.get("QUARKUS_SHUTDOWN_DELAY")) : Duration.ZERO;
            Duration budget = drainBudget(closeTimeout, shutdownDelay);
            Duration needed = preStop.plus(budget);
            assertTrue(Duration.ofSeconds(grace).compareTo(needed) > 0,
                    variant + ": terminationGracePeriodSeconds " + grace + " s is not above preStop " + preStop.toSeconds()
                            + " s + drain budget " + budget.toSeconds() + " s (close timeout " + closeTimeout.toSeconds()
                            + " s + close-wait margin + shutdown delay " + shutdownDelay.toSeconds() + " s + exit margin)");
            assertTrue(preStop.compareTo(Duration.ZERO) > 0, variant + ": no preStop sleep before the drain");
        }
    }

    @Test
    void theServiceRunsNonRootOnAReadOnlyRootFilesystem() {
        Map<String, Object> pod = asMap(get(one(BASE, "Deployment", APP).map(), "spec", "template", "spec"));
        Map<String, Object> c = appContainer();
        assertEquals(Boolean.TRUE, get(pod, "securityContext", "runAsNonRoot"), "pod runAsNonRoot");
        assertEquals(Boolean.TRUE, get(c, "securityContext", "runAsNonRoot"), "container runAsNonRoot");
        assertEquals(Boolean.TRUE, get(c, "securityContext", "readOnlyRootFilesystem"), "readOnlyRootFilesystem");
        assertEquals(Boolean.FALSE, get(c, "securityContext", "allowPrivilegeEscalation"), "allowPrivilegeEscalation");
        assertEquals(List.of("ALL"), get(c, "securityContext", "capabilities", "drop"), "capabilities drop");
        assertEquals("RuntimeDefault", str(pod, "securityContext", "seccompProfile", "type"), "seccomp");
        boolean tmp = maps(c.get("volumeMounts")).stream().anyMatch(m -> "/tmp".equals(m.get("mountPath")));
        assertTrue(tmp, "a read-only root filesystem needs a writable /tmp (Vert.x file cache)");
        for (Doc overlay : resourcesUnder(OVERLAYS).toList()) {
            if (overlay.kind().equals("Deployment") && overlay.name().equals(APP)) {
                for (Map<String, Object> oc : containers(overlay)) {
                    assertFalse(Boolean.FALSE.equals(get(oc, "securityContext", "readOnlyRootFilesystem"))
                            || Boolean.FALSE.equals(get(oc, "securityContext", "runAsNonRoot")), overlay + " weakens the security context");
                }
            }
        }
    }

    /**
     * No secret value is committed: every Secret's data and stringData values are empty (the template
     * documents the keys only), env-file templates (*.env.example) have empty values, and no
     * secretGenerator carries literals.
     */
    @Test
    void noSecretValueIsCommitted() throws IOException {
        List<Doc> secrets = resources("Secret");
        assertFalse(secrets.isEmpty(), "the Secret template is missing");
        for (Doc s : secrets) {
            for (String field : List.of("data", "stringData")) {
                asMap(s.map().get(field)).forEach((k, v) ->
                        assertTrue(v == null || v.toString().isEmpty(), s + " " + field + "." + k + " carries a value"));
            }
        }
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".env.example")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        assertTrue(line.endsWith("="), f + " carries a value: " + line.substring(0, line.indexOf('=') + 1) + "...");
                    }
                }
            }
        }
        for (Doc k : docs) {
            if (k.file().getFileName().toString().equals("kustomization.yaml")) {
                for (Map<String, Object> g : maps(k.map().get("secretGenerator"))) {
                    assertFalse(g.containsKey("literals"), k.file() + ": secretGenerator literals are committed values");
                }
            }
        }
    }

    /** A mistyped environment variable is silently ignored by Quarkus: each must be a known property. */
    @Test
    void everyConfigEnvironmentVariableIsAKnownProperty() {
        Set<String> used = new HashSet<>();
        for (Doc d : resources("ConfigMap")) {
            used.addAll(asMap(d.map().get("data")).keySet());
        }
        for (Doc d : resources("Secret")) {
            used.addAll(asMap(d.map().get("stringData")).keySet());
            used.addAll(asMap(d.map().get("data")).keySet());
        }
        for (Map<String, Object> e : maps(appContainer().get("env"))) {
            used.add((String) e.get("name"));
        }
        for (String name : unknownEnvNames(used)) {
            fail(name + " maps to no property in docs/operations.md or application.properties");
        }
    }

    @Test
    void everyAlertHasARunbookSectionInOperationsMd() {
        Set<String> anchors = headingAnchors(ServiceFacts.OPERATIONS_MD);
        List<Map<String, Object>> alerts = alerts();
        assertFalse(alerts.isEmpty());
        for (Map<String, Object> alert : alerts) {
            String url = str(alert, "annotations", "runbook_url");
            assertNotNull(url, alert.get("alert") + " has no runbook_url");
            int hash = url.indexOf("docs/operations.md#");
            assertTrue(hash >= 0, alert.get("alert") + ": runbook_url does not point into docs/operations.md: " + url);
            String anchor = url.substring(hash + "docs/operations.md#".length());
            assertTrue(anchors.contains(anchor), alert.get("alert") + ": no heading in docs/operations.md for #" + anchor);
        }
    }

    /** A metric renamed in the code and in its reference, but not in an alert, must fail here. */
    @Test
    void everyMetricInAnAlertIsInTheMetricsReference() {
        String reference = metricsReference();
        for (Map<String, Object> alert : alerts()) {
            Set<String> metrics = metricNames((String) alert.get("expr"));
            assertFalse(metrics.isEmpty(), alert.get("alert") + " uses no metric");
            for (String metric : metrics) {
                assertTrue(reference.contains("`" + metric + "`"),
                        alert.get("alert") + " uses " + metric + ", which docs/operations.md's Metrics section does not list");
            }
        }
    }

    /** Overlays: their files parse (loaded above), and what they list and patch exists. */
    @Test
    void overlaysListExistingFilesAndPatchExistingBaseResources() throws IOException {
        List<Path> overlays = overlays();
        assertEquals(Set.of("dev", "prod"), new HashSet<>(overlays.stream().map(p -> p.getFileName().toString()).toList()));
        Set<String> baseResources = new HashSet<>();
        resourcesUnder(BASE).forEach(d -> baseResources.add(d.kind() + "/" + d.name()));
        for (Path overlay : overlays) {
            Map<String, Object> k = kustomization(overlay);
            for (String r : strings(k.get("resources"))) {
                assertTrue(Files.exists(overlay.resolve(r)), overlay + " lists missing resource " + r);
            }
            for (Map<String, Object> g : maps(k.get("secretGenerator"))) {
                assertTrue(baseResourcesReferTo(g.get("name")), overlay + " generates Secret " + g.get("name") + " nobody uses");
                for (String env : strings(g.get("envs"))) {
                    assertTrue(Files.exists(overlay.resolve(env + ".example")), overlay + ": " + env + " has no .example template");
                }
            }
            for (Map<String, Object> patch : maps(k.get("patches"))) {
                Path file = overlay.resolve((String) patch.get("path"));
                assertTrue(Files.exists(file), overlay + " lists missing patch " + file);
                Map<String, Object> target = asMap(patch.get("target"));
                if (!target.isEmpty()) {
                    String ref = target.get("kind") + "/" + target.get("name");
                    assertTrue(baseResources.contains(ref), file + " targets " + ref + ", not in k8s/base");
                } else {
                    for (Doc d : docs) {
                        if (d.file().equals(file)) {
                            assertTrue(d.isResource(), file + " is not a strategic-merge patch and has no target");
                            assertTrue(baseResources.contains(d.kind() + "/" + d.name()), file + " patches " + d.kind() + "/" + d.name() + ", not in k8s/base");
                        }
                    }
                }
            }
        }
    }

    // --- helpers

    private static boolean baseResourcesReferTo(Object secretName) {
        for (Map<String, Object> from : maps(appContainer().get("envFrom"))) {
            if (secretName.equals(get(from, "secretRef", "name"))) {
                return true;
            }
        }
        return false;
    }

    private static List<Map<String, Object>> alerts() {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Doc rule : resources("PrometheusRule")) {
            for (Map<String, Object> group : maps(get(rule.map(), "spec", "groups"))) {
                for (Map<String, Object> r : maps(group.get("rules"))) {
                    if (r.containsKey("alert")) {
                        alerts.add(r);
                    }
                }
            }
        }
        return alerts;
    }

    private static Duration defaultCloseTimeout() {
        return duration(configDefault(GatewayConfig.class, "closeTimeout"));
    }

    /** The preStop sleep: the sleep action, or an exec of "sleep N" (directly or through a shell). */
    private static Duration preStopSleep(Map<String, Object> container) {
        Object seconds = get(container, "lifecycle", "preStop", "sleep", "seconds");
        if (seconds != null) {
            return Duration.ofSeconds(((Number) seconds).longValue());
        }
        List<String> command = strings(get(container, "lifecycle", "preStop", "exec", "command"));
        Matcher m = Pattern.compile("sleep\\s+(\\d+)").matcher(String.join(" ", command));
        return m.find() ? Duration.ofSeconds(Long.parseLong(m.group(1))) : Duration.ZERO;
    }

    /** The container's named ports: name -> containerPort. */
    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> named = new HashMap<>();
        for (Map<String, Object> p : maps(container.get("ports"))) {
            named.put((String) p.get("name"), (Integer) p.get("containerPort"));
        }
        return named;
    }

    private static int resolvePort(Object port, Map<String, Integer> named) {
        if (port instanceof Integer i) {
            return i;
        }
        Integer n = named.get((String) port);
        assertNotNull(n, "port name " + port + " is not a container port");
        return n;
    }

    private static List<Path> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static Map<String, Object> kustomization(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        return docs.stream().filter(d -> d.file().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + file)).map();
    }

    private static Stream<Doc> resourcesUnder(Path dir) {
        return docs.stream().filter(d -> d.file().startsWith(dir) && d.isResource() && !d.kind().equals("Kustomization"));
    }

    private static List<Doc> resources(String kind) {
        return resourcesUnder(K8S).filter(d -> d.kind().equals(kind)).toList();
    }

    private static Doc one(Path dir, String kind, String name) {
        List<Doc> found = resourcesUnder(dir).filter(d -> d.kind().equals(kind) && name.equals(d.name())).toList();
        assertEquals(1, found.size(), "expected one " + kind + "/" + name + " under " + dir + ", found " + found);
        return found.get(0);
    }

    private static Map<String, Object> appContainer() {
        for (Map<String, Object> c : containers(one(BASE, "Deployment", APP))) {
            if (APP.equals(c.get("name"))) {
                return c;
            }
        }
        throw new AssertionError("the Deployment has no container named " + APP);
    }

    private static List<Map<String, Object>> containers(Doc deployment) {
        return maps(get(deployment.map(), "spec", "template", "spec", "containers"));
    }
}
