package io.appmanager.apps;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** docs/lifecycle.md and the code say the same thing: diagram, states, defaults and close codes. */
class LifecycleDocumentedTest {

    static List<String> lines;

    @BeforeAll
    static void read() throws Exception {
        lines = Files.readAllLines(Path.of("docs/lifecycle.md"));
    }

    static String row(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseGet(() -> fail("docs/lifecycle.md has no row starting " + prefix));
    }

    static String[] cells(String row) {
        String[] raw = row.split("\\|");
        String[] cells = new String[raw.length - 1];
        for (int i = 1; i < raw.length; i++) {
            cells[i - 1] = raw[i].trim();
        }
        return cells;
    }

    /** Edges of the mermaid diagram between two real states. */
    static Set<String> diagramEdges() {
        int start = lines.indexOf("```mermaid");
        assertTrue(start >= 0, "no mermaid block");
        Pattern edge = Pattern.compile("^\\s*(\\w+) --> (\\w+)");
        Set<String> edges = new TreeSet<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("```")) {
                break;
            }
            Matcher m = edge.matcher(line);
            if (m.find()) {
                edges.add(m.group(1) + " --> " + m.group(2));
            }
        }
        return edges;
    }

    @Test
    void theDiagramDrawsExactlyTheStateChangesTheCodeMakes() {
        Set<String> made = new TreeSet<>();
        for (LifecycleTableTest.Row row : LifecycleTableTest.rows()) {
            Transition t = LifecycleTableTest.run(row);
            if (t.next().state() != row.given().state()) {
                made.add(row.given().state() + " --> " + t.next().state());
            }
        }
        Set<String> drawn = diagramEdges();
        Set<String> undrawn = new TreeSet<>(made);
        undrawn.removeAll(drawn);
        assertEquals(Set.of(), undrawn, "state changes missing from the diagram");
        Set<String> imaginary = new TreeSet<>(drawn);
        imaginary.removeAll(made);
        assertEquals(Set.of(), imaginary, "diagram edges no table row makes");
        assertTrue(lines.contains("    [*] --> CONNECTING: start()"), "the start edge");
    }

    @Test
    void everyStateIsDescribed() {
        for (AppSessionState state : AppSessionState.values()) {
            assertTrue(cells(row("| `" + state + "` |")).length >= 4, state.toString());
        }
    }

    @Test
    void thePolicyTableShowsTheDefaults() throws Exception {
        LifecyclePolicy defaults = LifecyclePolicy.defaults();
        for (RecordComponent c : LifecyclePolicy.class.getRecordComponents()) {
            Object value = c.getAccessor().invoke(defaults);
            String expected = value instanceof Duration d ? d.toMillis() + " ms" : value.toString();
            assertEquals(expected, cells(row("| `" + c.getName() + "` |"))[1], c.getName());
        }
    }

    @Test
    void closeCodesAreListedAsFinal() {
        int[][] codes = {{AppCloseCodes.REPLACED, 4015}, {AppCloseCodes.FENCED, 4016},
                {AppCloseCodes.STOPPED, 4017}, {AppCloseCodes.EVICTED, 4018}};
        for (int[] code : codes) {
            assertEquals(code[1], code[0]);
            String[] cells = cells(row("| " + code[0] + " |"));
            assertTrue(cells[cells.length - 1].startsWith("no"), code[0] + ": " + cells[cells.length - 1]);
        }
    }

    @Test
    void theWorstCaseHorizonInTheDocIsTheCodes() {
        Duration worst = Duration.ZERO;
        for (int attempt = 1; attempt <= LifecyclePolicy.defaults().maxAttempts(); attempt++) {
            worst = worst.plus(ResurrectionBackoff.ceiling(attempt, LifecyclePolicy.defaults()));
        }
        assertEquals(Duration.ofSeconds(307), worst);
        assertTrue(String.join("\n", lines).contains("**307 s at most**"));
    }
}
