package io.appmanager.docs;

import io.appmanager.gateway.GatewayConfig;
import io.appmanager.support.ServiceFacts;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/operations.md's Configuration reference against the code: every property of every
 * {@code @ConfigMapping} interface (nested groups, optional and map members included, named as SmallRye
 * Config names them) has a row, with the interface's {@code @WithDefault} as its documented default; every
 * documented {@code appmanager.*} row is a real property (a removed one fails); every key set in
 * application.properties, in every profile, is a real property or is documented. Plain reflection, no boot.
 */
class ConfigReferenceTest {

    /** Property name (a map member's key as "*") -> its mapping, from SmallRye Config's own reading of the interfaces. */
    private static final Map<String, ConfigMappingInterface.Property> PROPERTIES = new TreeMap<>();
    private static final List<Class<?>> MAPPINGS = new ArrayList<>();
    /** Documented property name (a "<placeholder>" as "*") -> its Default cell. */
    private static final Map<String, String> DOCUMENTED = new TreeMap<>();
    private static String reference;

    @BeforeAll
    static void read() throws Exception {
        MAPPINGS.addAll(configMappings());
        for (Class<?> mapping : MAPPINGS) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            PROPERTIES.putAll(ConfigMappings.getProperties(new ConfigMappings.ConfigClass(mapping, prefix)));
        }
        reference = ServiceFacts.section("Configuration reference");
        for (List<String> row : OperationsDoc.tableRows(reference)) {
            List<String> names = OperationsDoc.codeSpans(row.get(0));
            if (!names.isEmpty() && names.get(0).startsWith("appmanager.")) {
                DOCUMENTED.put(names.get(0).replaceAll("<[^>]+>", "*"), row.size() > 1 ? row.get(1) : "");
            }
        }
    }

    /** Every class under the main output directory annotated @ConfigMapping, so a new interface cannot be missed. */
    private static List<Class<?>> configMappings() throws Exception {
        Path classes = Path.of(GatewayConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, ConfigReferenceTest.class.getClassLoader());
                if (c.isAnnotationPresent(ConfigMapping.class)) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    @Test
    void theMappingsAreFound() {
        assertTrue(MAPPINGS.size() >= 9, "expected the nine @ConfigMapping interfaces at least, found " + MAPPINGS);
        assertTrue(PROPERTIES.containsKey("appmanager.gateway.intent-table.*"), "map members are named with *: " + PROPERTIES.keySet());
        assertTrue(PROPERTIES.containsKey("appmanager.app-sessions.lease.ttl"), "nested groups are walked");
        assertTrue(PROPERTIES.containsKey("appmanager.auth.issuer"), "optional members are listed");
    }

    @Test
    void everyMappingIsNamedInTheReference() {
        for (Class<?> mapping : MAPPINGS) {
            assertTrue(reference.contains(mapping.getSimpleName()),
                    "the Configuration reference does not name " + mapping.getSimpleName());
        }
    }

    @Test
    void everyPropertyIsDocumentedWithItsDefault() {
        List<String> problems = new ArrayList<>();
        PROPERTIES.forEach((name, property) -> {
            String cell = DOCUMENTED.get(name);
            if (cell == null) {
                problems.add(name + " has no row in the Configuration reference");
            } else if (property.hasDefaultValue()) {
                List<String> spans = OperationsDoc.codeSpans(cell);
                if (spans.isEmpty() || !spans.get(0).equals(property.getDefaultValue())) {
                    problems.add(name + ": documented default " + cell + ", but the interface says `" + property.getDefaultValue() + "`");
                }
            } else if (!property.isMap() && !cell.startsWith("none") && !cell.startsWith("the ") && !cell.startsWith("`appmanager.")) {
                // no default in the code: the row must say none, or what it falls back to
                problems.add(name + " has no default in the code; its row says " + cell);
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void everyDocumentedPropertyExists() {
        for (String name : DOCUMENTED.keySet()) {
            assertTrue(PROPERTIES.containsKey(name), "the Configuration reference documents " + name
                    + ", which no @ConfigMapping interface has (removed or renamed?)");
        }
    }

    /** A mistyped key in application.properties is silently ignored: every appmanager.* key must be a property. */
    @Test
    void everyKeyInApplicationPropertiesIsARealProperty() {
        Properties properties = ServiceFacts.applicationProperties();
        assertFalse(properties.isEmpty());
        List<String> problems = new ArrayList<>();
        for (String key : new TreeMap<>(properties).keySet().stream().map(Object::toString).toList()) {
            String name = key.replaceFirst("^%[a-z-]+\\.", "");
            if (name.startsWith("appmanager.") && !isProperty(name)) {
                problems.add(key + ": no @ConfigMapping interface reads it");
            } else if (!name.startsWith("appmanager.") && !reference.contains("`" + name + "`")) {
                problems.add(key + ": the Configuration reference does not mention it");
            }
        }
        assertEquals(List.of(), problems, ServiceFacts.APPLICATION_PROPERTIES.toString());
    }

    private static boolean isProperty(String name) {
        if (PROPERTIES.containsKey(name)) {
            return true;
        }
        return PROPERTIES.keySet().stream().filter(p -> p.endsWith(".*"))
                .anyMatch(p -> name.startsWith(p.substring(0, p.length() - 1)));
    }
}
