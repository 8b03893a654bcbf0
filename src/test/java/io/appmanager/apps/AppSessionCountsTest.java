package io.appmanager.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.support.Apps;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/v1/app-sessions/counts: the operator page's sessions by state (docs/api.md, docs/dashboard.md). */
@QuarkusTest
class AppSessionCountsTest {

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    private static JsonNode counts(String query) {
        return RestAssured.given().header("Authorization", "Bearer " + Apps.admin())
                .get("/api/v1/app-sessions/counts" + query)
                .then().statusCode(200).contentType("application/json").extract().as(JsonNode.class);
    }

    @Test
    void oneAppsSessionsAreCountedByStateWithEveryStateListed() throws Exception {
        Apps.Running running = apps.running("counts", 20000, Map.of("start_timeout_ms", 60000));
        String pkg = running.app().packageName();
        JsonNode one = counts("?package=" + pkg);
        assertEquals(pkg, one.path("package").asText());
        List<String> states = new ArrayList<>();
        one.path("counts").fieldNames().forEachRemaining(states::add);
        assertEquals(Arrays.stream(AppSessionState.values()).map(Enum::name).toList(), states,
                "every state, in lifecycle order, zeros included");
        assertEquals(1, one.path("counts").path("RUNNING").asLong(), one.toString());
        assertEquals(0, one.path("counts").path("CONNECTING").asLong(), one.toString());

        // a second user session: started, no SDK yet; a third: started and stopped
        String second = Apps.start(pkg, "us-second");
        String third = Apps.start(pkg, "us-third");
        Apps.stop(third).statusCode(200);
        await().until(() -> Apps.state(third).equals("STOPPED"));
        JsonNode after = counts("?package=" + pkg);
        assertEquals(1, after.path("counts").path("RUNNING").asLong(), after.toString());
        assertEquals(1, after.path("counts").path("CONNECTING").asLong(), after.toString());
        assertEquals(1, after.path("counts").path("STOPPED").asLong(), after.toString());
        assertEquals(2, after.path("live").asLong(), "STOPPED is not live: " + after);
        assertEquals(3, after.path("total").asLong(), after.toString());
        assertEquals("CONNECTING", Apps.state(second));

        // every app: at least these, and the parts add up
        JsonNode all = counts("");
        assertTrue(all.path("package").isNull(), all.toString());
        long sum = 0;
        for (JsonNode n : all.path("counts")) {
            sum += n.asLong();
        }
        assertEquals(all.path("total").asLong(), sum, all.toString());
        assertTrue(all.path("counts").path("RUNNING").asLong() >= 1, all.toString());
        assertTrue(all.path("total").asLong() >= 3, all.toString());
        running.sdk().socket().close();
    }

    @Test
    void anUnknownPackageHasZeroesNotAnError() {
        JsonNode none = counts("?package=" + Apps.uniquePackage("nobody"));
        assertEquals(0, none.path("total").asLong());
        assertEquals(0, none.path("counts").path("RUNNING").asLong());
    }

    @Test
    void countsNeedAnAdminTokenAndAWellFormedPackage() {
        RestAssured.get("/api/v1/app-sessions/counts").then().statusCode(401)
                .contentType("application/json").header("WWW-Authenticate", "Bearer")
                .body("error.code", equalTo("unauthorized"));
        RestAssured.given().header("Authorization", "Bearer not-a-token").get("/api/v1/app-sessions/counts")
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
        RestAssured.given().header("Authorization", "Bearer " + Tokens.user("nosy", AppEvents.ADMIN_TOPIC))
                .get("/api/v1/app-sessions/counts")
                .then().statusCode(403).contentType("application/json")
                .body("error.code", equalTo("forbidden"))
                .body("error.message", equalTo("admin token required"));
        RestAssured.given().header("Authorization", "Bearer " + Apps.admin())
                .get("/api/v1/app-sessions/counts?package=Not%20One")
                .then().statusCode(400).contentType("application/json")
                .body("error.code", equalTo("invalid_field"))
                .body("error.field", equalTo("package"))
                .body("error.message", containsString("package"));
        // an empty ?package= is no filter (the REST layer reads it as absent), answered as for every app
        RestAssured.given().header("Authorization", "Bearer " + Apps.admin())
                .get("/api/v1/app-sessions/counts?package=")
                .then().statusCode(200).contentType("application/json")
                .body("package", org.hamcrest.Matchers.nullValue());
    }
}
