package io.appmanager.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.support.ServiceFacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.appmanager.support.ServiceFacts.asMap;
import static io.appmanager.support.ServiceFacts.get;
import static io.appmanager.support.ServiceFacts.maps;
import static io.appmanager.support.ServiceFacts.str;

/** The files under deploy/ and the k8s/base facts they must agree with, parsed for the deploy tests. */
final class DeployFiles {

    static final Path DEPLOY = Path.of("deploy");
    static final Path COMPOSE = DEPLOY.resolve("compose.yaml");
    static final Path DOCKERFILE = DEPLOY.resolve("Dockerfile");
    static final Path PROMETHEUS = DEPLOY.resolve("prometheus/prometheus.yml");
    static final Path NGINX = DEPLOY.resolve("nginx/nginx.conf");
    static final Path DASHBOARD = DEPLOY.resolve("grafana/dashboards/appmanager.json");
    static final Path DATASOURCES = DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yaml");
    static final Path DASHBOARD_PROVIDERS = DEPLOY.resolve("grafana/provisioning/dashboards/appmanager.yaml");
    static final Path K8S_DEPLOYMENT = Path.of("k8s/base/deployment.yaml");

    private DeployFiles() {
    }

    static Map<String, Object> k8sDeployment() {
        return ServiceFacts.loadYamlMap(K8S_DEPLOYMENT);
    }

    /** The appmanager container of k8s/base's Deployment. */
    static Map<String, Object> k8sContainer() {
        for (Map<String, Object> c : maps(get(k8sDeployment(), "spec", "template", "spec", "containers"))) {
            if ("appmanager".equals(c.get("name"))) {
                return c;
            }
        }
        throw new AssertionError(K8S_DEPLOYMENT + " has no container named appmanager");
    }

    static String k8sImage() {
        return str(k8sContainer(), "image");
    }

    /** The value of an env entry with a literal value in the k8s container, or null. */
    static String k8sEnv(String name) {
        for (Map<String, Object> e : maps(k8sContainer().get("env"))) {
            if (name.equals(e.get("name"))) {
                return str(e, "value");
            }
        }
        return null;
    }

    static Map<String, Object> compose() {
        return ServiceFacts.loadYamlMap(COMPOSE);
    }

    static Map<String, Object> services() {
        return asMap(compose().get("services"));
    }

    /** The compose services that run AppManager: those with the image k8s/base runs. */
    static Map<String, Map<String, Object>> appManagerServices() {
        String image = k8sImage();
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        services().forEach((name, s) -> {
            if (image.equals(asMap(s).get("image"))) {
                found.put(name, asMap(s));
            }
        });
        return found;
    }

    /** A compose service's environment (mapping form; the list form is refused, it hides typos in merges). */
    static Map<String, String> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        if (env instanceof List<?>) {
            throw new AssertionError("use the mapping form of environment in " + COMPOSE);
        }
        Map<String, String> out = new LinkedHashMap<>();
        asMap(env).forEach((k, v) -> out.put(k, v == null ? null : v.toString()));
        return out;
    }

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(Files.readString(DASHBOARD));
        } catch (IOException e) {
            throw new UncheckedIOException(DASHBOARD + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Every panel of the dashboard, those inside collapsed rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            all.add(p);
            p.path("panels").forEach(all::add);
        }
        return all;
    }

    /** Every PromQL expression of the dashboard's queries. */
    static List<String> expressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                exprs.add(t.path("expr").asText());
            }
        }
        return exprs;
    }

    /** Every metric name the dashboard's queries read. */
    static Set<String> dashboardMetrics() {
        Set<String> metrics = new LinkedHashSet<>();
        for (String expr : expressions(dashboard())) {
            metrics.addAll(ServiceFacts.metricNames(expr));
        }
        return metrics;
    }
}
