package io.appmanager.apps;

import io.appmanager.support.Apps;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.Tokens;
import io.appmanager.support.SinkExtension;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every bad input from an SDK or an admin gets its documented answer, and the app session is unchanged. */
@QuarkusTest
class AppConnectionBadInputTest {

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    private static Apps.Registered app;
    private static String userSession;
    private static String id;

    /** Once, but after Quarkus is up (RestAssured learns the port only then). */
    @BeforeEach
    void startOne() {
        if (app != null) {
            return;
        }
        Apps.Started started = apps.started("bad", 3000, Map.of());
        app = started.app();
        userSession = started.userSession();
        id = started.id();
    }

    private static void assertRefused(Map<String, Object> identify, int code) throws Exception {
        try (RawSocket s = Apps.connect(identify)) {
            assertEquals(7, s.next().path("op").asInt(), "INVALID_SESSION first");
            assertEquals(code, s.awaitClose().code());
        }
        assertEquals("CONNECTING", Apps.state(id), "state unchanged");
        assertEquals(1, Apps.session(id).path("generation").asLong(), "generation unchanged");
    }

    private static Map<String, Object> identifyWith(Map<String, Object> properties) {
        Map<String, Object> d = new HashMap<>();
        d.put("token", "Bot " + app.apiKey());
        d.put("intents", java.util.List.of());
        d.put("properties", properties);
        return Gw.frame(2, d);
    }

    @Test
    void aWrongKeyIsRefusedWith4004() throws Exception {
        Apps.Registered wrong = new Apps.Registered(app.packageName(), "amk_" + "x".repeat(43), "");
        assertRefused(Apps.identify(wrong, userSession, Map.of()), 4004);
    }

    @Test
    void anUnknownPackageIsRefusedWith4004LikeAWrongKey() throws Exception {
        Apps.Registered unknown = new Apps.Registered("com.example.nobody", app.apiKey(), "");
        assertRefused(Apps.identify(unknown, userSession, Map.of()), 4004);
    }

    @Test
    void aUserSessionWithNothingStartedIsRefusedWith4019() throws Exception {
        assertRefused(Apps.identify(app, "us-never-started", Map.of()), AppCloseCodes.NO_SESSION);
    }

    @Test
    void malformedPropertiesAreADecodeError() throws Exception {
        assertRefused(identifyWith(Map.of("user_session_id", userSession)), 4002);
        assertRefused(identifyWith(Map.of("package_name", "Not A Package", "user_session_id", userSession)), 4002);
        assertRefused(identifyWith(Map.of("package_name", app.packageName(), "user_session_id", "has space")), 4002);
        assertRefused(identifyWith(Map.of("package_name", app.packageName(), "user_session_id", userSession,
                "reconnect", "yes")), 4002);
        assertRefused(identifyWith(Map.of("package_name", app.packageName(), "user_session_id", userSession,
                "reconnect_token", 12)), 4002);
    }

    @Test
    void aTokenThisServerNeverIssuedIsFenced() throws Exception {
        assertRefused(Apps.identify(app, userSession, Map.of("reconnect_token", "not-a-token")), AppCloseCodes.FENCED);
        assertRefused(Apps.identify(app, userSession, Map.of("reconnect_token", "rt_1_" + "A".repeat(43))),
                AppCloseCodes.FENCED);
    }

    @Test
    void startRefusesBadBodiesAndUnknownApps() {
        Apps.startRaw(Map.of("package_name", app.packageName())).statusCode(400).body("error.field", equalTo("user_session_id"));
        Apps.startRaw(Map.of("user_session_id", "ok")).statusCode(400).body("error.field", equalTo("package_name"));
        Apps.startRaw(app.packageName(), "has space").statusCode(400)
                .body("error.code", equalTo("invalid_field")).body("error.field", equalTo("user_session_id"));
        Apps.startRaw(Map.of("package_name", app.packageName(), "user_session_id", "ok", "extra", 1)).statusCode(400)
                .body("error.field", equalTo("extra"));
        Apps.startRaw("[1,2]").statusCode(400);
        Apps.startRaw("com.example.unregistered", "ok").statusCode(404)
                .body("error.code", equalTo("unknown_app"));
    }

    @Test
    void theAdminApiNeedsAnAdminToken() {
        RestAssured.given().get("/api/v1/app-sessions/" + id).then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer " + Tokens.user("not-admin"))
                .get("/api/v1/app-sessions/" + id).then().statusCode(403).body("error.code", equalTo("forbidden"));
        RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Tokens.user("not-admin"))
                .body(Map.of("package_name", app.packageName(), "user_session_id", "x")).post("/api/v1/app-sessions")
                .then().statusCode(403);
    }

    @Test
    void unknownSessionsAndBadFiltersAreRefused() {
        String admin = "Bearer " + Apps.admin();
        RestAssured.given().header("Authorization", admin).get("/api/v1/app-sessions/" + UUID.randomUUID())
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        RestAssured.given().header("Authorization", admin).get("/api/v1/app-sessions/not-a-uuid")
                .then().statusCode(404);
        RestAssured.given().header("Authorization", admin).get("/api/v1/app-sessions?state=NAPPING")
                .then().statusCode(400).body("error.field", equalTo("state"));
        RestAssured.given().header("Authorization", admin).get("/api/v1/app-sessions?limit=0")
                .then().statusCode(400).body("error.field", equalTo("limit"));
        RestAssured.given().contentType(ContentType.JSON).header("Authorization", admin).body(Map.of("reason", "Not OK!"))
                .post("/api/v1/app-sessions/" + id + "/stop").then().statusCode(400).body("error.field", equalTo("reason"));
        RestAssured.given().contentType(ContentType.JSON).header("Authorization", admin)
                .post("/api/v1/app-sessions/" + id + "/resurrect").then().statusCode(409)
                .body("error.code", equalTo("not_resurrectable"));
        assertEquals("CONNECTING", Apps.state(id));
    }

    @Test
    void listingFiltersByStateAndPackage() {
        RestAssured.given().header("Authorization", "Bearer " + Apps.admin())
                .get("/api/v1/app-sessions?state=connecting&package=" + app.packageName())
                .then().statusCode(200).body("data.size()", equalTo(1)).body("data[0].id", equalTo(id));
    }
}
