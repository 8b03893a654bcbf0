package io.appmanager.bench;

import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/**
 * Smoke mode of the benchmark harness (docs/benchmarks.md): the same {@link Sessions} and
 * {@link Publisher} code the suite uses, with 20 sessions and 50 events, against this test's
 * AppManager and against the raw Vert.x baseline (a child JVM). Asserts correctness only: every
 * event reached every session exactly once and in publish order; after a reconnect storm every
 * session resumed as itself with every event once, in order (the raw baseline: every session
 * reconnected); the idle footprint produced its measurements. Also the smoke mode of the resurrection
 * storm ({@link ResurrectionStormScenario}). No timings.
 */
@QuarkusTest
class HarnessSmokeTest {

    private static final int SESSIONS = SmokeAssertions.SESSIONS;
    private static final int EVENTS = 50;
    private static final String TOPIC = "bench.smoke";
    private static final int STORM_SESSIONS = 10;
    private static final long STORM_GRACE_MS = 1000;

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
    void appManagerDeliversEveryEventToEverySessionOnceInOrder() throws Exception {
        smoke(RestAssured.port, i -> Tokens.user("smoke-" + i, TOPIC), Tokens.publisher("smoke-publisher"));
    }

    @Test
    void rawVertxBaselineDeliversEveryEventToEverySessionOnceInOrder() throws Exception {
        // a child JVM, as in the suite: Quarkus sets vertx.disableWebsockets in this one
        try (RawVertxTarget raw = RawVertxTarget.start()) {
            smoke(raw.port(), i -> raw.sessionToken(i, TOPIC), raw.publishToken());
        }
    }

    @Test
    void appManagerResumesEverySessionAfterAStormWithEveryEventOnceInOrder() throws Exception {
        JsonObject row = SmokeAssertions.single(SmokeAssertions.storm().run(vertx, new ThisInstance()));
        SmokeAssertions.assertStormResumedEverything(row);
    }

    @Test
    void rawVertxBaselineReconnectsEverySessionAfterAStorm() throws Exception {
        try (RawVertxTarget raw = RawVertxTarget.start()) {
            JsonObject row = SmokeAssertions.single(SmokeAssertions.storm().run(vertx, raw));
            assertEquals(SESSIONS, row.getLong("resumed"), "sessions reconnected (" + row.getString("first_failure") + ")");
            assertEquals(0, row.getLong("failed_resumes"), "failed reconnects");
            assertNull(row.getValue("events_lost"), "lost events do not apply without resume");
            assertNotNull(row.getValue("all_back_seconds"), "time until all were back");
        }
    }

    @Test
    void idleFootprintIsMeasuredForTheTestInstanceAndTheRawBaseline() throws Exception {
        IdleFootprintScenario idle = new IdleFootprintScenario(List.of(SESSIONS), 4, 0);
        SmokeAssertions.assertIdleMeasured(SmokeAssertions.single(idle.run(vertx, new ThisInstance())));
        try (RawVertxTarget raw = RawVertxTarget.start()) {
            SmokeAssertions.assertIdleMeasured(SmokeAssertions.single(idle.run(vertx, raw)));
        }
    }

    private static void smoke(int port, IntFunction<String> sessionToken, String publishToken) throws Exception {
        LatencyRecorder latency = new LatencyRecorder();
        Sessions.Options options = new Sessions.Options("127.0.0.1", port, Sessions.URI, SESSIONS, 4, 8, true);
        try (Sessions sessions = new Sessions(vertx, options, latency);
             Publisher publisher = new Publisher(vertx, "127.0.0.1", port, publishToken, TOPIC, 1)) {
            sessions.open(sessionToken).get(60, TimeUnit.SECONDS);
            Publisher.Step step = publisher.sequential(EVENTS).get(60, TimeUnit.SECONDS);
            assertEquals(EVENTS, step.ok(), "publishes answered 200 (last failure: " + step.lastFailure() + ")");

            await().atMost(Duration.ofSeconds(30)).until(() -> sessions.delivered() >= (long) SESSIONS * EVENTS);
            List<Long> expected = LongStream.range(0, EVENTS).boxed().toList();
            for (Sessions.Session s : sessions.sessions()) {
                assertEquals(expected, s.indexes(), "events of session " + s.index);
            }
            assertEquals((long) SESSIONS * EVENTS, sessions.delivered(), "deliveries in all");
            assertEquals(0, sessions.outOfOrder.sum(), "seq gaps");
            assertEquals(0, sessions.closedUnexpectedly.sum(), "sockets closed");
            assertEquals((long) SESSIONS * EVENTS, latency.interval().getTotalCount(), "latencies recorded");
        }
    }

    /**
     * Scenario 4's smoke mode: 10 app sessions over 2 apps, 1 s grace and jitter, against this AppManager.
     * Correctness only: every app session's first resurrection attempt reached its app's server exactly once,
     * none before the drop plus the grace, every webhook signed, the timer-lateness metric counted the timers.
     */
    @Test
    void resurrectionStormResurrectsEveryAppSessionOnceAfterItsGrace(@TempDir Path plots) throws Exception {
        ResurrectionStormScenario scenario = new ResurrectionStormScenario(List.of(STORM_SESSIONS), 2, STORM_GRACE_MS, 1000L, 4);
        ResurrectionStormScenario.Storm storm = scenario.storm(vertx, new ThisInstance(), STORM_SESSIONS);
        JsonObject row = storm.row();

        long graceNanos = TimeUnit.MILLISECONDS.toNanos(STORM_GRACE_MS);
        for (String id : storm.appSessionIds()) {
            List<AppWebhookSink.Call> first = storm.calls().stream()
                    .filter(c -> c.appSessionId().equals(id) && c.isFirstResurrectionAttempt()).toList();
            assertEquals(1, first.size(), "first resurrection attempts of " + id);
            assertTrue(first.get(0).arrivedNanos() >= storm.dropNanos() + graceNanos,
                    "not before the drop plus the grace: " + id);
        }
        assertEquals(STORM_SESSIONS, row.getLong("first_attempts"), row.encodePrettily());
        assertEquals(0, row.getLong("missing_first_attempts"));
        assertEquals(0, row.getLong("duplicate_first_attempts"));
        assertEquals(0, row.getLong("early_first_attempts"));
        assertEquals(0, row.getLong("later_attempts"), "start timeout raised: no attempt 2 within the run");
        assertEquals(0, row.getLong("concurrent_starts"));
        assertEquals(0, row.getLong("invalid_signatures"));
        assertTrue(row.getBoolean("all_first_attempts_once"));
        // other test classes' timers may fire meanwhile: at least ours
        JsonObject lateness = row.getJsonObject("timer_lateness_ms");
        assertTrue(lateness.getJsonObject("grace").getLong("count") >= STORM_SESSIONS, lateness.encode());
        assertTrue(lateness.getJsonObject("resurrection").getLong("count") >= STORM_SESSIONS, lateness.encode());
        assertNotNull(lateness.getJsonObject("resurrection").getDouble("p99"), "a p99 from the buckets: " + lateness.encode());
        assertTrue(row.getLong("server_resurrections_attempted") >= STORM_SESSIONS, row.encode());
        assertFalse(scenario.markdown(List.of(row)).isBlank());
        assertEquals(1, scenario.summary(List.of(row)).size());
        assertTrue(Files.size(scenario.plots(List.of(row), plots).get(0)) > 0, "the plot is written");
    }

    /**
     * This test's AppManager as a bench target: its port, this JVM (so its memory is read in-process), the
     * test profile's tokens.
     */
    private static final class ThisInstance implements Target {
        @Override
        public String name() {
            return "appmanager";
        }

        @Override
        public int port() {
            return RestAssured.port;
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public String publishToken() {
            return Tokens.publisher("smoke-publisher");
        }

        @Override
        public String sessionToken(int i, String topic) {
            return Tokens.user("smoke-" + i, topic);
        }

        @Override
        public String adminToken() {
            return Tokens.admin("smoke-admin");
        }

        @Override
        public void close() {
        }
    }
}
