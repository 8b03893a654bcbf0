package io.appmanager.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.support.ServiceFacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.appmanager.support.ServiceFacts.get;
import static io.appmanager.support.ServiceFacts.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two image builds, the Jib profile of pom.xml ({@code -Pimage}, quarkus-container-image-jib) and
 * deploy/Dockerfile, make the same image, the one k8s/base/deployment.yaml runs: base, user, port,
 * working directory, environment, entrypoint and name. Nothing is built: this machine has no registry
 * to pull the base image from (deploy/README.md), so the configuration is what can be checked.
 */
class DeployImageTest {

    private static final String JIB_EXTENSION = "quarkus-container-image-jib";
    /** The fast-jar layout of target/quarkus-app that the image must carry whole. */
    private static final List<String> FAST_JAR = List.of("lib/", "quarkus-run.jar", "app/", "quarkus/");

    private static Document pom;
    private static Map<String, String> jib;
    private static Map<String, List<String>> dockerfile;

    @BeforeAll
    static void load() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        pom = f.newDocumentBuilder().parse(new File("pom.xml"));
        jib = new HashMap<>();
        Element profile = imageProfile();
        for (Element props : children(profile, "properties")) {
            for (Element p : children(props, null)) {
                jib.put(p.getTagName(), p.getTextContent().trim());
            }
        }
        dockerfile = dockerfileInstructions();
    }

    @Test
    void theJibProfileIsOffByDefaultAndTheDefaultBuildDoesNotKnowJib() throws Exception {
        Element profile = imageProfile();
        assertTrue(children(profile, "activation").isEmpty(), "the image profile must never activate by itself");
        assertTrue(dependencyArtifacts(profile).contains(JIB_EXTENSION), "the image profile does not add " + JIB_EXTENSION);
        assertFalse(dependencyArtifacts(pom.getDocumentElement()).contains(JIB_EXTENSION),
                JIB_EXTENSION + " is a dependency of the default build: every ./mvnw package would try to build an image");
        assertEquals("true", jib.get("quarkus.container-image.build"));
        Properties properties = ServiceFacts.applicationProperties();
        for (String p : properties.stringPropertyNames()) {
            assertFalse(p.replaceFirst("^%[a-z]+\\.", "").matches("quarkus\\.(container-image|jib)\\..*"),
                    "application.properties sets " + p + ": image settings belong to the image profile only");
        }
    }

    @Test
    void theImageNameIsTheOneKubernetesAndComposeRun() {
        String name = jib.get("quarkus.container-image.registry") + "/" + jib.get("quarkus.container-image.group") + "/"
                + jib.get("quarkus.container-image.name") + ":" + jib.get("quarkus.container-image.tag");
        assertEquals(DeployFiles.k8sImage(), name, "the Jib profile builds another image than k8s/base runs");
        assertTrue(String.join(" ", dockerfileComments()).contains("-t " + name), "deploy/Dockerfile's build command tags another image");
    }

    @Test
    void bothBuildStartFromTheSamePinnedOpenJdk17Runtime() {
        String base = jib.get("quarkus.jib.base-jvm-image");
        assertNotNull(base, "the image profile leaves the base image to Quarkus' default, which changes between Quarkus versions");
        assertEquals(List.of(base), dockerfile.get("FROM"), "deploy/Dockerfile starts from another base image");
        assertTrue(base.matches(".*openjdk-17-runtime:[0-9][0-9.]*"), "not a pinned OpenJDK 17 runtime: " + base);
        assertEquals("17", pom.getElementsByTagName("maven.compiler.release").item(0).getTextContent().trim(),
                "the code is compiled for another Java than the image runs");
    }

    @Test
    void bothRunAsUid185LikeTheKubernetesPod() {
        Object runAsUser = get(DeployFiles.k8sDeployment(), "spec", "template", "spec", "securityContext", "runAsUser");
        assertEquals(String.valueOf(runAsUser), jib.get("quarkus.jib.user"), "Jib user");
        assertEquals(List.of(String.valueOf(runAsUser)), dockerfile.get("USER"), "Dockerfile USER");
    }

    @Test
    void bothExposeTheHttpPortTheKubernetesContainerDeclares() {
        int port = ServiceFacts.httpPort();
        assertEquals(String.valueOf(port), jib.get("quarkus.jib.ports"), "Jib ports");
        assertEquals(List.of(String.valueOf(port)), dockerfile.get("EXPOSE"), "Dockerfile EXPOSE");
        List<Object> containerPorts = new ArrayList<>();
        maps(DeployFiles.k8sContainer().get("ports")).forEach(p -> containerPorts.add(p.get("containerPort")));
        assertEquals(List.of(port), containerPorts, "k8s containerPort");
    }

    @Test
    void bothRunTheFastJarWithTheSameEntrypointAndHeapSetting() throws Exception {
        List<String> jibEntrypoint = Arrays.asList(jib.get("quarkus.jib.jvm-entrypoint").split(","));
        List<String> dockerEntrypoint = new ArrayList<>();
        new ObjectMapper().readTree(String.join(" ", dockerfile.get("ENTRYPOINT"))).forEach(n -> dockerEntrypoint.add(n.asText()));
        assertEquals(jibEntrypoint, dockerEntrypoint, "Dockerfile ENTRYPOINT (exec form) and quarkus.jib.jvm-entrypoint");
        String workdir = jib.get("quarkus.jib.working-directory");
        assertEquals(List.of(workdir), dockerfile.get("WORKDIR"), "working directory");
        assertEquals(workdir + "/quarkus-run.jar", dockerEntrypoint.get(dockerEntrypoint.size() - 1), "the entrypoint runs another jar");
        assertTrue(dockerEntrypoint.containsAll(List.of("java", "-jar")), "not a plain java -jar: " + dockerEntrypoint);

        String heap = DeployFiles.k8sEnv("JAVA_TOOL_OPTIONS");
        assertNotNull(heap, "k8s/base sets no JAVA_TOOL_OPTIONS");
        assertEquals(heap, jib.get("quarkus.jib.environment-variables.JAVA_TOOL_OPTIONS"), "Jib JAVA_TOOL_OPTIONS");
        assertEquals(List.of("JAVA_TOOL_OPTIONS=\"" + heap + "\""), dockerfile.get("ENV"), "Dockerfile ENV");
    }

    /** Every part of target/quarkus-app is copied into the working directory, and nothing from elsewhere. */
    @Test
    void theDockerfileCopiesTheWholeFastJarIntoTheWorkingDirectory() throws Exception {
        String workdir = dockerfile.get("WORKDIR").get(0);
        List<String> copied = new ArrayList<>();
        for (String copy : dockerfile.getOrDefault("COPY", List.of())) {
            String[] parts = copy.trim().split("\\s+");
            assertEquals(2, parts.length, "COPY with options or several sources: " + copy);
            assertTrue(parts[0].startsWith("target/quarkus-app/"), "copies something else than the fast-jar: " + copy);
            String part = parts[0].substring("target/quarkus-app/".length());
            assertEquals(workdir + "/" + part, parts[1], "copied to another place than the working directory: " + copy);
            copied.add(part);
        }
        assertEquals(FAST_JAR.stream().sorted().toList(), copied.stream().sorted().toList(), "the fast-jar parts copied");
        String ignore = Files.readString(DeployFiles.DEPLOY.resolve("Dockerfile.dockerignore"));
        assertTrue(ignore.lines().anyMatch("!target/quarkus-app/"::equals), "the build context excludes target/quarkus-app");
    }

    // --- helpers

    private static Element imageProfile() {
        NodeList ids = pom.getElementsByTagName("id");
        for (int i = 0; i < ids.getLength(); i++) {
            Node id = ids.item(i);
            if ("image".equals(id.getTextContent().trim()) && "profile".equals(id.getParentNode().getNodeName())) {
                return (Element) id.getParentNode();
            }
        }
        throw new AssertionError("pom.xml has no profile with id image");
    }

    /** Direct children of an element, by tag name (any tag for null). */
    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (tag == null || tag.equals(e.getTagName()))) {
                out.add(e);
            }
        }
        return out;
    }

    /** The artifactIds of an element's own dependencies block (project or profile), not of plugins. */
    private static List<String> dependencyArtifacts(Element owner) {
        List<String> artifacts = new ArrayList<>();
        for (Element deps : children(owner, "dependencies")) {
            for (Element d : children(deps, "dependency")) {
                children(d, "artifactId").forEach(a -> artifacts.add(a.getTextContent().trim()));
            }
        }
        return artifacts;
    }

    /** Dockerfile instructions by keyword, continuation lines joined and comments dropped. */
    private static Map<String, List<String>> dockerfileInstructions() throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DeployFiles.DOCKERFILE)) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            String instruction = current.toString().strip();
            current.setLength(0);
            int space = instruction.indexOf(' ');
            out.computeIfAbsent(instruction.substring(0, space).toUpperCase(), k -> new ArrayList<>())
                    .add(instruction.substring(space + 1).strip());
        }
        return out;
    }

    private static List<String> dockerfileComments() {
        try {
            return Files.readAllLines(DeployFiles.DOCKERFILE).stream().filter(l -> l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
