package io.appmanager.fanout;

import io.appmanager.support.Gw;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** POST /api/v1/events: every refusal is a status and a JSON body naming the field. */
@QuarkusTest
class PublishApiTest {

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static final Map<String, Object> DATA = Map.of("k", "v");

    @Test
    void acceptedPublishAnswersIdTypeAndTopics() {
        Gw.publish(Tokens.publisher("p1"), body("type", "message.create", "topic", "a.b", "data", DATA))
                .statusCode(200)
                .body("id", startsWith("evt_"))
                .body("type", equalTo("message.create"))
                .body("topics[0]", equalTo("a.b"));
    }

    @Test
    void invalidTypeIs400NamingType() {
        for (Object type : List.of("Message.Create", "has space", "", "x".repeat(65), 5)) {
            Gw.publish(Tokens.publisher("p1"), body("type", type, "topic", "a.b", "data", DATA))
                    .statusCode(400).body("error.field", equalTo("type")).body("error.code", equalTo("invalid_field"));
        }
    }

    @Test
    void reservedTypeIs400() {
        Gw.publish(Tokens.publisher("p1"), body("type", "ready", "topic", "a.b", "data", DATA))
                .statusCode(400).body("error.field", equalTo("type")).body("error.message", containsString("reserved"));
    }

    @Test
    void missingOrInvalidTopicIs400() {
        Gw.publish(Tokens.publisher("p1"), body("type", "x.y", "data", DATA))
                .statusCode(400).body("error.field", equalTo("topics"));
        Gw.publish(Tokens.publisher("p1"), body("type", "x.y", "topic", "has*star", "data", DATA))
                .statusCode(400).body("error.field", equalTo("topic"));
        Gw.publish(Tokens.publisher("p1"), body("type", "x.y", "topics", List.of(), "data", DATA))
                .statusCode(400).body("error.field", equalTo("topics"));
        Gw.publish(Tokens.publisher("p1"), body("type", "x.y", "topic", "a", "topics", List.of("b"), "data", DATA))
                .statusCode(400).body("error.field", equalTo("topics"));
    }

    @Test
    void dataMustBeAnObject() {
        Gw.publish(Tokens.publisher("p1"), body("type", "x.y", "topic", "a"))
                .statusCode(400).body("error.field", equalTo("data"));
        Gw.publish(Tokens.publisher("p1"), body("type", "x.y", "topic", "a", "data", List.of(1)))
                .statusCode(400).body("error.field", equalTo("data"));
    }

    @Test
    void unknownFieldIs400NamingIt() {
        Gw.publish(Tokens.publisher("p1"), body("type", "x.y", "topic", "a", "data", DATA, "topci", "a"))
                .statusCode(400).body("error.field", equalTo("topci"));
    }

    @Test
    void malformedJsonIs400WithJsonBody() {
        RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Tokens.publisher("p1"))
                .body("{\"type\": ").post("/api/v1/events").then()
                .statusCode(400).contentType(ContentType.JSON).body("error.code", equalTo("malformed_body"));
    }

    @Test
    void emptyBodyIs400WithJsonBody() {
        RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Tokens.publisher("p1"))
                .post("/api/v1/events").then()
                .statusCode(400).contentType(ContentType.JSON).body("error.message", containsString("JSON object"));
    }

    @Test
    void wrongContentTypeIs415WithJsonBody() {
        RestAssured.given().contentType(ContentType.TEXT).header("Authorization", "Bearer " + Tokens.publisher("p1"))
                .body("hello").post("/api/v1/events").then()
                .statusCode(415).contentType(ContentType.JSON).body("error.code", equalTo("unsupported_media_type"));
    }

    @Test
    void eventOverMaxEventBytesIs413NamingData() {
        Gw.publish(Tokens.publisher("p1"), body("type", "x.y", "topic", "a", "data", Map.of("blob", "x".repeat(70_000))))
                .statusCode(413).body("error.field", equalTo("data")).body("error.code", equalTo("event_too_large"));
    }

    @Test
    void missingTokenIs401() {
        RestAssured.given().contentType(ContentType.JSON).body(body("type", "x.y", "topic", "a", "data", DATA))
                .post("/api/v1/events").then().statusCode(401).body("error.code", equalTo("unauthorized"));
    }

    @Test
    void invalidTokenIs401NamingWhy() {
        Gw.publish("nonsense", body("type", "x.y", "topic", "a", "data", DATA))
                .statusCode(401).body("error.message", containsString("token"));
    }

    @Test
    void tokenWithoutPublishClaimIs403() {
        Gw.publish(Tokens.user("just-a-user"), body("type", "x.y", "topic", "a", "data", DATA))
                .statusCode(403).body("error.message", containsString("publish"));
    }

    @Test
    void publishOutsideTheClaimsPatternsIs403NamingTheTopic() {
        String token = Tokens.of("narrow").publish("news.*").mint();
        Gw.publish(token, body("type", "x.y", "topic", "news.today", "data", DATA)).statusCode(200);
        Gw.publish(token, body("type", "x.y", "topic", "sports.today", "data", DATA))
                .statusCode(403).body("error.field", equalTo("topic")).body("error.message", containsString("sports.today"));
    }

    @Test
    void sameIdempotencyKeyIsAcceptedOnceWithTheOriginalResult() {
        String token = Tokens.publisher("idem");
        Map<String, Object> b = body("type", "x.y", "topic", "idem.t", "data", DATA, "idempotency_key", "key-1");
        String id = Gw.publish(token, b).statusCode(200).header(EventsResource.REPLAYED_HEADER, "false")
                .extract().path("id");
        Gw.publish(token, b).statusCode(200).header(EventsResource.REPLAYED_HEADER, "true").body("id", equalTo(id));
        Gw.publish(Tokens.publisher("other-publisher"), b).statusCode(200)
                .header(EventsResource.REPLAYED_HEADER, "false");
    }

    @Test
    void invalidIdempotencyKeyIs400() {
        Gw.publish(Tokens.publisher("p1"), body("type", "x.y", "topic", "a", "data", DATA, "idempotency_key", "has space"))
                .statusCode(400).body("error.field", equalTo("idempotency_key"));
    }
}
