package io.appmanager.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every link in docs/operations.md leads somewhere: a relative file exists, and an anchor (in this file or
 * in another Markdown file) is one of its headings, so restructuring a section cannot strand a link.
 */
class OperationsDocLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyLinkLeadsToAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        Matcher m = LINK.matcher(OperationsDoc.text());
        while (m.find()) {
            String target = m.group(1);
            if (target.matches("[a-z]+:.*")) {
                continue; // http(s), mailto: not checked here
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            Path path = file.isEmpty() ? OperationsDoc.FILE : OperationsDoc.FILE.resolveSibling(file).normalize();
            if (!Files.exists(path)) {
                broken.add(target + ": no file " + path);
            } else if (hash >= 0 && !anchors(path).contains(target.substring(hash + 1))) {
                broken.add(target + ": no such heading in " + path);
            }
        }
        assertEquals(List.of(), broken);
    }

    /** GitHub's heading anchors: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
    private static Set<String> anchors(Path markdown) throws IOException {
        Set<String> anchors = new HashSet<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
