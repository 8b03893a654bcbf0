package io.appmanager.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scenarios 2 and 3 at smoke size and what their rows must say, for every target's smoke test. */
final class SmokeAssertions {

    static final int SESSIONS = 20;
    /** Enough events around a drop of a few hundred ms that some are replayed, few enough for seconds. */
    static final double STORM_EVENTS_PER_SECOND = 10;

    private SmokeAssertions() {
    }

    /** Published while every socket is down, so that every session has events to get back (else lost > 0). */
    static final int EVENTS_WHILE_DOWN = 5;

    /** The reconnect storm at smoke size: 20 sessions, 10 events/s for a few seconds around the drop. */
    static ReconnectStormScenario storm() {
        return new ReconnectStormScenario(List.of(SESSIONS), STORM_EVENTS_PER_SECOND, 4, EVENTS_WHILE_DOWN);
    }

    static JsonObject single(List<JsonObject> rows) {
        assertEquals(1, rows.size(), "rows: " + rows);
        return rows.get(0);
    }

    /** Every session came back as itself (no fresh READY) and got every event exactly once, in order. */
    static void assertStormResumedEverything(JsonObject row) {
        String context = row.encode();
        assertFalse(row.containsKey("skipped"), context);
        assertEquals(SESSIONS, row.getLong("resumed"), "sessions resumed with their own session id: " + context);
        assertEquals(0, row.getLong("fresh_sessions"), "fresh sessions instead of a resume: " + context);
        assertEquals(0, row.getLong("failed_resumes"), "failed resumes: " + context);
        assertTrue(row.getLong("published") > 0, "events published: " + context);
        assertEquals(0, row.getLong("publish_failures"), "publish failures: " + context);
        assertTrue(row.getBoolean("drained"), "every event reached every session: " + context);
        assertEquals(0, row.getLong("events_lost"), "events lost: " + context);
        assertEquals(0, row.getLong("events_duplicated"), "events duplicated: " + context);
        assertEquals(0, row.getLong("index_order_violations"), "events out of publish order: " + context);
        assertEquals(0, row.getLong("seq_out_of_order"), "seq gaps or repeats across the replay: " + context);
        assertEquals(0, row.getLong("sockets_closed_by_server"), "sockets the server closed: " + context);
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
