package io.appmanager.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/operations.md read as the drift tests need it: a top-level section by its heading, the rows of the
 * Markdown tables in it, and the code spans of a cell.
 */
final class OperationsDoc {

    static final Path FILE = Path.of("docs/operations.md");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

    private OperationsDoc() {
    }

    static String text() {
        try {
            return Files.readString(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the "## heading" section, up to the next "## " heading. */
    static String section(String heading) {
        String text = text();
        int start = text.indexOf("\n## " + heading + "\n");
        assertTrue(start >= 0, FILE + " has no \"## " + heading + "\" section");
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** Every body row of every table in {@code section}, as its cells (header and separator rows left out). */
    static List<List<String>> tableRows(String section) {
        List<List<String>> rows = new ArrayList<>();
        String[] lines = section.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            boolean header = i + 1 < lines.length && lines[i + 1].trim().startsWith("|---");
            if (!line.startsWith("|") || line.startsWith("|---") || header) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            // "\|" inside a cell (e.g. quantile="0.5"\|"0.99") is not a column break
            for (String cell : line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length()).split("(?<!\\\\)\\|")) {
                cells.add(cell.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The contents of the code spans of {@code cell}, in order. */
    static List<String> codeSpans(String cell) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE_SPAN.matcher(cell);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }
}
