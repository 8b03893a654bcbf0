package io.appmanager.platform;

import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** The REST endpoints an AccordKit client calls before connecting, and the dev token mint. */
@QuarkusTest
class DiscoveryAndVersionTest {

    @Test
    void versionAnswersVersionShaAndApiVersion() {
        RestAssured.get("/api/v1/version").then().statusCode(200)
                .body("version", matchesPattern("\\d+\\.\\d+\\.\\d+.*"))
                .body("git_sha", notNullValue())
                .body("api_version", equalTo("v1"));
    }

    @Test
    void gatewayUrlComesFromTheRequestWhenNoPublicUrlIsConfigured() {
        RestAssured.get("/api/v1/gateway").then().statusCode(200)
                .body("data.url", startsWith("ws://"))
                .body("data.url", containsString(":" + RestAssured.port))
                .body("data.url", endsWith("/ws?v=1&encoding=json"));
    }

    @Test
    void unknownApiPathIs404WithJsonBody() {
        RestAssured.get("/api/v1/nope").then().statusCode(404).contentType(ContentType.JSON)
                .body("error.code", equalTo("not_found"));
    }

    @Test
    void devTokenMintsAVerifiableToken() {
        String token = RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("sub", "walkthrough", "topics", List.of("chat.*"), "publish", true))
                .post("/api/v1/dev/tokens").then().statusCode(200)
                .body("sub", equalTo("walkthrough")).extract().path("token");
        RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token)
                .body(Map.of("type", "x.y", "topic", "chat.a", "data", Map.of()))
                .post("/api/v1/events").then().statusCode(200);
    }

    @Test
    void devTokenRefusesBadInputNamingTheField() {
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("topics", List.of("a")))
                .post("/api/v1/dev/tokens").then().statusCode(400).body("error.field", equalTo("sub"));
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("sub", "a", "topics", "chat"))
                .post("/api/v1/dev/tokens").then().statusCode(400).body("error.field", equalTo("topics"));
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("sub", "a", "ttl_seconds", -5))
                .post("/api/v1/dev/tokens").then().statusCode(400).body("error.field", equalTo("ttl_seconds"));
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("sub", "has space"))
                .post("/api/v1/dev/tokens").then().statusCode(400).body("error.message", containsString("sub"));
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("sub", "a", "topics", List.of("bad pattern")))
                .post("/api/v1/dev/tokens").then().statusCode(400);
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("sub", "a", "publish", 5))
                .post("/api/v1/dev/tokens").then().statusCode(400).body("error.field", equalTo("publish"));
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("sub", "a", "admin", "yes"))
                .post("/api/v1/dev/tokens").then().statusCode(400).body("error.field", equalTo("admin"))
                .body("error.code", equalTo("invalid_field"));
    }

    @Test
    void metricsAreExposedForPrometheus() throws Exception {
        io.appmanager.support.Gw.Session s = io.appmanager.support.Gw.ready(Tokens.user("metered"), "messages");
        s.socket().close();
        String body = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        for (String metric : List.of("appmanager_gateway_connections", "appmanager_gateway_sessions{state=\"live\"}",
                "appmanager_gateway_sessions{state=\"parked\"}", "appmanager_events_delivered_total",
                "appmanager_events_dropped_total{reason=\"replay_overflow\"}", "appmanager_gateway_identifies_total")) {
            org.hamcrest.MatcherAssert.assertThat(body, containsString(metric));
        }
    }
}
