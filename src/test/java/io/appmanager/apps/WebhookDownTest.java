package io.appmanager.apps;

import io.appmanager.support.Apps;
import io.appmanager.support.RawSocket;
import io.appmanager.support.WebhookSink;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An app server that is down: every attempt fails, the session backs off with jitter and is finally
 * EVICTED (told 4018); an app server that comes back in time is found by the next attempt.
 */
@QuarkusTest
class WebhookDownTest {

    /** Small delays so the whole horizon runs in seconds; the rules are the production ones. */
    private static final Map<String, Object> FAST_HORIZON = Map.of("first_attempt_jitter_ms", 1,
            "base_delay_ms", 100, "max_delay_ms", 300, "max_attempts", 3, "start_timeout_ms", 1000);

    @Test
    void aWebhookAnswering503IsRetriedWithBackoffUntilTheSessionIsEvicted() throws Exception {
        try (WebhookSink sink = WebhookSink.start().answer(503)) {
            Apps.Registered app = Apps.register(Apps.uniquePackage("down"), sink.url(), 500, FAST_HORIZON);
            String userSession = "us-" + UUID.randomUUID();
            String id = Apps.start(app.packageName(), userSession);
            await().atMost(Duration.ofSeconds(30)).until(() -> Apps.state(id).equals("EVICTED"));
            assertEquals(3, sink.of("session_request", id).size(), "the start and two resurrection attempts");
            List<String> events = Apps.history(id).path("data").findValuesAsText("event");
            assertEquals("StartRequested", events.get(0));
            assertTrue(events.contains("WebhookFailed"), events.toString());
            assertEquals("EVICTED", Apps.history(id).path("data").get(events.size() - 1).path("to").asText());

            RawSocket late = Apps.connect(Apps.identify(app, userSession, Map.of()));
            assertEquals(7, late.next().path("op").asInt());
            assertEquals(AppCloseCodes.EVICTED, late.awaitClose().code());
            assertEquals("EVICTED", Apps.state(id), "state unchanged by the refused connection");
        }
    }

    @Test
    void aRefusedConnectionIsAFailedAttemptAndAnAppThatComesBackIsFound() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, Object> policy = Map.of("first_attempt_jitter_ms", 1, "base_delay_ms", 100, "max_delay_ms", 300,
                "max_attempts", 10, "start_timeout_ms", 5000);
        Apps.Registered app = Apps.register(Apps.uniquePackage("refused"),
                URI.create("http://127.0.0.1:" + closedPort + "/webhook"), 500, policy);
        String userSession = "us-" + UUID.randomUUID();
        String id = Apps.start(app.packageName(), userSession);
        await().until(() -> Apps.state(id).equals("BACKOFF") || Apps.state(id).equals("RESURRECTING"));
        assertTrue(Apps.session(id).path("resurrection_attempts").asInt() >= 1);
        // the app server comes back: an admin points the webhook at it and the next attempt reaches it
        try (WebhookSink sink = WebhookSink.start()) {
            io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                    .header("Authorization", "Bearer " + Apps.admin())
                    .body(Map.of("webhook_url", sink.url().toString()))
                    .patch("/api/v1/apps/" + app.packageName()).then().statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> !sink.of("session_request", id).isEmpty());
            Apps.Sdk sdk = Apps.ready(app, userSession, Map.of());
            assertEquals("RUNNING", sdk.app().path("state").asText());
            sdk.socket().close();
        }
    }

    @Test
    void anAppServerThatComesBackOnTheSameUrlIsFoundByTheNextAttempt() throws Exception {
        try (WebhookSink sink = WebhookSink.start().answerNext(503, 503)) {
            Map<String, Object> policy = Map.of("first_attempt_jitter_ms", 1, "base_delay_ms", 100, "max_delay_ms", 300,
                    "max_attempts", 10, "start_timeout_ms", 5000);
            Apps.Registered app = Apps.register(Apps.uniquePackage("flaky"), sink.url(), 500, policy);
            String userSession = "us-" + UUID.randomUUID();
            String id = Apps.start(app.packageName(), userSession);
            await().atMost(Duration.ofSeconds(20)).until(() -> sink.of("session_request", id).size() == 3
                    && Apps.state(id).equals("RESURRECTING") && Apps.session(id).path("webhook_accepted").asBoolean());
            Apps.Sdk sdk = Apps.ready(app, userSession, Map.of());
            assertEquals("RUNNING", sdk.app().path("state").asText());
            assertEquals(0, Apps.session(id).path("resurrection_attempts").asInt(), "the outage is over");
            sdk.socket().close();
        }
    }

    @Test
    void anOpenCircuitBacksOffWithoutCallingTheAppAndIsNotCountedAsAnAttempt() throws Exception {
        try (WebhookSink sink = WebhookSink.start().answer(503)) {
            // four failures fill the breaker's window (test profile: 4 calls, 50 %, open for 2 s); backoff stays under
            // the 2 s, or the attempt after the fourth failure can already be the half-open probe (a fifth request)
            // a horizon of ~16 s: the breaker opens long before it, so CircuitOpen gives the attempt back
            Map<String, Object> policy = Map.of("first_attempt_jitter_ms", 1, "base_delay_ms", 300, "max_delay_ms", 800,
                    "max_attempts", 20, "start_timeout_ms", 5000);
            Apps.Registered app = Apps.register(Apps.uniquePackage("breaker"), sink.url(), 500, policy);
            String id = Apps.start(app.packageName(), "us-" + UUID.randomUUID());
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    Apps.history(id).path("data").findValuesAsText("event").contains("CircuitOpen"));
            List<String> events = Apps.history(id).path("data").findValuesAsText("event");
            int open = events.indexOf("CircuitOpen");
            assertEquals("BACKOFF", Apps.history(id).path("data").get(open).path("to").asText());
            // counted by time, not when this thread got round to it: the half-open probe may already be out
            long openedAt = java.time.Instant.parse(Apps.history(id).path("data").get(open).path("at").asText()).toEpochMilli();
            long requestsWhenOpened = sink.of("session_request", id).stream().filter(r -> r.receivedAtMillis() <= openedAt).count();
            assertEquals(4, requestsWhenOpened, "the breaker opened after its window of four failures");
            // half-open after the delay: one probe reaches the app again
            await().atMost(Duration.ofSeconds(20)).until(() -> sink.of("session_request", id).size() > requestsWhenOpened);
            assertTrue(Apps.session(id).path("resurrection_attempts").asInt() < 20, "refusals by the breaker spent no attempts");
            Apps.stop(id).statusCode(200);
        }
    }

    @Test
    void pastTheHorizonTheSessionsOfADeadAppAreEvictedThoughTheyShareOneOpenBreaker() throws Exception {
        try (WebhookSink sink = WebhookSink.start().answer(503)) {
            // horizon: 1 ms + 100 ms; the breaker (open 2 s, one probe) would otherwise ration their attempts
            Map<String, Object> policy = Map.of("first_attempt_jitter_ms", 1, "base_delay_ms", 100, "max_delay_ms", 100,
                    "max_attempts", 2, "start_timeout_ms", 5000);
            Apps.Registered app = Apps.register(Apps.uniquePackage("dead"), sink.url(), 500, policy);
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(Apps.start(app.packageName(), "us-" + UUID.randomUUID()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> Apps.state(id).equals("EVICTED")));
            long pastHorizon = ids.stream().filter(id -> Apps.history(id).path("data").findValuesAsText("reason")
                    .contains("circuit_open_past_horizon")).count();
            assertTrue(pastHorizon >= 1, "some sessions spent attempts on the open breaker");
            assertTrue(sink.received().size() < 12, "fewer calls than attempts: the breaker spared the app " + sink.received().size());
        }
    }

    @Test
    void aHangingAppServerTimesOutAndTheAttemptFails() throws Exception {
        // the test profile's webhook timeout is 1 s
        try (WebhookSink sink = WebhookSink.start().answerAfter(Duration.ofSeconds(3))) {
            // the start timeout well past the webhook timeout, or the two race on a loaded machine
            Map<String, Object> policy = new java.util.HashMap<>(FAST_HORIZON);
            policy.put("start_timeout_ms", 10_000);
            Apps.Registered app = Apps.register(Apps.uniquePackage("hanging"), sink.url(), 500, policy);
            String id = Apps.start(app.packageName(), "us-" + UUID.randomUUID());
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    Apps.history(id).path("data").findValuesAsText("reason").contains("timeout"));
            List<String> events = Apps.history(id).path("data").findValuesAsText("event");
            assertEquals("WebhookFailed", events.get(1), events.toString());
            assertEquals("BACKOFF", Apps.history(id).path("data").get(1).path("to").asText());
            Apps.stop(id).statusCode(200);
        }
    }
}
