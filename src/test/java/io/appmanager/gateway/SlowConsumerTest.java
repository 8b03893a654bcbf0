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
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client that stops reading is closed with 4000 "slow consumer" and stays resumable: the events
 * it could not take are in its replay log, so a RESUME gets every one of them.
 */
@QuarkusTest
@TestProfile(SlowConsumerTest.SmallQueue.class)
class SlowConsumerTest {

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("appmanager.gateway.outbound.max-frames", "16",
                    "appmanager.gateway.replay.max-events", "4096",
                    "appmanager.gateway.replay.max-bytes", "134217728",
                    "appmanager.gateway.heartbeat-interval", "60s",
                    "appmanager.fanout.publish-rate.burst", "100000");
        }
    }

    @Inject
    SessionRegistry registry;

    @Test
    void slowConsumerIsClosedWith4000AndResumesWithNothingLost() throws Exception {
        Stalled st = stallUntilSlowConsumer("slowpoke", "slow.t");

        // The client catches up while the close is pending: it reads what was queued, then 4000.
        st.socket.resumeReading();
        long lastSeq = 1;
        int next = 0;
        RawSocket.Closed closed;
        while (true) {
            if (st.socket.isClosed() && st.socket.drainReceivedCount() == 0) {
                closed = st.socket.awaitClose();
                break;
            }
            JsonNode f;
            try {
                f = st.socket.next(java.time.Duration.ofMillis(200));
            } catch (AssertionError timeout) {
                continue;
            }
            if ("message.create".equals(f.path("type").asText())) {
                assertEquals(next++, f.path("data").path("n").asInt());
                lastSeq = f.path("seq").asLong();
            }
        }
        assertEquals(4000, closed.code());
        assertEquals("slow consumer", closed.reason());
        await().until(() -> registry.session(st.sessionId).isParked());
        resumeAndExpectTheRest(st, lastSeq, next);
    }

    @Test
    void clientThatNeverReadsAgainIsDroppedAfterTheCloseTimeoutAndStaysResumable() throws Exception {
        Stalled st = stallUntilSlowConsumer("stuck", "stuck.t");
        // Never reads: the close frame cannot get through, so the server drops the TCP connection.
        await().atMost(java.time.Duration.ofSeconds(20)).until(() -> registry.session(st.sessionId).isParked());
        st.socket.close();
        resumeAndExpectTheRest(st, 1, 0);
    }

    private record Stalled(String token, String sessionId, RawSocket socket, int published) {
    }

    private Stalled stallUntilSlowConsumer(String sub, String topic) throws Exception {
        String token = Tokens.user(sub, topic);
        RawSocket socket = RawSocket.connectNotReading(Gw.uri());
        socket.send(Gw.identify(token, "messages"));
        await().until(() -> registry.connections().stream().anyMatch(c -> c.session() != null
                && c.session().principal().id().equals(sub)));
        String sessionId = registry.connections().stream().filter(c -> c.session() != null
                && c.session().principal().id().equals(sub)).findFirst().orElseThrow().session().id();
        double before = slowConsumerCloses();
        // Big events fill the kernel's socket buffers quickly; then the outbound queue overflows.
        String pad = "x".repeat(60_000);
        int published = 0;
        while (slowConsumerCloses() == before && published < 3_000) {
            Gw.publish(topic, "message.create", Map.of("n", published, "pad", pad));
            published++;
        }
        assertEquals(before + 1, slowConsumerCloses(), "the stalled client was detected");
        // A few more while the close is pending: they go to the replay log only.
        for (int i = 0; i < 3; i++) {
            Gw.publish(topic, "message.create", Map.of("n", published++, "pad", pad));
        }
        return new Stalled(token, sessionId, socket, published);
    }

    private void resumeAndExpectTheRest(Stalled st, long lastSeq, int next) throws Exception {
        try (RawSocket again = Gw.resumeOn(st.token, st.sessionId, lastSeq)) {
            while (next < st.published) {
                JsonNode f = again.next();
                assertEquals("message.create", f.path("type").asText(), "replay comes before resumed");
                assertEquals(next++, f.path("data").path("n").asInt());
            }
            assertEquals("resumed", again.next().path("type").asText());
        }
    }

    private static double slowConsumerCloses() {
        String metrics = RestAssured.get("/q/metrics").asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("appmanager_gateway_slow_consumer_closes_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
