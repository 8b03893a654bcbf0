package io.appmanager.support;

import io.appmanager.gateway.GatewayLifecycle;
import io.smallrye.config.WithDefault;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the deployment files (k8s/, deploy/) are checked against: application.properties, the
 * configuration and metrics references of docs/operations.md, and small helpers to walk parsed YAML and
 * PromQL. Shared by ManifestsTest and the deploy tests; plain files, no Quarkus boot.
 */
public final class ServiceFacts {

    public static final Path OPERATIONS_MD = Path.of("docs/operations.md");
    public static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");
    /**
     * SmallRye Health's path defaults (quarkus.smallrye-health.liveness-path, readiness-path,
     * startup-path), as listed in quarkus-smallrye-health-deployment 3.29.4's config model; used
     * unless application.properties overrides them.
     */
    private static final Map<String, String> HEALTH_PATH_DEFAULTS = Map.of(
            "quarkus.smallrye-health.liveness-path", "live",
            "quarkus.smallrye-health.readiness-path", "ready",
            "quarkus.smallrye-health.startup-path", "started");

    /**
     * Beyond the drain and the shutdown delay: the lease write, stopping the HTTP server and the fan-out
     * thread, and JVM exit. Under this a slow exit is killed mid-shutdown.
     */
    public static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

    private ServiceFacts() {
    }

    public static Properties applicationProperties() {
        Properties properties = new Properties();
        try (Reader r = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            properties.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    public static String operationsMd() {
        try {
            return Files.readString(OPERATIONS_MD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the "## heading" section of docs/operations.md, up to the next "## " heading. */
    public static String section(String heading) {
        String text = operationsMd();
        int start = text.indexOf("\n## " + heading + "\n");
        if (start < 0) {
            throw new AssertionError(OPERATIONS_MD + " has no \"## " + heading + "\" section");
        }
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** The Metrics section of docs/operations.md: the reference of every meter the service registers. */
    public static String metricsReference() {
        return section("Metrics");
    }

    /**
     * GitHub's heading anchors of a Markdown file: lower case, punctuation other than '-' and '_' dropped,
     * spaces to '-'. Lines in fenced code blocks are no headings.
     */
    public static Set<String> headingAnchors(Path markdown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> anchors = new HashSet<>();
        boolean fenced = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    public static int httpPort() {
        return Integer.parseInt(applicationProperties().getProperty("quarkus.http.port"));
    }

    /** A SmallRye Health path: the root path and the liveness, readiness or startup path property (or its default). */
    public static String healthPath(String pathProperty) {
        Properties p = applicationProperties();
        String value = p.getProperty(pathProperty, HEALTH_PATH_DEFAULTS.get(pathProperty));
        if (value == null) {
            throw new AssertionError(pathProperty + " is no SmallRye Health path property");
        }
        return p.getProperty("quarkus.smallrye-health.root-path") + "/" + value;
    }

    /** Every SmallRye Health path the service serves: liveness, readiness and startup. */
    public static Set<String> healthPaths() {
        Set<String> paths = new HashSet<>();
        HEALTH_PATH_DEFAULTS.keySet().forEach(k -> paths.add(healthPath(k)));
        return paths;
    }

    /**
     * The environment variable of every documented property (docs/operations.md, in backticks) and of every
     * property application.properties sets, in any profile. A mistyped variable is silently ignored by Quarkus.
     */
    public static Set<String> knownEnvNames() {
        Set<String> known = new HashSet<>();
        Matcher m = Pattern.compile("`((?:appmanager|quarkus)\\.[a-z0-9.\\-]+)`").matcher(operationsMd());
        while (m.find()) {
            known.add(envName(m.group(1)));
        }
        for (String p : applicationProperties().stringPropertyNames()) {
            known.add(envName(p.replaceFirst("^%[a-z]+\\.", "")));
        }
        return known;
    }

    /** The APPMANAGER_ and QUARKUS_ variables among {@code names} that map to no known property (see knownEnvNames). */
    public static List<String> unknownEnvNames(Collection<String> names) {
        Set<String> known = knownEnvNames();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if ((name.startsWith("APPMANAGER_") || name.startsWith("QUARKUS_")) && !known.contains(name)) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /**
     * What stopping a node takes before it may be killed: the drain (close timeout +
     * GatewayLifecycle.CLOSE_WAIT_MARGIN, the longest GatewayLifecycle.drainNow waits), the shutdown
     * delay, and 5 s for the lease write, stopping the HTTP server and the fan-out thread, and JVM exit.
     */
    public static Duration drainBudget(Duration closeTimeout, Duration shutdownDelay) {
        return closeTimeout.plus(GatewayLifecycle.CLOSE_WAIT_MARGIN).plus(shutdownDelay).plus(EXIT_MARGIN);
    }

    /** Quarkus' environment variable for a property: upper case, every non-alphanumeric to '_'. */
    public static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * Metric names in a PromQL expression: with label matchers removed, an identifier directly followed
     * by a range or matcher bracket, or any appmanager_ identifier (functions are followed by "(" and
     * grouping labels sit in "by (...)").
     */
    public static Set<String> metricNames(String expr) {
        String withoutMatchers = expr.replaceAll("\\{[^}]*}", "{}");
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?=[\\[{])").matcher(withoutMatchers);
        while (m.find()) {
            names.add(m.group(1));
        }
        Matcher own = Pattern.compile("\\bappmanager_[a-z0-9_]+").matcher(withoutMatchers);
        while (own.find()) {
            names.add(own.group());
        }
        return names;
    }

    /** Metric names of a Prometheus text exposition: each sample line's name, up to its labels or value. */
    public static Set<String> exposedMetricNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /** The {@code @WithDefault} of a {@code @ConfigMapping} method, e.g. GatewayConfig.closeTimeout. */
    public static String configDefault(Class<?> mapping, String method) {
        try {
            WithDefault d = mapping.getMethod(method).getAnnotation(WithDefault.class);
            if (d == null) {
                throw new AssertionError(mapping.getSimpleName() + "." + method + " has no default");
            }
            return d.value();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(mapping.getSimpleName() + "." + method + " is gone: the check built on it needs a new source", e);
        }
    }

    /** Quarkus durations: a bare number is seconds, else 100ms, 5s, 2m, 1h, or ISO-8601. */
    public static Duration duration(String value) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(value.trim());
        if (!m.matches()) {
            return Duration.parse(value.trim());
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** Every document of a YAML file (null documents skipped), with SnakeYAML's safe constructor. */
    public static List<Object> loadYaml(Path file) {
        try (Reader r = Files.newBufferedReader(file)) {
            return nonNull(yaml().loadAll(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** Every document of a YAML text (null documents skipped); SnakeYAML's exception if it is no valid YAML. */
    public static List<Object> loadYamlText(String yaml) {
        return nonNull(yaml().loadAll(yaml));
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static List<Object> nonNull(Iterable<Object> documents) {
        List<Object> docs = new ArrayList<>();
        for (Object o : documents) {
            if (o != null) {
                docs.add(o);
            }
        }
        return docs;
    }

    /** The one document of a YAML file, as a map. */
    public static Map<String, Object> loadYamlMap(Path file) {
        List<Object> docs = loadYaml(file);
        if (docs.size() != 1 || !(docs.get(0) instanceof Map<?, ?>)) {
            throw new AssertionError(file + " is not one YAML mapping");
        }
        return asMap(docs.get(0));
    }

    public static Object get(Map<String, Object> map, String... path) {
        Object o = map;
        for (String key : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(key);
        }
        return o;
    }

    public static String str(Map<String, Object> map, String... path) {
        Object o = get(map, path);
        return o == null ? null : o.toString();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> maps(Object o) {
        return o instanceof List<?> ? (List<Map<String, Object>>) o : List.of();
    }

    public static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().map(Object::toString).toList() : List.of();
    }
}
