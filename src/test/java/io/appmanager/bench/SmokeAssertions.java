package io.appmanager.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scenario 2 at smoke size and what their rows must say, for every target's smoke test. */
final class SmokeAssertions {

    static final int SESSIONS = 20;
    private SmokeAssertions() {
    }

    static JsonObject single(List<JsonObject> rows) {
        assertEquals(1, rows.size(), "rows: " + rows);
        return rows.get(0);
    }

    static void assertIdleMeasured(JsonObject row) {
        String context = row.encode();
        assertFalse(row.containsKey("skipped"), context);
        assertEquals(SESSIONS, row.getLong("sessions_open"), "sessions open while measured: " + context);
        assertEquals(SESSIONS, row.getLong("delivered_check_event"), "every session got the check event: " + context);
        for (String when : List.of("empty", "idle")) {
            assertTrue(row.getJsonObject(when).getLong("heap_used_bytes") > 0, when + " heap: " + context);
            assertTrue(row.getJsonObject(when).getLong("rss_bytes") > 0, when + " RSS: " + context);
        }
        assertNotNull(row.getJsonObject("per_session_bytes"), context);
    }

}
