package io.appmanager.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.support.Apps;
import io.appmanager.support.RawSocket;
import io.appmanager.support.WebhookSink;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 004, scenario 1: our own restart. The service is SIGTERMed and started again on the same
 * database; its app SDK reconnects and no webhook fires, although the app's reconnect grace (500 ms)
 * ran out long before the service was back: the restart grace holds the session for the SDK.
 */
class CloudRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void afterARestartTheSdkReconnectsAndNoResurrectionWebhookFires() throws Exception {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Map<String, String> config = Map.of(
                "appmanager.db.embedded.port", Integer.toString(freePort()),
                "appmanager.db.embedded.data-dir", Files.createTempDirectory("appmanager-restart-pg-").toString(),
                "appmanager.apps.secret-key", Base64.getEncoder().encodeToString(key),
                "appmanager.app-sessions.node-id", "restart-it-node");
        try (WebhookSink sink = WebhookSink.start()) {
            String appSessionId;
            Apps.Registered app;
            String token;
            try (PackagedService first = PackagedService.start(config)) {
                JsonNode created = post(first, "/api/v1/apps", Map.of("package_name", "com.example.restart",
                        "webhook_url", sink.url().toString(), "reconnect_grace_ms", 500,
                        "policy", Map.of("first_attempt_jitter_ms", 1)), 201);
                app = new Apps.Registered("com.example.restart", created.path("api_key").asText(), "");
                appSessionId = post(first, "/api/v1/app-sessions",
                        Map.of("package_name", "com.example.restart", "user_session_id", "us-restart"), 201).path("id").asText();
                await().until(() -> sink.of("session_request", appSessionId).size() == 1);
                RawSocket sdk = connect(first, Apps.identify(app, "us-restart", Map.of()));
                JsonNode ready = sdk.nextOf(0, "ready");
                token = ready.path("data").path("app_session").path("reconnect_token").asText();

                first.terminate();
                assertEquals(6, sdk.next(Duration.ofSeconds(10)).path("op").asInt(), "RECONNECT first");
                assertEquals(1001, sdk.awaitClose().code());
                first.awaitExit(Duration.ofSeconds(30));
            }
            try (PackagedService second = PackagedService.start(config)) {
                RawSocket sdk = connect(second, Apps.identify(app, "us-restart", Map.of("reconnect_token", token)));
                JsonNode appSession = sdk.nextOf(0, "ready").path("data").path("app_session");
                assertEquals("RUNNING", appSession.path("state").asText(), appSession.toString());
                assertEquals("token", appSession.path("reconnect").path("reason").asText());

                List<String> events = get(second, "/api/v1/app-sessions/" + appSessionId + "/transitions")
                        .path("data").findValuesAsText("event");
                assertTrue(events.contains("CloudRestarted"), events + "\n" + second.output());
                assertEquals(List.of(), sink.of("session_request", appSessionId).subList(1, sink.of("session_request",
                        appSessionId).size()), "only the start webhook, no resurrection");
                assertEquals("RUNNING", get(second, "/api/v1/app-sessions/" + appSessionId).path("state").asText());
                sdk.close();
            }
        }
    }

    private static RawSocket connect(PackagedService service, Map<String, Object> identify) throws Exception {
        RawSocket s = RawSocket.connect(service.ws());
        assertEquals(5, s.next().path("op").asInt());
        s.send(identify);
        return s;
    }

    private static String admin() {
        return Jwt.subject("restart-admin").claim("admin", true).expiresIn(600).jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(PackagedService.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    private static JsonNode post(PackagedService s, String path, Object body, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .header("Authorization", "Bearer " + admin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode get(PackagedService s, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .header("Authorization", "Bearer " + admin()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
