package io.appmanager.bench;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Smoke mode for the Socket.IO baseline: {@link SocketIoSessions} against {@code bench/socketio/server.js}
 * with 20 sessions and 50 events (every event to every session once, in order), then one session
 * drops its socket, misses 10 events and reconnects with its pid and offset: the server recovers it
 * and the 10 follow. Needs node and {@code bench/socketio/node_modules}, which only the bench installs
 * (npm registry): without them the test is skipped, so {@code ./mvnw verify} stays offline.
 */
class SocketIoSmokeTest {

    private static final int SESSIONS = 20;
    private static final int EVENTS = 50;
    private static final int MISSED = 10;
    private static final String TOPIC = "bench.smoke";

    private static Vertx vertx;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void socketIoDeliversEveryEventOnceInOrderAndRecoversADroppedSession() throws Exception {
        assumeInstalled();
        LatencyRecorder latency = new LatencyRecorder();
        try (SocketIoTarget target = SocketIoTarget.start()) {
            Sessions.Options options = new Sessions.Options("127.0.0.1", target.port(), SocketIoSessions.URI, SESSIONS, 4, 8, true);
            try (SocketIoSessions sessions = new SocketIoSessions(vertx, options, latency);
                 Publisher publisher = new Publisher(vertx, "127.0.0.1", target.port(), target.publishToken(), TOPIC, 1)) {
                sessions.open(i -> target.sessionToken(i, TOPIC)).get(60, TimeUnit.SECONDS);
                Publisher.Step step = publisher.sequential(EVENTS).get(60, TimeUnit.SECONDS);
                assertEquals(EVENTS, step.ok(), "publishes answered 200 (last failure: " + step.lastFailure() + ")");
                await().atMost(Duration.ofSeconds(30)).until(() -> sessions.delivered() >= (long) SESSIONS * EVENTS);
                List<Long> expected = LongStream.range(0, EVENTS).boxed().toList();
                for (SocketIoSessions.Session s : sessions.sessions()) {
                    assertEquals(expected, s.indexes(), "events of session " + s.index);
                }
                assertEquals((long) SESSIONS * EVENTS, latency.interval().getTotalCount(), "latencies recorded");

                SocketIoSessions.Session dropped = sessions.sessions().get(0);
                dropped.drop();
                Thread.sleep(200); // let the server see the transport close before it fans out
                assertEquals(MISSED, publisher.sequential(MISSED).get(60, TimeUnit.SECONDS).ok());
                dropped.connect().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertTrue(dropped.recovered(), "the server recovered the session (same pid)");
                await().atMost(Duration.ofSeconds(30)).until(() -> sessions.delivered() >= (long) SESSIONS * (EVENTS + MISSED));
                List<Long> all = LongStream.range(0, EVENTS + MISSED).boxed().toList();
                for (SocketIoSessions.Session s : sessions.sessions()) {
                    assertEquals(all, s.indexes(), "events of session " + s.index);
                }
                assertEquals((long) SESSIONS * (EVENTS + MISSED), sessions.delivered(), "deliveries in all");
                assertEquals(0, sessions.outOfOrder(), "index gaps");
                assertEquals(0, sessions.closedUnexpectedly(), "sockets closed");
            }
        }
    }

    @Test
    void socketIoRecoversEverySessionAfterAStormWithEveryEventOnceInOrder() throws Exception {
        assumeInstalled();
        try (SocketIoTarget target = SocketIoTarget.start()) {
            SmokeAssertions.assertStormResumedEverything(SmokeAssertions.single(SmokeAssertions.storm().run(vertx, target)));
        }
    }

    @Test
    void socketIoIdleFootprintIsMeasuredAfterAFullCollection() throws Exception {
        assumeInstalled();
        try (SocketIoTarget target = SocketIoTarget.start()) {
            IdleFootprintScenario idle = new IdleFootprintScenario(List.of(SmokeAssertions.SESSIONS), 4, 0);
            SmokeAssertions.assertIdleMeasured(SmokeAssertions.single(idle.run(vertx, target)));
        }
    }

    private static void assumeInstalled() {
        assumeTrue(Files.isDirectory(SocketIoTarget.DIR.resolve("node_modules")),
                "bench/socketio/node_modules is absent: run the bench (-Pbench) or npm ci in bench/socketio first");
        String why = SocketIoTarget.unavailable();
        assumeTrue(why == null, "Socket.IO baseline unavailable: " + why);
    }
}
