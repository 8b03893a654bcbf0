package io.appmanager.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/operations.md read as the drift tests need it: the rows of the Markdown tables in a section
 * (ServiceFacts.section) and the code spans of a cell.
 */
final class OperationsDoc {

    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

    private OperationsDoc() {
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
