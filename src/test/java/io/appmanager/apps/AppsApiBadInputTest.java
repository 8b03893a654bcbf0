package io.appmanager.apps;

import io.appmanager.support.AdminApi;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.appmanager.support.AdminApi.body;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every refusal of the admin app API: its status, {@code error.code} and {@code error.field}, and
 * that nothing changed: the known app reads as before, its key and secret still work, and a refused
 * registration left no app behind.
 */
@QuarkusTest
class AppsApiBadInputTest {

    private static final String KNOWN = "com.example.bad-input.known";
    private static final String UNKNOWN = "com.example.bad-input.never";
    /** Credentials of KNOWN, kept from the one registration that made it. */
    private static String knownKey;
    private static String knownSecret;

    @Inject
    AppDirectory directory;

    private Map<String, Object> before;

    @BeforeEach
    void knownAppExists() {
        if (knownKey == null) {
            Map<String, Object> created = AdminApi.register(body("package_name", KNOWN, "webhook_url", AdminApi.WEBHOOK_URL,
                    "reconnect_grace_ms", 7000, "policy", body("max_attempts", 5))).statusCode(201).extract().as(Map.class);
            knownKey = (String) created.get("api_key");
            knownSecret = (String) created.get("webhook_secret");
        }
        before = AdminApi.get(KNOWN).statusCode(200).extract().as(Map.class);
    }

    /** The known app reads exactly as before, and its key and webhook secret are the same. */
    private void knownAppUnchanged() {
        assertEquals(before, AdminApi.get(KNOWN).statusCode(200).extract().as(Map.class));
        try {
            assertTrue(VertxContextSupport.subscribeAndAwait(() -> directory.authenticate(KNOWN, knownKey)).isPresent(),
                    "the API key still works");
            assertArrayEquals(knownSecret.getBytes(StandardCharsets.UTF_8),
                    VertxContextSupport.subscribeAndAwait(() -> directory.webhookSecret(KNOWN)), "the webhook secret is the same");
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static void refused(ValidatableResponse r, int status, String code, String field) {
        r.statusCode(status).contentType(ContentType.JSON).body("error.code", equalTo(code))
                .body("error.field", field == null ? nullValue() : equalTo(field));
    }

    /** A registration of a fresh name with one field replaced; after the refusal, no such app exists. */
    private static void registrationRefused(String field, Object value, int status, String code, String blamed) {
        String name = AdminApi.uniqueName("com.example.refused");
        Map<String, Object> b = body("package_name", name, "webhook_url", AdminApi.WEBHOOK_URL);
        b.put(field, value);
        refused(AdminApi.register(b), status, code, blamed);
        AdminApi.get(name).statusCode(404);
    }

    private static void policyRefused(String field, Object value, String blamed) {
        registrationRefused("policy", body(field, value), 400, "invalid_field", blamed);
    }

    private void patchRefused(Object body, String code, String blamed) {
        refused(AdminApi.patch(KNOWN, body), 400, code, blamed);
        knownAppUnchanged();
    }

    private static RequestSpecification raw(String json) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Tokens.admin("raw"))
                .body(json);
    }

    /** Every endpoint, called with the given request. */
    private static List<ValidatableResponse> everyEndpoint(Function<Void, RequestSpecification> request) {
        List<ValidatableResponse> out = new ArrayList<>();
        String valid = "{\"package_name\":\"com.example.bad-input.other\",\"webhook_url\":\"http://127.0.0.1:9/x\"}";
        out.add(request.apply(null).body(valid).post("/api/v1/apps").then());
        out.add(request.apply(null).get("/api/v1/apps").then());
        out.add(request.apply(null).get("/api/v1/apps/" + KNOWN).then());
        out.add(request.apply(null).body("{\"reconnect_grace_ms\":9000}").patch("/api/v1/apps/" + KNOWN).then());
        out.add(request.apply(null).delete("/api/v1/apps/" + KNOWN).then());
        out.add(request.apply(null).post("/api/v1/apps/" + KNOWN + "/rotate-key").then());
        out.add(request.apply(null).post("/api/v1/apps/" + KNOWN + "/rotate-webhook-secret").then());
        return out;
    }

    // --- who may call

    @Test
    void missingTokenIs401OnEveryEndpoint() {
        for (ValidatableResponse r : everyEndpoint(v -> RestAssured.given().contentType(ContentType.JSON))) {
            refused(r, 401, "unauthorized", null);
            r.header("WWW-Authenticate", "Bearer");
        }
        knownAppUnchanged();
        AdminApi.get("com.example.bad-input.other").statusCode(404);
    }

    @Test
    void invalidTokenIs401OnEveryEndpoint() {
        List<String> invalid = List.of("nonsense", Tokens.of("admin").admin().expiredAgo(Duration.ofMinutes(5)).mint(),
                Tokens.of("admin").admin().signedWith("another-secret-0123456789abcdef-0123456789ab").mint(),
                Tokens.of("admin").claim("admin", "true").mint());
        for (String token : invalid) {
            for (ValidatableResponse r : everyEndpoint(v -> AdminApi.as(token))) {
                refused(r, 401, "unauthorized", null);
            }
        }
        knownAppUnchanged();
        AdminApi.get("com.example.bad-input.other").statusCode(404);
    }

    @Test
    void tokenThatIsNotAnAdminsIs403OnEveryEndpoint() {
        List<String> notAdmin = List.of(Tokens.user("alice", "chat.*"), Tokens.publisher("backend"),
                Tokens.of("ops").claim("admin", false).mint());
        for (String token : notAdmin) {
            for (ValidatableResponse r : everyEndpoint(v -> AdminApi.as(token))) {
                refused(r, 403, "forbidden", null);
                r.body("error.message", equalTo("admin token required"));
            }
        }
        knownAppUnchanged();
        AdminApi.get("com.example.bad-input.other").statusCode(404);
    }

    // --- package_name

    @Test
    void badPackageNamesAre400() {
        for (Object name : Arrays.asList("Com.Example.App", "COM", "ab", "a".repeat(129), "has space", "com/example",
                "com.example.app!", "caf\u00e9.app", "", 5, true, List.of("a.b.c"), null)) {
            Map<String, Object> b = body("package_name", name, "webhook_url", AdminApi.WEBHOOK_URL);
            refused(AdminApi.register(b), 400, "invalid_field", "package_name");
            if (name instanceof String s && !s.isEmpty() && !s.contains("/")) {
                AdminApi.get(s).statusCode(404);
            }
        }
        refused(AdminApi.register(body("webhook_url", AdminApi.WEBHOOK_URL)), 400, "invalid_field", "package_name");
        knownAppUnchanged();
    }

    @Test
    void nameOfExactly3And128CharactersIsAccepted() {
        // the edges of the rule above, so the refusals are not refusing everything
        String longest = AdminApi.uniqueName("com.example.edge") + ".";
        longest = longest + "x".repeat(128 - longest.length());
        AdminApi.register(longest);
        AdminApi.get(longest).statusCode(200);
    }

    // --- webhook_url

    private static final List<Object> BAD_URLS = Arrays.asList("ftp://example.com/hook", "/relative/hook",
            "example.com/hook", "http://", "http:///path", "http:opaque", "https://user:pw@example.com/hook",
            "http://example.com/hook#fragment", "http://exa mple.com/", "http://example.com:99999/",
            "http://example.com/" + "a".repeat(2030), "", "  ", 42, false, Map.of("url", "http://x"), null);

    @Test
    void badWebhookUrlsAreRefusedAtRegistration() {
        for (Object url : BAD_URLS) {
            registrationRefused("webhook_url", url, 400, "invalid_field", "webhook_url");
        }
        Map<String, Object> missing = body("package_name", AdminApi.uniqueName("com.example.nourl"));
        refused(AdminApi.register(missing), 400, "invalid_field", "webhook_url");
        knownAppUnchanged();
    }

    @Test
    void badWebhookUrlsAreRefusedInAPatch() {
        for (Object url : BAD_URLS) {
            patchRefused(body("webhook_url", url), "invalid_field", "webhook_url");
        }
    }

    @Test
    void webhookUrlOfExactly2048CharactersIsAccepted() {
        String url = "http://example.com/";
        url = url + "a".repeat(2048 - url.length());
        String name = AdminApi.uniqueName("com.example.longurl");
        AdminApi.register(body("package_name", name, "webhook_url", url)).statusCode(201).body("webhook_url", equalTo(url));
    }

    // --- unknown fields and wrong types

    @Test
    void unknownFieldsAre400NamingThem() {
        registrationRefused("reconect_grace_ms", 7000, 400, "invalid_field", "reconect_grace_ms");
        registrationRefused("api_key", "amk_mine", 400, "invalid_field", "api_key");
        policyRefused("max_attempt", 3, "policy.max_attempt");
        policyRefused("maxAttempts", 3, "policy.maxAttempts");
        policyRefused("reconnect_grace_ms", 7000, "policy.reconnect_grace_ms");
        patchRefused(body("package_name", "com.example.renamed"), "invalid_field", "package_name");
        patchRefused(body("webhook_secret", "whsec_mine"), "invalid_field", "webhook_secret");
        patchRefused(body("policy", body("start_timeout", 5000)), "invalid_field", "policy.start_timeout");
        AdminApi.get("com.example.renamed").statusCode(404);
    }

    @Test
    void wrongTypesAre400NamingTheField() {
        for (Object v : Arrays.asList("7000", 7000.5, 7e3, true, Map.of(), List.of(7000))) {
            registrationRefused("reconnect_grace_ms", v, 400, "invalid_field", "reconnect_grace_ms");
            patchRefused(body("reconnect_grace_ms", v), "invalid_field", "reconnect_grace_ms");
            policyRefused("max_attempts", v, "policy.max_attempts");
        }
        for (Object v : Arrays.asList("fast", 5, List.of(), true)) {
            registrationRefused("policy", v, 400, "invalid_field", "policy");
            patchRefused(body("policy", v), "invalid_field", "policy");
        }
    }

    // --- numbers out of range

    @Test
    void policyOutOfRangeIs400NamingTheField() {
        Object tooBig = new BigInteger("9223372036854775808");
        for (Object v : Arrays.asList(0, -1, 499, 600_001, tooBig)) {
            registrationRefused("reconnect_grace_ms", v, 400, "invalid_field", "reconnect_grace_ms");
            patchRefused(body("reconnect_grace_ms", v), "invalid_field", "reconnect_grace_ms");
        }
        Map<String, List<Object>> outside = Map.of(
                "restart_grace_ms", List.of(0, 499, 600_001),
                "start_timeout_ms", List.of(0, 999, 600_001),
                "max_attempts", List.of(0, -3, 101, tooBig),
                "base_delay_ms", List.of(0, 99, 600_001),
                "max_delay_ms", List.of(0, 99, 3_600_001),
                "first_attempt_jitter_ms", List.of(0, -1, 600_001));
        outside.forEach((field, values) -> {
            for (Object v : values) {
                policyRefused(field, v, "policy." + field);
                patchRefused(body("policy", body(field, v)), "invalid_field", "policy." + field);
            }
        });
    }

    @Test
    void maxDelayBelowBaseDelayIs400NamingTheFieldGiven() {
        registrationRefused("policy", body("base_delay_ms", 5000, "max_delay_ms", 1000), 400, "invalid_field",
                "policy.max_delay_ms");
        // only base_delay_ms given, above the global max delay (60 s): the field given is named
        policyRefused("base_delay_ms", 120_000, "policy.base_delay_ms");
        // only max_delay_ms given, below the global base delay (2 s)
        patchRefused(body("policy", body("max_delay_ms", 1000)), "invalid_field", "policy.max_delay_ms");
        patchRefused(body("policy", body("base_delay_ms", 90_000)), "invalid_field", "policy.base_delay_ms");
    }

    // --- bodies

    @Test
    void bodiesThatAreNotAJsonObjectAre400() {
        for (String json : List.of("", "[]", "\"text\"", "42", "null", "[{\"package_name\":\"a.b.c\"}]")) {
            refused(raw(json).post("/api/v1/apps").then(), 400, "invalid_field", null);
            refused(raw(json).patch("/api/v1/apps/" + KNOWN).then(), 400, "invalid_field", null);
        }
        refused(raw("{}").patch("/api/v1/apps/" + KNOWN).then(), 400, "invalid_field", null);
        refused(raw("{}").post("/api/v1/apps").then(), 400, "invalid_field", "package_name");
        knownAppUnchanged();
    }

    @Test
    void bodiesThatAreNotJsonAre400MalformedBody() {
        String name = AdminApi.uniqueName("com.example.malformed");
        for (String json : List.of("{\"package_name\": ", "not json", "{'package_name': 'a.b.c'}",
                "{\"package_name\":\"" + name + "\",\"webhook_url\":\"http://x.example/\"} trailing",
                "{\"package_name\":\"" + name + "\",\"package_name\":\"" + name + "\",\"webhook_url\":\"http://x.example/\"}")) {
            refused(raw(json).post("/api/v1/apps").then(), 400, "malformed_body", null);
            refused(raw(json).patch("/api/v1/apps/" + KNOWN).then(), 400, "malformed_body", null);
        }
        refused(raw("{\"reconnect_grace_ms\":8000,\"reconnect_grace_ms\":9000}").patch("/api/v1/apps/" + KNOWN).then(),
                400, "malformed_body", null);
        AdminApi.get(name).statusCode(404);
        knownAppUnchanged();
    }

    @Test
    void oversizedBodiesAre413() {
        String name = AdminApi.uniqueName("com.example.big");
        String padded = "{\"package_name\":\"" + name + "\",\"webhook_url\":\"http://x.example/\",\"pad\":\""
                + "x".repeat(17_000) + "\"}";
        refused(raw(padded).post("/api/v1/apps").then(), 413, "body_too_large", null);
        refused(raw("{\"pad\":\"" + "x".repeat(17_000) + "\"}").patch("/api/v1/apps/" + KNOWN).then(), 413,
                "body_too_large", null);
        // past the HTTP layer's 1 MiB the server refuses before the API sees it (plain 413, see docs/api.md)
        raw("{\"pad\":\"" + "x".repeat(1_100_000) + "\"}").post("/api/v1/apps").then().statusCode(413);
        AdminApi.get(name).statusCode(404);
        knownAppUnchanged();
    }

    @Test
    void bodyThatIsNotJsonContentIs415() {
        refused(RestAssured.given().contentType(ContentType.TEXT).header("Authorization", "Bearer " + Tokens.admin("a"))
                .body("package_name=a.b.c").post("/api/v1/apps").then(), 415, "unsupported_media_type", null);
        refused(RestAssured.given().contentType(ContentType.TEXT).header("Authorization", "Bearer " + Tokens.admin("a"))
                .body("reconnect_grace_ms=9000").patch("/api/v1/apps/" + KNOWN).then(), 415, "unsupported_media_type", null);
        knownAppUnchanged();
    }

    // --- conflict and unknown apps

    @Test
    void registeringATakenNameIs409AndKeepsTheApp() {
        refused(AdminApi.register(body("package_name", KNOWN, "webhook_url", "https://attacker.example/hook")),
                409, "conflict", "package_name");
        knownAppUnchanged();
    }

    @Test
    void unknownPackageIs404OnEveryAppEndpoint() {
        refused(AdminApi.get(UNKNOWN), 404, "not_found", null);
        refused(AdminApi.patch(UNKNOWN, body("reconnect_grace_ms", 9000)), 404, "not_found", null);
        refused(AdminApi.admin().delete("/api/v1/apps/" + UNKNOWN).then(), 404, "not_found", null);
        refused(AdminApi.admin().post("/api/v1/apps/" + UNKNOWN + "/rotate-key").then(), 404, "not_found", null);
        refused(AdminApi.admin().post("/api/v1/apps/" + UNKNOWN + "/rotate-webhook-secret").then(), 404, "not_found", null);
        refused(AdminApi.get("Not.A.Valid.Name"), 404, "not_found", null);
        AdminApi.get(UNKNOWN).statusCode(404);
        knownAppUnchanged();
    }

    @Test
    void badPagingParametersAre400() {
        for (String limit : List.of("0", "-1", "501", "ten", "1.5", " 5", "99999999999")) {
            refused(AdminApi.admin().queryParam("limit", limit).get("/api/v1/apps").then(), 400, "invalid_field", "limit");
        }
        // the edges are accepted: two apps past KNOWN make limit=1 a page with a next one
        AdminApi.register(KNOWN + ".paging1");
        AdminApi.register(KNOWN + ".paging2");
        AdminApi.admin().queryParam("limit", "500").get("/api/v1/apps").then().statusCode(200);
        AdminApi.admin().queryParam("limit", "1").queryParam("after", KNOWN).get("/api/v1/apps").then().statusCode(200)
                .body("apps.package_name", equalTo(List.of(KNOWN + ".paging1")))
                .body("next_after", equalTo(KNOWN + ".paging1"));
    }
}
