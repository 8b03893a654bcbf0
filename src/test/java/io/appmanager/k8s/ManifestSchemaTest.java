package io.appmanager.k8s;

import io.appmanager.support.ServiceFacts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every manifest under k8s/ against the Kubernetes schema (fabric8's typed model; {@link ManifestSchema}):
 * the files as they are, always (patches for fields and types only), and each variant as Kustomize renders
 * it when kubectl is on the PATH (the patched objects whole, JSON patches included). Then broken manifests,
 * to show that each kind of mistake is caught.
 */
class ManifestSchemaTest {

    private static final Path K8S = Path.of("k8s");

    @Test
    void everyManifestFileMatchesTheSchema() throws IOException {
        Set<Path> patches = strategicMergePatches();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : ServiceFacts.loadYamlText(Files.readString(f))) {
                    if (doc instanceof List<?>) {
                        continue; // a JSON patch (RFC 6902): its result is checked in the rendered variants
                    }
                    if (doc instanceof Map<?, ?> m && "Kustomization".equals(m.get("kind"))) {
                        continue; // kustomize's own file: ManifestsTest checks what it lists
                    }
                    problems.addAll(ManifestSchema.check(f.toString(), doc, !patches.contains(f.normalize())));
                    checked++;
                }
            }
        }
        assertTrue(checked >= 15, "only " + checked + " manifests found under " + K8S);
        assertEquals(List.of(), problems);
    }

    /** What kubectl would apply: the variant rendered, patches applied, every object whole. */
    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void everyRenderedVariantMatchesTheSchema(String variant, @TempDir Path tmp) throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH: the rendered variants are not checked here "
                + "(the files are, by everyManifestFileMatchesTheSchema)");
        String rendered = render(kubectl.get(), variant, tmp);
        List<Object> docs = ServiceFacts.loadYamlText(rendered);
        assertTrue(docs.stream().anyMatch(d -> d instanceof Map<?, ?> m && "Deployment".equals(m.get("kind"))),
                variant + " renders no Deployment:\n" + rendered);
        List<String> problems = new ArrayList<>();
        for (Object doc : docs) {
            problems.addAll(ManifestSchema.check("kubectl kustomize k8s/" + variant, doc, true));
        }
        assertEquals(List.of(), problems);
    }

    // --- the check fails where it should

    @Test
    void misspelledFieldsAreReportedWithTheirPath() {
        List<String> problems = ManifestSchema.checkAll("broken.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                        - name: web
                          image: example/web:1
                          ports:
                            - containerPort: 8080
                              protocl: TCP
                          resouces:
                            limits: {memory: 1Gi}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata:
                  name: rules
                spec:
                  groups:
                    - name: g
                      rules:
                        - alert: Down
                          expr: up == 0
                          for: 5m
                          severty: page
                """, true);
        assertEquals(List.of(
                "broken.yaml Deployment/web: unknown field .spec.template.spec.containers[0].ports[0].protocl",
                "broken.yaml Deployment/web: unknown field .spec.template.spec.containers[0].resouces",
                "broken.yaml PrometheusRule/rules: unknown field .spec.groups[0].rules[0].severty"), problems);
    }

    @Test
    void aStringWhereANumberBelongsIsReported() {
        List<String> problems = ManifestSchema.checkAll("broken.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: {app: web}
                  ports:
                    - name: http
                      port: "80"
                      targetPort: http
                """, true);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("broken.yaml Service/web: wrong type at .spec.ports[0].port: "), problems.get(0));
    }

    @Test
    void aNumberOrBooleanWhereAStringBelongsIsReported() {
        // kubectl refuses both: ConfigMap data and label values are strings, and an unquoted 8080 or true is not one
        List<String> port = ManifestSchema.checkAll("broken.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: config
                data:
                  QUARKUS_HTTP_PORT: 8080
                """, true);
        assertEquals(1, port.size(), port.toString());
        assertTrue(port.get(0).startsWith("broken.yaml ConfigMap/config: wrong type at .data.QUARKUS_HTTP_PORT: "), port.get(0));
        List<String> label = ManifestSchema.checkAll("broken.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: config
                  labels: {canary: true}
                """, true);
        assertEquals(1, label.size(), label.toString());
        assertTrue(label.get(0).contains("wrong type at .metadata.labels.canary"), label.get(0));
    }

    @Test
    void missingRequiredFieldsAndBadFormatsAreReported() {
        List<String> problems = ManifestSchema.checkAll("broken.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: Web_1
                spec:
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: website}
                    spec:
                      containers:
                        - name: web
                          ports:
                            - {name: metrics-and-health, containerPort: 70000}
                          resources:
                            limits: {memory: 1GB}
                          volumeMounts:
                            - {name: tmp, mountPath: /tmp}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels: {app: web}
                """, true);
        String at = "broken.yaml Deployment/Web_1: ";
        String c = ".spec.template.spec.containers[0]";
        assertEquals(List.of(
                at + "metadata.name missing or not a DNS subdomain: Web_1",
                at + ".spec.selector {app=web} does not select the template's labels {app=website}",
                at + c + ".image missing",
                at + c + ".ports: containerPort missing or out of range: 70000",
                at + c + ".ports: port name metrics-and-health is not a unique IANA service name (15 characters at most)",
                at + c + ".volumeMounts: no volume named tmp",
                at + c + ".resources.limits.memory: not a Kubernetes quantity: 1GB",
                "broken.yaml PodDisruptionBudget/web: .spec needs exactly one of minAvailable and maxUnavailable"), problems);
    }

    @Test
    void anUnknownApiVersionOrKindIsReported() {
        List<String> problems = ManifestSchema.checkAll("broken.yaml", """
                apiVersion: apps/v2
                kind: Deployment
                metadata:
                  name: web
                ---
                apiVersion: v1
                kind: Servcie
                metadata:
                  name: web
                """, true);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("no schema for apiVersion/kind \"apps/v2 Deployment\""), problems.get(0));
        assertTrue(problems.get(1).contains("no schema for apiVersion/kind \"v1 Servcie\""), problems.get(1));
    }

    @Test
    void aPatchIsCheckedForFieldsAndTypesButNotForCompleteness() {
        String patch = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 3
                  template:
                    spec:
                      containers:
                        - name: web
                          resources:
                            requests: {cpu: "1"}
                """;
        assertEquals(List.of(), ManifestSchema.checkAll("patch.yaml", patch, false));
        assertFalse(ManifestSchema.checkAll("patch.yaml", patch, true).isEmpty(), "as a whole resource it is incomplete");
        assertEquals(List.of("patch.yaml Deployment/web: unknown field .spec.replica"),
                ManifestSchema.checkAll("patch.yaml", patch.replace("replicas:", "replica:"), false));
    }

    // --- helpers

    /** The strategic-merge patch files the overlays list (partial objects by design). */
    private static Set<Path> strategicMergePatches() throws IOException {
        Set<Path> patches = new HashSet<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path k : files.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList()) {
                for (Object doc : ServiceFacts.loadYamlText(Files.readString(k))) {
                    if (doc instanceof Map<?, ?> m && m.get("patches") instanceof List<?> list) {
                        for (Object p : list) {
                            if (p instanceof Map<?, ?> patch && patch.get("path") instanceof String path) {
                                patches.add(k.getParent().resolve(path).normalize());
                            }
                        }
                    }
                }
            }
        }
        return patches;
    }

    /**
     * kubectl kustomize on a copy of k8s/, where each env-file template (*.env.example, empty values) stands
     * in for the operator's own file, as a secretGenerator needs one to render.
     */
    private static String render(Path kubectl, String variant, Path tmp) throws Exception {
        Path copy = tmp.resolve("k8s");
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(K8S.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    if (f.toString().endsWith(".env.example")) {
                        Path env = Path.of(target.toString().replaceFirst("\\.example$", ""));
                        if (!Files.exists(env)) {
                            Files.copy(f, env);
                        }
                    }
                }
            }
        }
        Path out = tmp.resolve("rendered.yaml");
        Path err = tmp.resolve("kubectl.err");
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", copy.resolve(variant).toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl kustomize took over 2 minutes");
        assertEquals(0, p.exitValue(), () -> "kubectl kustomize k8s/" + variant + " failed: " + read(err));
        return read(out);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
