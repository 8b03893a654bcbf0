package io.appmanager.docs;

import io.appmanager.support.ServiceFacts;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    void everyLinkLeadsToAFileAndHeadingThatExist() {
        List<String> broken = new ArrayList<>();
        Matcher m = LINK.matcher(ServiceFacts.operationsMd());
        while (m.find()) {
            String target = m.group(1);
            if (target.matches("[a-z]+:.*")) {
                continue; // http(s), mailto: not checked here
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            Path path = file.isEmpty() ? ServiceFacts.OPERATIONS_MD : ServiceFacts.OPERATIONS_MD.resolveSibling(file).normalize();
            if (!Files.exists(path)) {
                broken.add(target + ": no file " + path);
            } else if (hash >= 0 && !ServiceFacts.headingAnchors(path).contains(target.substring(hash + 1))) {
                broken.add(target + ": no such heading in " + path);
            }
        }
        assertEquals(List.of(), broken);
    }
}
