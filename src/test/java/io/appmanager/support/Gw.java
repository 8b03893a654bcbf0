package io.appmanager.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Frame builders and shortcuts for gateway tests against the running test instance. */
public final class Gw {

    private Gw() {
    }

    public static URI uri() {
        return uri("?v=1&encoding=json");
    }

    public static URI uri(String query) {
        return URI.create("ws://127.0.0.1:" + RestAssured.port + "/ws" + query);
    }

    public static Map<String, Object> frame(int op, Object data) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("op", op);
        f.put("data", data);
        return f;
    }

    public static Map<String, Object> identify(String token, String... intents) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("token", "Bearer " + token);
        d.put("intents", Arrays.asList(intents));
        d.put("properties", Map.of("os", "linux", "client", "raw-test", "version", "0"));
        return frame(2, d);
    }

    public static Map<String, Object> resume(String token, String sessionId, long seq) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("token", "Bearer " + token);
        d.put("session_id", sessionId);
        d.put("seq", seq);
        return frame(3, d);
    }

    public static Map<String, Object> heartbeat(Long seq) {
        return frame(1, seq);
    }

    public static Map<String, Object> subscribe(List<String> add, List<String> remove) {
        return frame(12, Map.of("add", add, "remove", remove));
    }

    /** Connects, checks HELLO, identifies, and returns the socket with READY already read. */
    public static Session ready(String token, String... intents) throws Exception {
        RawSocket s = RawSocket.connect(uri());
        JsonNode hello = s.next();
        assertEquals(5, hello.path("op").asInt(), "first frame is HELLO: " + hello);
        s.send(identify(token, intents));
        JsonNode ready = s.nextOf(0, "ready");
        return new Session(s, ready);
    }

    /** A socket after READY or RESUMED, and what READY said. */
    public record Session(RawSocket socket, JsonNode ready) {
        public String sessionId() {
            return ready.path("data").path("session_id").asText();
        }
    }

    /** Resumes on a new socket; returns it with HELLO consumed and the RESUME sent. */
    public static RawSocket resumeOn(String token, String sessionId, long seq) throws Exception {
        RawSocket s = RawSocket.connect(uri());
        assertEquals(5, s.next().path("op").asInt());
        s.send(resume(token, sessionId, seq));
        return s;
    }

    public static ValidatableResponse publish(String publisherToken, Object body) {
        return RestAssured.given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + publisherToken)
                .body(body)
                .post("/api/v1/events").then();
    }

    public static ValidatableResponse publish(String topic, String type, Map<String, Object> data) {
        return publish(Tokens.publisher("test-publisher"), Map.of("type", type, "topic", topic, "data", data))
                .statusCode(200);
    }
}
