package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RESUME: replay exactly what was missed, then live; refuse rather than replay partially. */
@QuarkusTest
class ResumeTest {

    @Inject
    SessionRegistry registry;

    private static String topicFor(String name) {
        return "resume." + name;
    }

    /** Identifies, receives n events, drops the socket; returns the session and the last seq seen. */
    private record Dropped(String token, String sessionId, long lastSeen, String topic) {
    }

    private Dropped connectReceiveAndDrop(String sub, int received) throws Exception {
        String topic = topicFor(sub);
        String token = Tokens.user(sub, topic);
        Gw.Session s = Gw.ready(token, "messages");
        RawSocket socket = s.socket();
        long last = 1;
        for (int i = 0; i < received; i++) {
            Gw.publish(topic, "message.create", Map.of("n", i));
            JsonNode e = socket.nextOf(0, "message.create");
            assertEquals(i, e.path("data").path("n").asInt());
            last = e.path("seq").asLong();
        }
        socket.abort();
        await().until(() -> registry.session(s.sessionId()).isParked());
        return new Dropped(token, s.sessionId(), last, topic);
    }

    @Test
    void resumeReplaysMissedEventsWithOriginalSeqsThenResumedThenLive() throws Exception {
        Dropped d = connectReceiveAndDrop("replayer", 2);
        for (int i = 2; i < 5; i++) {
            Gw.publish(d.topic(), "message.create", Map.of("n", i));
        }
        await().until(() -> registry.session(d.sessionId()).lastSeq() == d.lastSeen() + 3);
        try (RawSocket s = Gw.resumeOn(d.token(), d.sessionId(), d.lastSeen())) {
            for (int i = 2; i < 5; i++) {
                JsonNode e = s.next();
                assertEquals("message.create", e.path("type").asText());
                assertEquals(i, e.path("data").path("n").asInt());
                assertEquals(d.lastSeen() + i - 1, e.path("seq").asLong(), "original seq");
            }
            JsonNode resumed = s.next();
            assertEquals("resumed", resumed.path("type").asText());
            assertEquals(d.sessionId(), resumed.path("data").path("session_id").asText());
            assertEquals(3, resumed.path("data").path("replayed").asLong());
            assertEquals(d.lastSeen() + 3, resumed.path("data").path("seq").asLong());
            assertEquals(d.lastSeen() + 3, resumed.path("seq").asLong(), "resumed does not consume a seq");

            Gw.publish(d.topic(), "message.create", Map.of("n", 5));
            JsonNode live = s.next();
            assertEquals(5, live.path("data").path("n").asInt());
            assertEquals(d.lastSeen() + 4, live.path("seq").asLong(), "live continues strictly +1");
        }
    }

    @Test
    void resumeWithNothingMissedReplaysNothing() throws Exception {
        Dropped d = connectReceiveAndDrop("uptodate", 1);
        try (RawSocket s = Gw.resumeOn(d.token(), d.sessionId(), d.lastSeen())) {
            JsonNode resumed = s.next();
            assertEquals("resumed", resumed.path("type").asText());
            assertEquals(0, resumed.path("data").path("replayed").asLong());
        }
    }

    @Test
    void resumeKeepsDeliveringAfterHandoverUnderConcurrentPublishing() throws Exception {
        Dropped d = connectReceiveAndDrop("handover", 1);
        int total = 200;
        Thread publisher = new Thread(() -> {
            for (int i = 1; i <= total; i++) {
                Gw.publish(d.topic(), "message.create", Map.of("n", i));
            }
        });
        publisher.start();
        try (RawSocket s = Gw.resumeOn(d.token(), d.sessionId(), d.lastSeen())) {
            List<Integer> seen = new ArrayList<>();
            long expectedSeq = d.lastSeen() + 1;
            while (seen.size() < total) {
                JsonNode f = s.next();
                if ("resumed".equals(f.path("type").asText())) {
                    assertEquals(expectedSeq - 1, f.path("seq").asLong());
                    continue;
                }
                assertEquals(expectedSeq++, f.path("seq").asLong(), "no gap, no duplicate");
                seen.add(f.path("data").path("n").asInt());
            }
            publisher.join();
            for (int i = 0; i < total; i++) {
                assertEquals(i + 1, seen.get(i), "in publish order");
            }
        }
    }

    @Test
    void resumeOfAnotherPrincipalsSessionIsRefused() throws Exception {
        Dropped d = connectReceiveAndDrop("victim", 1);
        try (RawSocket s = Gw.resumeOn(Tokens.user("attacker"), d.sessionId(), d.lastSeen())) {
            JsonNode invalid = s.next();
            assertEquals(7, invalid.path("op").asInt());
            assertFalse(invalid.path("data").asBoolean(true));
            RawSocket.Closed closed = s.awaitClose();
            assertEquals(4007, closed.code());
            assertTrue(closed.reason().contains("unknown session"), closed.reason());
        }
        assertTrue(registry.session(d.sessionId()).isParked(), "the victim's session is untouched");
        try (RawSocket s = Gw.resumeOn(d.token(), d.sessionId(), d.lastSeen())) {
            assertEquals("resumed", s.next().path("type").asText(), "and still resumable by its owner");
        }
    }

    @Test
    void resumeOfUnknownSessionIsRefused() throws Exception {
        try (RawSocket s = Gw.resumeOn(Tokens.user("nobody"), "no-such-session", 1)) {
            assertEquals(7, s.next().path("op").asInt());
            assertEquals(4007, s.awaitClose().code());
        }
    }

    @Test
    void resumeWithSeqAheadOfTheServerIsRefused() throws Exception {
        Dropped d = connectReceiveAndDrop("ahead", 1);
        try (RawSocket s = Gw.resumeOn(d.token(), d.sessionId(), d.lastSeen() + 10)) {
            assertEquals(7, s.next().path("op").asInt());
            RawSocket.Closed closed = s.awaitClose();
            assertEquals(4007, closed.code());
            assertTrue(closed.reason().contains("ahead"), closed.reason());
        }
    }

    @Test
    void resumeWithBadTokenIsRefusedWith4004() throws Exception {
        Dropped d = connectReceiveAndDrop("badtoken", 1);
        try (RawSocket s = Gw.resumeOn("garbage", d.sessionId(), d.lastSeen())) {
            assertEquals(7, s.next().path("op").asInt());
            assertEquals(4004, s.awaitClose().code());
        }
        assertTrue(registry.session(d.sessionId()).isParked());
    }

    @Test
    void malformedResumeGetsInvalidSessionThen4002() throws Exception {
        for (Object data : List.of(Map.of("token", "x", "session_id", "s"), Map.of("token", "x", "seq", 1),
                Map.of("session_id", "s", "seq", 1), Map.of("token", "x", "session_id", "s", "seq", -1),
                Map.of("token", "x", "session_id", "s", "seq", "7"))) {
            try (RawSocket s = RawSocket.connect(Gw.uri())) {
                s.next();
                s.send(Gw.frame(3, data));
                assertEquals(7, s.next().path("op").asInt(), "payload " + data);
                assertEquals(4002, s.awaitClose().code(), "payload " + data);
            }
        }
    }

    @Test
    void resumeWhileOldSocketStillOpenTakesOverAndClosesTheOldOne() throws Exception {
        String token = Tokens.user("fenced", topicFor("fenced"));
        Gw.Session s = Gw.ready(token, "messages");
        try (RawSocket old = s.socket(); RawSocket fresh = Gw.resumeOn(token, s.sessionId(), 1)) {
            assertEquals("resumed", fresh.next().path("type").asText());
            RawSocket.Closed closed = old.awaitClose();
            assertEquals(4015, closed.code());
            Gw.publish(topicFor("fenced"), "message.create", Map.of("n", 1));
            JsonNode e = fresh.nextOf(0, "message.create");
            assertEquals(2, e.path("seq").asLong());
            assertTrue(old.drainReceived().stream().noneMatch(f -> "message.create".equals(f.path("type").asText())),
                    "the replaced socket gets nothing more");
        }
        assertFalse(registry.session(s.sessionId()).isEnded(), "the replaced socket's close must not end the session");
    }

    @Test
    void deliberateClientCloseEndsTheSession() throws Exception {
        String token = Tokens.user("leaver");
        Gw.Session s = Gw.ready(token, "messages");
        s.socket().closeWith(1000, "bye");
        await().until(() -> registry.session(s.sessionId()) == null);
        try (RawSocket again = Gw.resumeOn(token, s.sessionId(), 1)) {
            assertEquals(7, again.next().path("op").asInt());
        }
    }

    @Test
    void goingAwayFromTheClientEndsTheSessionToo() throws Exception {
        Gw.Session s = Gw.ready(Tokens.user("away"), "messages");
        s.socket().closeWith(1001, "navigating away");
        await().until(() -> registry.session(s.sessionId()) == null);
    }

    @Test
    void abuseCloseEndsTheSession() throws Exception {
        Gw.Session s = Gw.ready(Tokens.user("abuser"), "messages");
        s.socket().send(Gw.frame(77, null));
        assertEquals(4001, s.socket().awaitClose().code());
        await().until(() -> registry.session(s.sessionId()) == null);
    }

    @Test
    void droppedSessionKeepsCollectingEventsWhileParked() throws Exception {
        Dropped d = connectReceiveAndDrop("collector", 0);
        GatewaySession session = registry.session(d.sessionId());
        assertNotNull(session);
        assertNull(session.attached());
        Gw.publish(d.topic(), "message.create", Map.of("n", 1));
        await().until(() -> session.lastSeq() == 2);
    }
}
