package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** From connect to READY: what a client is told at each step, and every way to get it wrong. */
@QuarkusTest
class HandshakeTest {

    @Test
    void helloIsTheFirstFrameAndCarriesTheHeartbeatInterval() throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri())) {
            JsonNode hello = s.next();
            assertEquals(5, hello.path("op").asInt());
            assertEquals(3000, hello.path("data").path("heartbeat_interval").asLong());
        }
    }

    @Test
    void readyAnnouncesSessionVersionsTopicsAndSdkVersions() throws Exception {
        Gw.Session s = Gw.ready(Tokens.user("alice", "chat.lobby", "chat.*"), "messages");
        try (RawSocket socket = s.socket()) {
            JsonNode ready = s.ready();
            assertEquals(0, ready.path("op").asInt());
            assertEquals(1, ready.path("seq").asLong());
            JsonNode d = ready.path("data");
            assertFalse(d.path("session_id").asText().isEmpty());
            assertEquals("alice", d.path("user_id").asText());
            assertEquals("v1", d.path("api_version").asText());
            assertFalse(d.path("server_version").asText().isEmpty());
            assertEquals(3000, d.path("heartbeat_interval").asLong());
            assertEquals(20000, d.path("resume_window_ms").asLong());
            // The personal topic and every wildcard-free topic of the token; wildcards are not subscribed.
            assertEquals(List.of("user:alice", "chat.lobby"), toList(d.path("topics")));
            assertTrue(d.path("sdk").has("min_version"));
            assertTrue(d.path("sdk").has("latest_version"));
        }
    }

    @Test
    void tokenMayCarryBotOrBearerPrefixOrNone() throws Exception {
        for (String prefix : List.of("Bot ", "Bearer ", "")) {
            try (RawSocket s = RawSocket.connect(Gw.uri())) {
                s.next();
                s.send(Gw.frame(2, Map.of("token", prefix + Tokens.user("bob"), "intents", List.of())));
                assertEquals("ready", s.next().path("type").asText(), "prefix '" + prefix + "'");
            }
        }
    }

    @Test
    void heartbeatBeforeIdentifyIsAcked() throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri())) {
            s.next();
            s.send(Gw.heartbeat(null));
            assertEquals(4, s.next().path("op").asInt());
            s.send(Gw.identify(Tokens.user("carol")));
            assertEquals("ready", s.next().path("type").asText());
        }
    }

    @Test
    void badTokenGetsInvalidSessionThenClose4004() throws Exception {
        assertAuthFails(Tokens.of("mallory").signedWith("some-other-secret-0123456789abcdef0123").mint());
    }

    @Test
    void expiredTokenGetsInvalidSessionThenClose4004() throws Exception {
        assertAuthFails(Tokens.of("late").expiredAgo(Duration.ofMinutes(10)).mint());
    }

    @Test
    void garbageTokenGetsInvalidSessionThenClose4004() throws Exception {
        assertAuthFails("not-a-jwt");
    }

    private static void assertAuthFails(String token) throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri())) {
            s.next();
            s.send(Gw.identify(token));
            JsonNode invalid = s.next();
            assertEquals(7, invalid.path("op").asInt());
            assertTrue(invalid.path("data").isBoolean(), "INVALID_SESSION data is a bare boolean");
            assertFalse(invalid.path("data").booleanValue());
            assertEquals(4004, s.awaitClose().code());
        }
    }

    @Test
    void malformedIdentifyGetsInvalidSessionThenClose4002() throws Exception {
        for (Object data : List.of("just a string", Map.of("intents", List.of()), Map.of("token", 42),
                Map.of("token", "x", "intents", "messages"), Map.of("token", "x", "intents", List.of(1)),
                Map.of("token", "x", "properties", List.of()))) {
            try (RawSocket s = RawSocket.connect(Gw.uri())) {
                s.next();
                s.send(Gw.frame(2, data));
                assertEquals(7, s.next().path("op").asInt(), "payload " + data);
                RawSocket.Closed closed = s.awaitClose();
                assertEquals(4002, closed.code(), "payload " + data);
                assertTrue(closed.reason().contains("IDENTIFY"), closed.reason());
            }
        }
    }

    @Test
    void unknownIntentCloses4013() throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri())) {
            s.next();
            s.send(Gw.identify(Tokens.user("dave"), "messages", "telepathy"));
            RawSocket.Closed closed = s.awaitClose();
            assertEquals(4013, closed.code());
            assertTrue(closed.reason().contains("telepathy"));
        }
    }

    @Test
    void privilegedIntentNotGrantedCloses4014() throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri())) {
            s.next();
            s.send(Gw.identify(Tokens.user("erin"), "messages", "members"));
            RawSocket.Closed closed = s.awaitClose();
            assertEquals(4014, closed.code());
            assertTrue(closed.reason().contains("members"));
        }
    }

    @Test
    void privilegedIntentGrantedByTokenIsAccepted() throws Exception {
        Gw.Session s = Gw.ready(Tokens.of("frank").privileged("members").mint(), "messages", "members");
        try (RawSocket socket = s.socket()) {
            assertEquals("ready", s.ready().path("type").asText());
        }
    }

    @Test
    void unknownOpBeforeIdentifyFailsFastWithInvalidSession() throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri())) {
            s.next();
            s.send(Gw.frame(12, Map.of("add", List.of("x"))));
            JsonNode invalid = s.next(Duration.ofSeconds(1));
            assertEquals(7, invalid.path("op").asInt());
            assertEquals(4003, s.awaitClose().code());
        }
    }

    @Test
    void undecodableFrameBeforeIdentifyGetsInvalidSessionThenClose4002() throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri())) {
            s.next();
            s.send("{this is not json");
            assertEquals(7, s.next().path("op").asInt());
            assertEquals(4002, s.awaitClose().code());
        }
    }

    @Test
    void handshakeTimeoutSendsInvalidSessionAndCloses() throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri())) {
            s.next();
            // The test profile's handshake window is 3 s; nothing is sent.
            JsonNode invalid = s.next(Duration.ofSeconds(8));
            assertEquals(7, invalid.path("op").asInt());
            RawSocket.Closed closed = s.awaitClose();
            assertEquals(4009, closed.code());
            assertTrue(closed.reason().contains("IDENTIFY"));
        }
    }

    @Test
    void otherGatewayVersionCloses4012() throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri("?v=2&encoding=json"))) {
            RawSocket.Closed closed = s.awaitClose();
            assertEquals(4012, closed.code());
            assertTrue(closed.reason().contains("v=2"));
        }
    }

    @Test
    void otherEncodingCloses4012() throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri("?v=1&encoding=etf"))) {
            assertEquals(4012, s.awaitClose().code());
        }
    }

    @Test
    void missingQueryMeansV1Json() throws Exception {
        try (RawSocket s = RawSocket.connect(Gw.uri(""))) {
            assertEquals(5, s.next().path("op").asInt());
        }
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
