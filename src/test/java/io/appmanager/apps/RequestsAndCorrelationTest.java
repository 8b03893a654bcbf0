package io.appmanager.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Apps;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.Tokens;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.WebhookSink;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * REQUEST and its response: the correlation id is held by the app session across reconnects, the
 * response reaches whatever connection the session has now, and a different instance starts with none.
 */
@QuarkusTest
class RequestsAndCorrelationTest {

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    /** A running app session and a platform backend listening on the package's requests topic. */
    private record Running(Apps.Registered app, String userSession, String id, Apps.Sdk sdk, RawSocket platform) {
    }

    private Running running(String name, Map<String, Object> policy) throws Exception {
        Apps.Running r = apps.running(name, 3000, policy);
        Gw.Session platform = Gw.ready(Tokens.user("platform-" + name, AppEvents.requestsTopic(r.app().packageName())));
        return new Running(r.app(), r.userSession(), r.id(), r.sdk(), platform.socket());
    }

    private static Map<String, Object> request(String correlationId) {
        return Gw.frame(13, Map.of("correlation_id", correlationId, "type", "location.get", "data", Map.of("precise", true)));
    }

    private static ValidatableResponse respond(String id, String token, Object body) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token)
                .body(body).post("/api/v1/app-sessions/" + id + "/responses").then();
    }

    private static String responder(Apps.Registered app) {
        return Tokens.of("platform-backend").publish("apps." + app.packageName() + ".responses").mint();
    }

    @Test
    void aRequestReachesThePlatformAndItsResponseReachesTheSdk() throws Exception {
        Running r = running("req", Map.of());
        r.sdk().socket().send(request("c-1"));
        JsonNode accepted = r.sdk().socket().nextOf(0, "request.accepted");
        assertEquals("c-1", accepted.path("data").path("correlation_id").asText());

        JsonNode onPlatform = r.platform().nextOf(0, "app.request").path("data");
        assertEquals(r.id(), onPlatform.path("app_session_id").asText());
        assertEquals("c-1", onPlatform.path("correlation_id").asText());
        assertEquals("location.get", onPlatform.path("type").asText());
        assertTrue(onPlatform.path("data").path("precise").asBoolean());
        assertEquals(List.of("c-1"), ReconnectVersusResurrectionTest.list(Apps.session(r.id()).path("pending_correlation_ids")));

        respond(r.id(), responder(r.app()), Map.of("correlation_id", "c-1", "data", Map.of("lat", 1.5))).statusCode(200);
        JsonNode response = r.sdk().socket().nextOf(0, "app.response").path("data");
        assertEquals("c-1", response.path("correlation_id").asText());
        assertEquals(1.5, response.path("data").path("lat").asDouble());
        assertTrue(Apps.session(r.id()).path("pending_correlation_ids").isEmpty(), "answered: no longer pending");
        r.sdk().socket().close();
        r.platform().close();
    }

    @Test
    void pendingIdsSurviveAReconnectAndTheResponseFollowsTheInstance() throws Exception {
        Running r = running("req-reconnect", Map.of());
        r.sdk().socket().send(request("c-2"));
        r.sdk().socket().nextOf(0, "request.accepted");
        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        // answered while the instance is away: held for it
        respond(r.id(), responder(r.app()), Map.of("correlation_id", "c-2", "type", "location", "data", 7)).statusCode(200);

        Apps.Sdk back = Apps.ready(r.app(), r.userSession(), Map.of("reconnect_token", r.sdk().token()));
        JsonNode response = back.socket().nextOf(0, "app.response").path("data");
        assertEquals("c-2", response.path("correlation_id").asText());
        assertEquals("location", response.path("type").asText());
        back.socket().close();
        r.platform().close();
    }

    @Test
    void pendingIdsAreListedInReadyAfterAReconnect() throws Exception {
        Running r = running("req-ready", Map.of());
        r.sdk().socket().send(request("c-3"));
        r.sdk().socket().nextOf(0, "request.accepted");
        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        Apps.Sdk back = Apps.ready(r.app(), r.userSession(), Map.of("reconnect_token", r.sdk().token()));
        assertEquals(List.of("c-3"), ReconnectVersusResurrectionTest.list(back.app().path("pending_correlation_ids")));
        back.socket().close();
        r.platform().close();
    }

    @Test
    void aResurrectedInstanceStartsWithNoPendingIdsAndThePlatformIsTold() throws Exception {
        Running r = running("req-dropped", Map.of("first_attempt_jitter_ms", 1));
        r.sdk().socket().send(request("c-4"));
        r.sdk().socket().nextOf(0, "request.accepted");
        r.platform().nextOf(0, "app.request");
        r.sdk().socket().abort();
        await().atMost(Duration.ofSeconds(20)).until(() -> apps.sink().of("session_request", r.id()).size() == 2);
        Apps.Sdk fresh = Apps.ready(r.app(), r.userSession(), Map.of());
        assertTrue(fresh.app().path("pending_correlation_ids").isEmpty(), fresh.app().toString());
        assertEquals(List.of("c-4"), ReconnectVersusResurrectionTest.list(fresh.app().path("dropped_correlation_ids")));
        JsonNode dropped = r.platform().nextOf(0, "app.correlations.dropped").path("data");
        assertEquals(r.id(), dropped.path("app_session_id").asText());
        assertEquals(List.of("c-4"), ReconnectVersusResurrectionTest.list(dropped.path("correlation_ids")));
        respond(r.id(), responder(r.app()), Map.of("correlation_id", "c-4")).statusCode(404)
                .body("error.code", equalTo("unknown_correlation"));
        fresh.socket().close();
        r.platform().close();
    }

    @Test
    void badRequestsAndResponsesGetTheirDocumentedAnswers() throws Exception {
        Running r = running("req-bad", Map.of());
        r.sdk().socket().send(request("dup"));
        r.sdk().socket().nextOf(0, "request.accepted");
        r.sdk().socket().send(request("dup"));
        assertEquals("duplicate_correlation_id",
                r.sdk().socket().nextOf(0, "request.rejected").path("data").path("reason").asText());

        String token = responder(r.app());
        respond(r.id(), token, Map.of("correlation_id", "never")).statusCode(404).body("error.code", equalTo("unknown_correlation"));
        respond(r.id(), token, Map.of()).statusCode(400).body("error.field", equalTo("correlation_id"));
        respond(r.id(), token, Map.of("correlation_id", "dup", "extra", 1)).statusCode(400).body("error.field", equalTo("extra"));
        respond(r.id(), token, Map.of("correlation_id", "dup", "type", "Bad Type")).statusCode(400).body("error.field", equalTo("type"));
        respond(r.id(), token, Map.of("correlation_id", "dup", "data", "x".repeat(70_000))).statusCode(413)
                .body("error.field", equalTo("data"));
        respond(r.id(), Tokens.of("other").publish("apps.someone-else.responses").mint(), Map.of("correlation_id", "dup"))
                .statusCode(403);
        respond(UUID.randomUUID().toString(), token, Map.of("correlation_id", "dup")).statusCode(404);
        assertEquals(List.of("dup"), ReconnectVersusResurrectionTest.list(Apps.session(r.id()).path("pending_correlation_ids")),
                "every refusal left the pending id in place");

        r.sdk().socket().send(Gw.frame(13, Map.of("correlation_id", "has space", "type", "x")));
        assertEquals(4002, r.sdk().socket().awaitClose().code());
        r.platform().close();
    }

    @Test
    void aPlainClientCannotSendRequests() throws Exception {
        Gw.Session user = Gw.ready(Tokens.user("plain-requester"));
        user.socket().send(request("c-5"));
        assertEquals(4001, user.socket().awaitClose().code());
    }
}
