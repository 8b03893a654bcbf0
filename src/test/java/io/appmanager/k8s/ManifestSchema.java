package io.appmanager.k8s;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.appmanager.support.ServiceFacts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A schema check of Kubernetes manifests against fabric8's typed model, which is generated from the
 * Kubernetes OpenAPI schema (and, for ServiceMonitor and PrometheusRule, from the Prometheus Operator's
 * CRDs): decision 0018. Each document is bound to the class of its apiVersion and kind with Jackson set as
 * strictly as the API server decodes (no string for a number, no number for a string, no scalar for a
 * list); then the object graph is walked by reflection, and every field the schema does not know (fabric8
 * keeps those in {@code additionalProperties} maps) is reported with its path. Last, the required fields
 * and formats the model cannot express (names, images, selectors, quantities, ports, rules) are checked
 * on complete resources; a patch is checked for fields and types only.
 */
final class ManifestSchema {

    /** apiVersion + " " + kind -> the model class. A kind missing here is an error, not a pass. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1 ConfigMap", ConfigMap.class),
            Map.entry("v1 Secret", Secret.class),
            Map.entry("v1 Service", Service.class),
            Map.entry("apps/v1 Deployment", Deployment.class),
            Map.entry("apps/v1 StatefulSet", StatefulSet.class),
            Map.entry("policy/v1 PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1 ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1 PrometheusRule", PrometheusRule.class));

    /** RFC 1123 label (container, port-less names): lower case alphanumerics and '-', at most 63. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** RFC 1123 subdomain (object names). */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** IANA service name (named ports): at most 15, lower case alphanumerics and '-', a letter in it. */
    private static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");
    /** A label value: at most 63, alphanumerics at both ends, '-', '_', '.' inside. */
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");
    /** A label key: an optional DNS-subdomain prefix and '/', then a name as a label value (not empty). */
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    /** ConfigMap and Secret keys. */
    private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");
    /** resource.Quantity's grammar: a number, then a binary or decimal suffix or an exponent. */
    private static final Pattern QUANTITY = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?\\d+))?");
    /** A C identifier, as environment variable names should be (the API server allows more; shells do not). */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final ObjectMapper STRICT = strictMapper();

    private ManifestSchema() {
    }

    /** Jackson as strict as the API server's decoding: no coercion between strings, numbers and booleans. */
    private static ObjectMapper strictMapper() {
        ObjectMapper m = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType number : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            m.coercionConfigFor(number).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        return m;
    }

    /**
     * The problems of one document, each starting with {@code source}. {@code complete}: a whole resource
     * (required fields checked) rather than a strategic-merge patch (fields and types only).
     */
    static List<String> check(String source, Object document, boolean complete) {
        List<String> problems = new ArrayList<>();
        if (!(document instanceof Map<?, ?> map)) {
            problems.add(source + ": not a mapping");
            return problems;
        }
        String key = map.get("apiVersion") + " " + map.get("kind");
        String where = source + " " + map.get("kind") + "/" + (map.get("metadata") instanceof Map<?, ?> md ? md.get("name") : null);
        Class<? extends HasMetadata> type = KINDS.get(key);
        if (type == null) {
            problems.add(where + ": no schema for apiVersion/kind \"" + key + "\" (mistyped, or add its model class to ManifestSchema.KINDS)");
            return problems;
        }
        HasMetadata resource;
        try {
            resource = STRICT.convertValue(map, type);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + bindingError(e));
            return problems;
        }
        unknownFields(resource, "", problems::add);
        if (complete) {
            required(resource, problems::add);
        }
        problems.replaceAll(p -> p.startsWith(source) ? p : where + ": " + p);
        return problems;
    }

    /** Jackson's message without its source dump, with the JSON path of the failing field. */
    private static String bindingError(IllegalArgumentException e) {
        Throwable cause = e.getCause() instanceof JsonMappingException ? e.getCause() : e;
        if (cause instanceof JsonMappingException jme) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : jme.getPath()) {
                path.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
            }
            String message = jme.getOriginalMessage().replaceAll("\\s*\\(through reference chain.*", "");
            return "wrong type at " + (path.isEmpty() ? "." : path) + ": " + message.lines().findFirst().orElse(message);
        }
        return e.getMessage();
    }

    // --- unknown fields

    /** Reports every non-empty additionalProperties map in the graph under {@code value}, with its path. */
    private static void unknownFields(Object value, String path, Consumer<String> report) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object o : list) {
                unknownFields(o, path + "[" + i++ + "]", report);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, report));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = f.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (f.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        for (Object k : extra.keySet()) {
                            report.accept("unknown field " + (path.isEmpty() ? "" : path) + "." + k);
                        }
                    }
                    continue;
                }
                JsonProperty json = f.getAnnotation(JsonProperty.class);
                unknownFields(fieldValue, path + "." + (json != null && !json.value().isEmpty() ? json.value() : f.getName()), report);
            }
        }
    }

    // --- required fields and formats

    private static void required(HasMetadata r, Consumer<String> report) {
        ObjectMeta meta = r.getMetadata();
        if (meta == null || meta.getName() == null || !DNS_SUBDOMAIN.matcher(meta.getName()).matches()) {
            report.accept("metadata.name missing or not a DNS subdomain: " + (meta == null ? null : meta.getName()));
        }
        if (meta != null) {
            labels(".metadata.labels", meta.getLabels(), report);
        }
        if (r instanceof Deployment d) {
            if (d.getSpec() == null) {
                report.accept("missing .spec");
            } else {
                podTemplate(".spec", d.getSpec().getSelector(), d.getSpec().getTemplate(), report);
            }
        } else if (r instanceof StatefulSet s) {
            if (s.getSpec() == null) {
                report.accept("missing .spec");
            } else {
                podTemplate(".spec", s.getSpec().getSelector(), s.getSpec().getTemplate(), report);
            }
        } else if (r instanceof Service s) {
            service(s, report);
        } else if (r instanceof ConfigMap c) {
            keys(".data", c.getData(), report);
        } else if (r instanceof Secret s) {
            keys(".data", s.getData(), report);
            keys(".stringData", s.getStringData(), report);
        } else if (r instanceof PodDisruptionBudget p) {
            if (p.getSpec() == null || p.getSpec().getSelector() == null) {
                report.accept("missing .spec.selector");
            } else if ((p.getSpec().getMinAvailable() == null) == (p.getSpec().getMaxUnavailable() == null)) {
                report.accept(".spec needs exactly one of minAvailable and maxUnavailable");
            }
        } else if (r instanceof HorizontalPodAutoscaler h) {
            var spec = h.getSpec();
            if (spec == null || spec.getScaleTargetRef() == null || blank(spec.getScaleTargetRef().getKind())
                    || blank(spec.getScaleTargetRef().getName())) {
                report.accept("missing .spec.scaleTargetRef kind or name");
            }
            if (spec != null && (spec.getMaxReplicas() == null || spec.getMaxReplicas() < 1
                    || spec.getMinReplicas() != null && spec.getMinReplicas() > spec.getMaxReplicas())) {
                report.accept(".spec.maxReplicas missing, under 1 or under minReplicas");
            }
        } else if (r instanceof NetworkPolicy n) {
            if (n.getSpec() == null || n.getSpec().getPodSelector() == null) {
                report.accept("missing .spec.podSelector (required; {} selects every pod)");
            }
        } else if (r instanceof ServiceMonitor m) {
            if (m.getSpec() == null || m.getSpec().getSelector() == null || m.getSpec().getEndpoints() == null
                    || m.getSpec().getEndpoints().isEmpty()) {
                report.accept("missing .spec.selector or .spec.endpoints");
            } else {
                for (int i = 0; i < m.getSpec().getEndpoints().size(); i++) {
                    var e = m.getSpec().getEndpoints().get(i);
                    if (blank(e.getPort()) && e.getTargetPort() == null) {
                        report.accept(".spec.endpoints[" + i + "] names no port");
                    }
                }
            }
        } else if (r instanceof PrometheusRule p) {
            prometheusRule(p, report);
        }
    }

    private static void podTemplate(String at, LabelSelector selector, PodTemplateSpec template, Consumer<String> report) {
        if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()) {
            report.accept("missing " + at + ".selector.matchLabels");
        }
        if (template == null || template.getSpec() == null) {
            report.accept("missing " + at + ".template.spec");
            return;
        }
        Map<String, String> podLabels = template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of() : template.getMetadata().getLabels();
        labels(at + ".template.metadata.labels", podLabels, report);
        if (selector != null && selector.getMatchLabels() != null && !podLabels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            report.accept(at + ".selector " + selector.getMatchLabels() + " does not select the template's labels " + podLabels);
        }
        var pod = template.getSpec();
        if (pod.getContainers() == null || pod.getContainers().isEmpty()) {
            report.accept("missing " + at + ".template.spec.containers");
            return;
        }
        Set<String> volumes = new HashSet<>();
        for (Volume v : Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of())) {
            volumes.add(v.getName());
        }
        Set<String> names = new HashSet<>();
        List<Container> all = new ArrayList<>(pod.getContainers());
        all.addAll(Objects.requireNonNullElse(pod.getInitContainers(), List.of()));
        for (int i = 0; i < all.size(); i++) {
            Container c = all.get(i);
            String cAt = at + ".template.spec." + (i < pod.getContainers().size() ? "containers[" + i + "]"
                    : "initContainers[" + (i - pod.getContainers().size()) + "]");
            container(cAt, c, volumes, report);
            if (c.getName() != null && !names.add(c.getName())) {
                report.accept(cAt + ": container name " + c.getName() + " used twice");
            }
        }
    }

    private static void container(String at, Container c, Set<String> volumes, Consumer<String> report) {
        if (c.getName() == null || !DNS_LABEL.matcher(c.getName()).matches()) {
            report.accept(at + ".name missing or not a DNS label: " + c.getName());
        }
        if (blank(c.getImage())) {
            report.accept(at + ".image missing");
        }
        Set<String> portNames = new HashSet<>();
        for (ContainerPort p : Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of())) {
            if (p.getContainerPort() == null || p.getContainerPort() < 1 || p.getContainerPort() > 65535) {
                report.accept(at + ".ports: containerPort missing or out of range: " + p.getContainerPort());
            }
            if (p.getName() != null && (!PORT_NAME.matcher(p.getName()).matches() || !portNames.add(p.getName()))) {
                report.accept(at + ".ports: port name " + p.getName() + " is not a unique IANA service name (15 characters at most)");
            }
        }
        for (EnvVar e : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
            if (e.getName() == null || !ENV_NAME.matcher(e.getName()).matches()) {
                report.accept(at + ".env: bad name " + e.getName());
            }
            if (e.getValue() != null && e.getValueFrom() != null) {
                report.accept(at + ".env " + e.getName() + ": value and valueFrom both set");
            }
        }
        for (VolumeMount m : Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of())) {
            if (!volumes.contains(m.getName())) {
                report.accept(at + ".volumeMounts: no volume named " + m.getName());
            }
            if (blank(m.getMountPath())) {
                report.accept(at + ".volumeMounts " + m.getName() + ": no mountPath");
            }
        }
        for (var probe : Map.of("livenessProbe", c.getLivenessProbe() == null ? new Probe() : c.getLivenessProbe(),
                "readinessProbe", c.getReadinessProbe() == null ? new Probe() : c.getReadinessProbe(),
                "startupProbe", c.getStartupProbe() == null ? new Probe() : c.getStartupProbe()).entrySet()) {
            Probe p = probe.getValue();
            long handlers = java.util.stream.Stream.of(p.getHttpGet(), p.getTcpSocket(), p.getExec(), p.getGrpc()).filter(Objects::nonNull).count();
            boolean declared = p.getInitialDelaySeconds() != null || p.getPeriodSeconds() != null || handlers > 0;
            if (declared && handlers != 1) {
                report.accept(at + "." + probe.getKey() + " needs exactly one handler (httpGet, tcpSocket, exec, grpc), has " + handlers);
            }
        }
        ResourceRequirements res = c.getResources();
        if (res != null) {
            quantities(at + ".resources.requests", res.getRequests(), report);
            quantities(at + ".resources.limits", res.getLimits(), report);
        }
    }

    private static void service(Service s, Consumer<String> report) {
        if (s.getSpec() == null || s.getSpec().getPorts() == null || s.getSpec().getPorts().isEmpty()) {
            report.accept("missing .spec.ports");
            return;
        }
        Set<String> names = new HashSet<>();
        for (ServicePort p : s.getSpec().getPorts()) {
            if (p.getPort() == null || p.getPort() < 1 || p.getPort() > 65535) {
                report.accept(".spec.ports: port missing or out of range: " + p.getPort());
            }
            if (s.getSpec().getPorts().size() > 1 && (p.getName() == null || !names.add(p.getName()))) {
                report.accept(".spec.ports: with several ports each needs a unique name");
            }
        }
    }

    private static void prometheusRule(PrometheusRule p, Consumer<String> report) {
        if (p.getSpec() == null || p.getSpec().getGroups() == null || p.getSpec().getGroups().isEmpty()) {
            report.accept("missing .spec.groups");
            return;
        }
        Set<String> groups = new HashSet<>();
        for (int g = 0; g < p.getSpec().getGroups().size(); g++) {
            RuleGroup group = p.getSpec().getGroups().get(g);
            if (blank(group.getName()) || !groups.add(group.getName())) {
                report.accept(".spec.groups[" + g + "]: name missing or not unique");
            }
            List<Rule> rules = Objects.requireNonNullElse(group.getRules(), List.of());
            for (int i = 0; i < rules.size(); i++) {
                Rule r = rules.get(i);
                if (r.getExpr() == null || r.getExpr().getValue() == null || r.getExpr().getValue().toString().isBlank()) {
                    report.accept(".spec.groups[" + g + "].rules[" + i + "]: no expr");
                }
                if (blank(r.getAlert()) == blank(r.getRecord())) {
                    report.accept(".spec.groups[" + g + "].rules[" + i + "]: needs exactly one of alert and record");
                }
            }
        }
    }

    private static void labels(String at, Map<String, String> labels, Consumer<String> report) {
        if (labels == null) {
            return;
        }
        labels.forEach((k, v) -> {
            if (!LABEL_KEY.matcher(k).matches() || v == null || !LABEL_VALUE.matcher(v).matches()) {
                report.accept(at + ": invalid label " + k + "=" + v);
            }
        });
    }

    private static void keys(String at, Map<String, String> data, Consumer<String> report) {
        if (data != null) {
            data.keySet().stream().filter(k -> !DATA_KEY.matcher(k).matches()).forEach(k -> report.accept(at + ": invalid key " + k));
        }
    }

    private static void quantities(String at, Map<String, Quantity> values, Consumer<String> report) {
        if (values != null) {
            values.forEach((k, q) -> {
                String text = q == null ? null : q.getAmount() + Objects.requireNonNullElse(q.getFormat(), "");
                if (text == null || !QUANTITY.matcher(text).matches()) {
                    report.accept(at + "." + k + ": not a Kubernetes quantity: " + text);
                }
            });
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** For tests: the problems of every document of a YAML text, each checked as {@code complete} says (see check). */
    static List<String> checkAll(String source, String yaml, boolean complete) {
        List<String> problems = new ArrayList<>();
        for (Object doc : ServiceFacts.loadYamlText(yaml)) {
            problems.addAll(check(source, doc, complete));
        }
        return problems;
    }
}
