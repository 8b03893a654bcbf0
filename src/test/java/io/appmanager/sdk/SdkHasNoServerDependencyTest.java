package io.appmanager.sdk;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK ships to app developers: it may use the JDK and Jackson, nothing of the server. */
class SdkHasNoServerDependencyTest {

    private static final List<String> ALLOWED = List.of("java.", "javax.", "com.fasterxml.jackson.", "io.appmanager.sdk.");

    @Test
    void sdkSourcesImportOnlyTheJdkJacksonAndThemselves() throws Exception {
        List<String> offending;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/appmanager/sdk"))) {
            offending = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream().filter(l -> l.startsWith("import "))
                            .map(l -> l.replace("import static ", "").replace("import ", ""))
                            .filter(i -> ALLOWED.stream().noneMatch(i::startsWith))
                            .map(i -> p.getFileName() + ": " + i);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
        assertEquals(List.of(), offending);
        assertTrue(Files.exists(Path.of("src/main/java/io/appmanager/sdk/AccordClient.java")), "the scan saw the SDK");
    }
}
