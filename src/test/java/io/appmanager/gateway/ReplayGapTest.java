package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay log is bounded; a gap it no longer covers is refused, never replayed partially. */
@QuarkusTest
@TestProfile(ReplayGapTest.TinyLog.class)
class ReplayGapTest {

    public static class TinyLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("appmanager.gateway.replay.max-events", "4",
                    "appmanager.gateway.resume-window", "8s");
        }
    }

    @Inject
    SessionRegistry registry;

    @Test
    void gapTheLogNoLongerCoversIsRefusedWithInvalidSession() throws Exception {
        String token = Tokens.user("gappy", "gap.t");
        Gw.Session s = Gw.ready(token, "messages");
        s.socket().abort();
        await().until(() -> registry.session(s.sessionId()).isParked());
        for (int i = 0; i < 6; i++) {
            Gw.publish("gap.t", "message.create", Map.of("n", i));
        }
        await().until(() -> registry.session(s.sessionId()).lastSeq() == 7);
        RestAssured.get("/q/metrics").then()
                .body(containsString("appmanager_events_dropped_total{reason=\"replay_overflow\"} 2.0"));
        try (RawSocket again = Gw.resumeOn(token, s.sessionId(), 1)) {
            JsonNode invalid = again.next();
            assertEquals(7, invalid.path("op").asInt(), "no partial replay: " + invalid);
            RawSocket.Closed closed = again.awaitClose();
            assertEquals(4007, closed.code());
            assertTrue(closed.reason().contains("no longer retained"), closed.reason());
        }
        assertNull(registry.session(s.sessionId()), "a session its owner cannot resume is freed at once");
    }

    @Test
    void positionStillCoveredResumesEvenAfterEvictions() throws Exception {
        String token = Tokens.user("covered", "cover.t");
        Gw.Session s = Gw.ready(token, "messages");
        s.socket().abort();
        await().until(() -> registry.session(s.sessionId()).isParked());
        for (int i = 0; i < 6; i++) {
            Gw.publish("cover.t", "message.create", Map.of("n", i));
        }
        await().until(() -> registry.session(s.sessionId()).lastSeq() == 7);
        try (RawSocket again = Gw.resumeOn(token, s.sessionId(), 3)) {
            for (int seq = 4; seq <= 7; seq++) {
                assertEquals(seq, again.next().path("seq").asLong());
            }
            assertEquals("resumed", again.next().path("type").asText());
        }
    }

    @Test
    void sessionNotResumedWithinTheWindowExpires() throws Exception {
        String token = Tokens.user("expiring");
        Gw.Session s = Gw.ready(token, "messages");
        s.socket().abort();
        await().until(() -> registry.session(s.sessionId()) == null);
        try (RawSocket again = Gw.resumeOn(token, s.sessionId(), 1)) {
            assertEquals(7, again.next().path("op").asInt());
            assertEquals(4007, again.awaitClose().code());
        }
        RestAssured.get("/q/metrics").then().body(containsString("appmanager_gateway_sessions_expired_total"));
    }
}
