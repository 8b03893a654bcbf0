package io.appmanager.gateway;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** docs/protocol.md's close-code table and {@link CloseCodes} say the same thing. */
class CloseCodesDocumentedTest {

    @Test
    void everyCloseCodeHasARowWhoseSdkColumnMatchesItsReconnectFlag() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("docs/protocol.md")).stream()
                .filter(l -> l.matches("\\| [14]\\d{3} \\|.*")).toList();
        for (CloseCodes c : CloseCodes.values()) {
            String row = rows.stream().filter(r -> r.startsWith("| " + c.code + " | " + c.name() + " |")).findFirst()
                    .orElseGet(() -> fail("docs/protocol.md has no row for " + c.code + " " + c.name()));
            String[] cells = row.split("\\|");
            String sdk = cells[cells.length - 1].trim();
            if (c.reconnect) {
                assertTrue(sdk.startsWith("reconnect"), c + " reconnects but the doc says: " + sdk);
            } else {
                assertTrue(sdk.startsWith("fatal") || sdk.startsWith("terminal"), c + " is final but the doc says: " + sdk);
            }
        }
    }
}
