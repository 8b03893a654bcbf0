package io.appmanager.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Apps;
import io.appmanager.support.Gw;
import io.appmanager.support.Tokens;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.WebhookSink;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's numbers: GET /api/v1/stats over time windows, and live transitions on the admin topic. */
@QuarkusTest
class StatsAndAdminTopicTest {

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    /** One package's numbers: other tests' sessions (backing off against closed sinks) do not leak in. */
    private static JsonNode window(String packageName, String name) {
        return RestAssured.given().header("Authorization", "Bearer " + Apps.admin())
                .get("/api/v1/stats?package=" + packageName)
                .then().statusCode(200).extract().as(JsonNode.class).path("windows").path(name);
    }

    @Test
    void aReconnectAndAFalseResurrectionShowInEveryWindow() throws Exception {
        Apps.Running r = apps.running("stats", 3000, Map.of("first_attempt_jitter_ms", 1, "start_timeout_ms", 20000));
        Apps.Registered app = r.app();
        String userSession = r.userSession();
        String id = r.id();
        Apps.Sdk sdk = r.sdk();
        JsonNode before = window(app.packageName(), "15m");
        assertEquals(0, before.path("reconnect_attempts").asLong());
        assertTrue(before.path("reconnect_success_rate").isNull(), "no attempts: no rate, not 0: " + before);

        // a reconnect with the token
        sdk.socket().abort();
        await().until(() -> Apps.state(id).equals("GRACE_PERIOD"));
        Apps.Sdk back = Apps.ready(app, userSession, Map.of("reconnect_token", sdk.token()));
        // then the instance is away past grace, a resurrection is accepted, and the original comes back first
        back.socket().abort();
        await().atMost(Duration.ofSeconds(20)).until(() -> Apps.state(id).equals("RESURRECTING")
                && Apps.session(id).path("webhook_accepted").asBoolean());
        Apps.Sdk last = Apps.ready(app, userSession, Map.of("reconnect_token", back.token()));

        for (String w : new String[]{"1m", "5m", "15m"}) {
            JsonNode after = window(app.packageName(), w);
            assertTrue(after.path("reconnect_successes").asLong() >= 2, w + ": " + after);
            assertTrue(after.path("avg_reconnect_latency_ms").isNumber(), w + ": " + after);
            assertTrue(after.path("false_resurrection_rate").isNumber(), w + ": " + after);
        }
        JsonNode after = window(app.packageName(), "15m");
        assertEquals(before.path("reconnect_attempts").asLong() + 2, after.path("reconnect_attempts").asLong());
        assertEquals(before.path("reconnect_successes").asLong() + 2, after.path("reconnect_successes").asLong());
        assertEquals(before.path("resurrections").asLong() + 1, after.path("resurrections").asLong());
        assertEquals(before.path("false_resurrections").asLong() + 1, after.path("false_resurrections").asLong());
        assertEquals(before.path("drops").asLong() + 2, after.path("drops").asLong());
        assertEquals((double) after.path("reconnect_successes").asLong() / after.path("reconnect_attempts").asLong(),
                after.path("reconnect_success_rate").asDouble(), 1e-9);
        last.socket().close();
    }

    /**
     * A resurrection the app server keeps refusing is one resurrection however many retries it takes:
     * counting attempts made the rate of drops that ended in a resurrection climb past 100 %.
     */
    @Test
    void retriesOfOneResurrectionCountOnceAndShowAsAttempts() throws Exception {
        Apps.Running r = apps.running("retries", 500, Map.of("first_attempt_jitter_ms", 1, "base_delay_ms", 100,
                "max_delay_ms", 200, "max_attempts", 3));
        String id = r.id();
        apps.sink().answer(503);
        try {
            r.sdk().socket().abort();
            // three refused attempts (the breaker may refuse the later ones itself), then evicted
            await().atMost(Duration.ofSeconds(60)).until(() -> Apps.state(id).equals("EVICTED"));
        } finally {
            apps.sink().answer(200);
        }

        JsonNode w = window(r.app().packageName(), "15m");
        assertEquals(1, w.path("drops").asLong(), w.toString());
        assertEquals(1, w.path("resurrections").asLong(), w.toString());
        assertEquals(3, w.path("resurrection_attempts").asLong(), w.toString());
        assertEquals(1.0, w.path("resurrection_rate").asDouble(), 1e-9, w.toString());
    }

    @Test
    void statsNeedAnAdminToken() {
        RestAssured.get("/api/v1/stats").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer " + Tokens.user("nosy")).get("/api/v1/stats")
                .then().statusCode(403);
        RestAssured.given().header("Authorization", "Bearer " + Apps.admin()).get("/api/v1/stats?package=Not%20One")
                .then().statusCode(400).body("error.field", org.hamcrest.Matchers.equalTo("package"));
        RestAssured.given().header("Authorization", "Bearer " + Apps.admin()).get("/api/v1/stats")
                .then().statusCode(200).body("windows.'15m'.reconnect_attempts", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void everyTransitionIsAnnouncedOnTheAdminTopic() throws Exception {
        Gw.Session dashboard = Gw.ready(Tokens.user("dashboard", AppEvents.ADMIN_TOPIC));
        Apps.Started s = apps.started("announce", 3000, Map.of());
        String id = s.id();
        JsonNode started = nextFor(dashboard, id);
        assertEquals("CONNECTING", started.path("to").asText());
        assertEquals("StartRequested", started.path("event").asText());
        Apps.ready(s.app(), s.userSession(), Map.of()).socket().close();
        JsonNode running = nextFor(dashboard, id);
        assertEquals("CONNECTING", running.path("from").asText());
        assertEquals("RUNNING", running.path("to").asText());
        dashboard.socket().close();
    }

    /** The next announcement about this app session (others' may be interleaved). */
    private static JsonNode nextFor(Gw.Session dashboard, String id) {
        while (true) {
            JsonNode e = dashboard.socket().nextOf(0, "app_session.transition").path("data");
            if (e.path("id").asText().equals(id)) {
                return e;
            }
        }
    }
}
