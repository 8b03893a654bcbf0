package io.appmanager.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Apps;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.WebhookSink;
import io.appmanager.webhooks.WebhookSigner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 004's scenarios end to end: a real PostgreSQL, a real HTTP server as the app's webhook, real
 * sockets. Transient drop: reconnect, no webhook, nothing lost. App server restart: webhook after
 * grace, a new instance, subscriptions restored.
 */
@QuarkusTest
class ReconnectVersusResurrectionTest {

    /** Long enough that a reconnect on a loaded CI machine lands inside it, short enough to wait out. */
    private static final long GRACE_MS = 3000;

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    private Apps.Running running(String name, Map<String, Object> policy) throws Exception {
        return apps.running(name, GRACE_MS, policy);
    }

    @Test
    void theStartWebhookIsSignedAndNamesTheUserSession() {
        Apps.Started started = apps.started("signed", GRACE_MS, Map.of());
        WebhookSink.Received received = apps.sink().of("session_request", started.id()).get(0);
        JsonNode request = received.body();
        assertEquals("start", request.path("reason").asText());
        assertEquals(started.userSession(), request.path("user_session_id").asText());
        assertEquals(started.app().packageName(), request.path("package_name").asText());
        // what an app server does first: check the signature with the secret it was given at registration
        assertEquals(WebhookSigner.Verification.VALID, WebhookSigner.verify(
                started.app().webhookSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                received.header(WebhookSigner.TIMESTAMP), received.header(WebhookSigner.SIGNATURE), received.rawBody(),
                java.time.Instant.now(), WebhookSigner.DEFAULT_TOLERANCE));
        assertEquals("session_request", received.header(WebhookSigner.EVENT));
        assertTrue(received.header(WebhookSigner.IDEMPOTENCY_KEY).startsWith(started.id() + ":g1:a1:"));
    }

    @Test
    void firstConnectionAfterStartRunsTheSessionAndGetsAReconnectToken() throws Exception {
        Apps.Running r = running("first", Map.of());
        assertTrue(r.sdk().app().path("reconnect").isNull(), "a first connect is not a reconnect: " + r.sdk().app());
        JsonNode app = r.sdk().app();
        assertEquals(r.id(), app.path("id").asText());
        assertEquals(2, app.path("generation").asLong(), "start is generation 1, the accepted connection 2");
        assertTrue(app.path("reconnect_token").asText().startsWith("rt_2_"), app.toString());
        assertEquals(GRACE_MS, app.path("grace_ms").asLong());
        assertEquals("RUNNING", Apps.state(r.id()));
        r.sdk().socket().close();
    }

    @Test
    void transientDropReconnectsWithTheTokenWithoutAWebhookAndDeliversWhatWasPublishedMeanwhile() throws Exception {
        Apps.Running r = running("transient", Map.of());
        String topic = "us." + r.userSession() + ".chat";
        r.sdk().socket().send(Gw.subscribe(List.of(topic), List.of()));
        r.sdk().socket().nextOf(0, "subscriptions.update");

        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        Gw.publish(topic, "message.create", Map.of("n", 1));
        Gw.publish(topic, "message.create", Map.of("n", 2));

        Apps.Sdk back = Apps.ready(r.app(), r.userSession(), Map.of("reconnect_token", r.sdk().token()));
        JsonNode app = back.app();
        assertEquals("RUNNING", app.path("state").asText());
        assertFalse(app.path("reconnect").path("inferred").asBoolean(), app.toString());
        assertEquals("token", app.path("reconnect").path("reason").asText());
        assertEquals(List.of(topic), list(app.path("subscriptions")), "subscriptions kept");
        assertEquals(2, app.path("replayed_after_ready").asInt());
        assertEquals(1, back.socket().nextOf(0, "message.create").path("data").path("n").asInt());
        assertEquals(2, back.socket().nextOf(0, "message.create").path("data").path("n").asInt());

        assertEquals(1, apps.sink().of("session_request", r.id()).size(), "no resurrection webhook for a reconnect");
        assertEquals("RUNNING", Apps.state(r.id()));
        back.socket().close();
    }

    @Test
    void aCleanCloseFromTheSdkIsStillADropAndAHintBringsItBack() throws Exception {
        Apps.Running r = running("hint", Map.of());
        r.sdk().socket().close();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        Apps.Sdk back = Apps.ready(r.app(), r.userSession(), Map.of("reconnect", true));
        assertFalse(back.app().path("reconnect").path("inferred").asBoolean(), back.app().toString());
        assertEquals("hint", back.app().path("reconnect").path("reason").asText());
        assertEquals(1, apps.sink().of("session_request", r.id()).size());
        back.socket().close();
    }

    @Test
    void aConnectionWithNoEvidenceDuringGraceIsInferredToBeTheInstanceComingBack() throws Exception {
        Apps.Running r = running("inferred", Map.of());
        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        Apps.Sdk back = Apps.ready(r.app(), r.userSession(), Map.of());
        assertTrue(back.app().path("reconnect").path("inferred").asBoolean(), back.app().toString());
        assertEquals("inferred", back.app().path("reconnect").path("reason").asText());
        assertEquals(1, apps.sink().of("session_request", r.id()).size());
        back.socket().close();
    }

    @Test
    void resumeOfAnAppSessionReplaysAndCountsAsAReconnect() throws Exception {
        Apps.Running r = running("resume", Map.of());
        String topic = "us." + r.userSession() + ".feed";
        r.sdk().socket().send(Gw.subscribe(List.of(topic), List.of()));
        long seq = r.sdk().socket().nextOf(0, "subscriptions.update").path("seq").asLong();
        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        Gw.publish(topic, "message.create", Map.of("n", 7));

        try (RawSocket s = RawSocket.connect(Gw.uri())) {
            s.next();
            s.send(Gw.frame(3, Map.of("token", "Bot " + r.app().apiKey(), "session_id", r.sdk().gatewaySessionId(), "seq", seq)));
            assertEquals(7, s.nextOf(0, "message.create").path("data").path("n").asInt());
            assertEquals(1, s.nextOf(0, "resumed").path("data").path("replayed").asInt());
            await().until(() -> Apps.state(r.id()).equals("RUNNING"));
        }
        assertEquals(1, apps.sink().of("session_request", r.id()).size());
    }

    @Test
    void appServerRestartResurrectsAfterGraceAndTheNewInstanceGetsTheSubscriptions() throws Exception {
        Apps.Running r = running("restart", Map.of("first_attempt_jitter_ms", 500));
        String topic = "us." + r.userSession() + ".notes";
        r.sdk().socket().send(Gw.subscribe(List.of(topic), List.of()));
        r.sdk().socket().nextOf(0, "subscriptions.update");
        await().until(() -> list(Apps.session(r.id()).path("subscriptions")).equals(List.of(topic)));

        long dropped = System.currentTimeMillis();
        r.sdk().socket().abort();
        await().atMost(Duration.ofSeconds(20)).until(() -> apps.sink().of("session_request", r.id()).size() == 2);
        WebhookSink.Received resurrection = apps.sink().of("session_request", r.id()).get(1);
        assertEquals("resurrection", resurrection.body().path("reason").asText());
        assertEquals(1, resurrection.body().path("attempt").asInt());
        long after = resurrection.receivedAtMillis() - dropped;
        assertTrue(after >= GRACE_MS, "not before grace ran out: " + after + " ms");

        Apps.Sdk fresh = Apps.ready(r.app(), r.userSession(), Map.of());
        assertEquals("RUNNING", fresh.app().path("state").asText());
        assertTrue(fresh.app().path("reconnect").isNull(), "a resurrected instance is not a reconnect");
        assertTrue(list(fresh.app().path("subscriptions")).contains(topic), fresh.app().toString());
        Gw.publish(topic, "message.create", Map.of("n", 3));
        assertEquals(3, fresh.socket().nextOf(0, "message.create").path("data").path("n").asInt());
        fresh.socket().close();
    }

    @Test
    void theTransitionHistoryTellsTheStory() throws Exception {
        Apps.Running r = running("history", Map.of());
        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        JsonNode history = Apps.history(r.id()).path("data");
        assertEquals(List.of("StartRequested", "SdkAttached", "SocketClosed"),
                history.findValuesAsText("event"));
        assertEquals("CONNECTING", history.get(1).path("from").asText());
        assertEquals("GRACE_PERIOD", history.get(2).path("to").asText());
    }

    @Test
    void metricsCountReconnectsByPath() throws Exception {
        double before = counter("appmanager_app_reconnect_successes_total{path=\"token\"}");
        Apps.Running r = running("metrics", Map.of());
        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        Apps.ready(r.app(), r.userSession(), Map.of("reconnect_token", r.sdk().token())).socket().close();
        assertEquals(before + 1, counter("appmanager_app_reconnect_successes_total{path=\"token\"}"));
        assertTrue(RestAssured.get("/q/metrics").asString().contains("appmanager_app_reconnect_latency_seconds_count"));
    }

    static double counter(String series) {
        for (String line : RestAssured.get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    static List<String> list(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
