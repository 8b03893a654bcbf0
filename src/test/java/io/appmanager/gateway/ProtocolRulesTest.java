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

/** Rules for an authenticated socket: each violation gets its own close code, said, never silent. */
@QuarkusTest
class ProtocolRulesTest {

    private static Gw.Session ready(String sub) throws Exception {
        return Gw.ready(Tokens.user(sub), "messages");
    }

    @Test
    void heartbeatIsAckedAfterReady() throws Exception {
        Gw.Session s = ready("hb");
        try (RawSocket socket = s.socket()) {
            socket.send(Gw.heartbeat(1L));
            assertEquals(4, socket.next().path("op").asInt());
        }
    }

    @Test
    void secondIdentifyCloses4005() throws Exception {
        Gw.Session s = ready("twice");
        try (RawSocket socket = s.socket()) {
            socket.send(Gw.identify(Tokens.user("twice")));
            assertEquals(4005, socket.awaitClose().code());
        }
    }

    @Test
    void resumeAfterReadyCloses4005() throws Exception {
        Gw.Session s = ready("twice-resume");
        try (RawSocket socket = s.socket()) {
            socket.send(Gw.resume(Tokens.user("twice-resume"), s.sessionId(), 1));
            assertEquals(4005, socket.awaitClose().code());
        }
    }

    @Test
    void unknownOpAfterReadyCloses4001() throws Exception {
        Gw.Session s = ready("unknown-op");
        try (RawSocket socket = s.socket()) {
            socket.send(Gw.frame(99, null));
            RawSocket.Closed closed = socket.awaitClose();
            assertEquals(4001, closed.code());
            assertTrue(closed.reason().contains("99"));
        }
    }

    @Test
    void accordClientOpsWithoutEffectAreAccepted() throws Exception {
        Gw.Session s = ready("presence");
        try (RawSocket socket = s.socket()) {
            socket.send(Gw.frame(8, Map.of("status", "online")));
            socket.send(Gw.heartbeat(1L));
            assertEquals(4, socket.next().path("op").asInt(), "socket still open and answering");
            assertFalse(socket.isClosed());
        }
    }

    @Test
    void undecodableFrameAfterReadyCloses4002() throws Exception {
        for (String bad : List.of("not json", "[1,2]", "{\"op\":\"one\"}", "{\"data\":1}", "{\"op\":1.5}")) {
            Gw.Session s = ready("decode");
            try (RawSocket socket = s.socket()) {
                socket.send(bad);
                assertEquals(4002, socket.awaitClose().code(), bad);
            }
        }
    }

    @Test
    void inboundFrameOver4096BytesCloses4002() throws Exception {
        Gw.Session s = ready("big");
        try (RawSocket socket = s.socket()) {
            socket.send("{\"op\":1,\"data\":null,\"pad\":\"" + "x".repeat(4100) + "\"}");
            RawSocket.Closed closed = socket.awaitClose();
            assertEquals(4002, closed.code());
            assertTrue(closed.reason().contains("4096"));
        }
    }

    @Test
    void frameOfExactly4096BytesIsAccepted() throws Exception {
        Gw.Session s = ready("edge");
        try (RawSocket socket = s.socket()) {
            String prefix = "{\"op\":1,\"data\":null,\"pad\":\"";
            String frame = prefix + "x".repeat(4096 - prefix.length() - 2) + "\"}";
            assertEquals(4096, frame.length());
            socket.send(frame);
            assertEquals(4, socket.next().path("op").asInt());
        }
    }

    @Test
    void binaryFrameCloses4002() throws Exception {
        Gw.Session s = ready("binary");
        try (RawSocket socket = s.socket()) {
            socket.sendBinary(new byte[]{1, 2, 3});
            assertEquals(4002, socket.awaitClose().code());
        }
    }

    @Test
    void rateLimitClosesWith4008InsteadOfDropping() throws Exception {
        Gw.Session s = ready("chatty");
        try (RawSocket socket = s.socket()) {
            // IDENTIFY was frame 1 of the 120 allowed per window.
            for (int i = 0; i < 119; i++) {
                socket.send(Gw.frame(8, Map.of("i", i)));
            }
            socket.send(Gw.heartbeat(1L));
            assertEquals(4, socket.next().path("op").asInt(), "120 frames are within the budget");
            socket.send(Gw.frame(8, Map.of("i", 121)));
            RawSocket.Closed closed = socket.awaitClose();
            assertEquals(4008, closed.code());
            assertEquals("rate limit exceeded", closed.reason());
        }
    }

    @Test
    void heartbeatsAreNeverRateLimited() throws Exception {
        Gw.Session s = ready("beating");
        try (RawSocket socket = s.socket()) {
            for (int i = 0; i < 300; i++) {
                socket.send(Gw.heartbeat((long) i));
            }
            for (int i = 0; i < 300; i++) {
                assertEquals(4, socket.next().path("op").asInt(), "ack " + i);
            }
            assertFalse(socket.isClosed());
        }
    }

    @Test
    void silenceBeyondTwiceTheHeartbeatIntervalCloses4009AndSessionStaysResumable() throws Exception {
        String token = Tokens.user("quiet");
        Gw.Session s = Gw.ready(token, "messages");
        try (RawSocket socket = s.socket()) {
            // Interval 3 s in the test profile: the close comes after 6 s of silence.
            RawSocket.Closed closed = socket.awaitClose();
            assertEquals(4009, closed.code());
        }
        try (RawSocket again = Gw.resumeOn(token, s.sessionId(), 1)) {
            JsonNode resumed = again.nextOf(0, "resumed");
            assertEquals(s.sessionId(), resumed.path("data").path("session_id").asText());
        }
    }

    @Test
    void socketsAreClosedWithTheHandshakeTimeoutWhenTheyNeverSpeak() throws Exception {
        try (RawSocket socket = RawSocket.connect(Gw.uri())) {
            socket.next();
            assertEquals(7, socket.next(Duration.ofSeconds(8)).path("op").asInt());
        }
    }

    @Test
    void fragmentedMessageOverTheTransportCapCloses4002() throws Exception {
        Gw.Session s = ready("fragments");
        try (RawSocket socket = s.socket()) {
            socket.sendFragmented("{\"op\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}", 10);
            assertEquals(4002, socket.awaitClose().code());
        }
    }

    @Test
    void fragmentedMessageWithinTheLimitIsReassembled() throws Exception {
        Gw.Session s = ready("small-fragments");
        try (RawSocket socket = s.socket()) {
            socket.sendFragmented("{\"op\":1,\"data\":null}", 3);
            assertEquals(4, socket.next().path("op").asInt());
        }
    }

    @Test
    void tokenTopicsBeyondTheSessionLimitAreNamedRightAfterReady() throws Exception {
        String[] topics = new String[105];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = "many." + i;
        }
        Gw.Session s = Gw.ready(Tokens.user("hoarder", topics), "messages");
        try (RawSocket socket = s.socket()) {
            assertEquals(100, s.ready().path("data").path("topics").size(), "personal topic + 99 of the token's");
            JsonNode update = socket.next();
            assertEquals("subscriptions.update", update.path("type").asText());
            assertEquals(2, update.path("seq").asLong());
            JsonNode refused = update.path("data").path("refused");
            assertEquals(6, refused.size());
            assertEquals("many.99", refused.get(0).path("topic").asText());
            assertEquals("topic_limit", refused.get(0).path("reason").asText());
        }
    }
}
