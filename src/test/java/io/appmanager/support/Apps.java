package io.appmanager.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Registering apps, starting their sessions and connecting their SDKs, for app-session tests. */
public final class Apps {

    private Apps() {
    }

    /** A registered app: its package and the credentials shown once at registration. */
    public record Registered(String packageName, String apiKey, String webhookSecret) {
    }

    public static String admin() {
        return Tokens.admin("test-admin");
    }

    public static String uniquePackage(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers an app whose webhook is {@code url}, with the given policy overrides (ms) and grace. */
    public static Registered register(String packageName, URI url, long reconnectGraceMs, Map<String, Object> policy) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("package_name", packageName);
        body.put("webhook_url", url.toString());
        body.put("reconnect_grace_ms", reconnectGraceMs);
        if (!policy.isEmpty()) {
            body.put("policy", policy);
        }
        JsonNode created = RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + admin())
                .body(body).post("/api/v1/apps").then().statusCode(201).extract().as(JsonNode.class);
        return new Registered(packageName, created.path("api_key").asText(), created.path("webhook_secret").asText());
    }

    public static ValidatableResponse startRaw(Object body) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + admin())
                .body(body).post("/api/v1/app-sessions").then();
    }

    public static ValidatableResponse startRaw(String packageName, String userSessionId) {
        return startRaw(Map.of("package_name", packageName, "user_session_id", userSessionId));
    }

    /** Starts the app for a user session; returns the new app session's id. */
    public static String start(String packageName, String userSessionId) {
        return startRaw(packageName, userSessionId).statusCode(201)
                .extract().path("id");
    }

    public static JsonNode session(String id) {
        return RestAssured.given().header("Authorization", "Bearer " + admin()).get("/api/v1/app-sessions/" + id)
                .then().statusCode(200).extract().as(JsonNode.class);
    }

    public static String state(String id) {
        return session(id).path("state").asText();
    }

    public static ValidatableResponse stop(String id) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + admin())
                .body(Map.of("reason", "user_disabled")).post("/api/v1/app-sessions/" + id + "/stop").then();
    }

    public static JsonNode history(String id) {
        return RestAssured.given().header("Authorization", "Bearer " + admin())
                .get("/api/v1/app-sessions/" + id + "/transitions").then().statusCode(200).extract().as(JsonNode.class);
    }

    /** IDENTIFY frame of an app SDK. */
    public static Map<String, Object> identify(Registered app, String userSessionId, Map<String, Object> extra) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("package_name", app.packageName());
        properties.put("user_session_id", userSessionId);
        properties.putAll(extra);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("token", "Bot " + app.apiKey());
        d.put("intents", java.util.List.of("messages"));
        d.put("properties", properties);
        return Gw.frame(2, d);
    }

    /** Connects an SDK socket and sends IDENTIFY; HELLO is consumed, the answer is not. */
    public static RawSocket connect(Map<String, Object> identify) throws Exception {
        RawSocket s = RawSocket.connect(Gw.uri());
        assertEquals(5, s.next().path("op").asInt(), "HELLO first");
        s.send(identify);
        return s;
    }

    /** Connects and expects READY; returns the socket and READY's app_session. */
    public static Sdk ready(Registered app, String userSessionId, Map<String, Object> extra) throws Exception {
        RawSocket s = connect(identify(app, userSessionId, extra));
        JsonNode ready = s.nextOf(0, "ready");
        return new Sdk(s, ready);
    }

    /** An app session started for a user session, its start webhook sent, no SDK connected. */
    public record Started(Registered app, String userSession, String id) {
    }

    /** An app session whose first SDK got READY. */
    public record Running(Registered app, String userSession, String id, Sdk sdk) {
    }

    /** An SDK socket after READY. */
    public record Sdk(RawSocket socket, JsonNode ready) {
        public JsonNode app() {
            return ready.path("data").path("app_session");
        }

        public String token() {
            return app().path("reconnect_token").asText();
        }

        public String gatewaySessionId() {
            return ready.path("data").path("session_id").asText();
        }
    }
}
