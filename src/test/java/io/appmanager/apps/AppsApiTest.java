package io.appmanager.apps;

import io.agroal.api.AgroalDataSource;
import io.appmanager.apps.persistence.AppRecord;
import io.appmanager.support.AdminApi;
import io.appmanager.support.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.appmanager.support.AdminApi.body;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin app API and the directory the rest of the service looks apps up in, against a real PostgreSQL. */
@QuarkusTest
class AppsApiTest {

    @Inject
    AppDirectory directory;

    @Inject
    AgroalDataSource jdbc;

    private static <T> T await(Callable<Uni<T>> uni) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> {
            try {
                return uni.call();
            } catch (Exception e) {
                return Uni.createFrom().failure(e);
            }
        });
    }

    private static Map<String, Object> defaultPolicy() {
        return Map.of("restart_grace_ms", 30000, "start_timeout_ms", 30000, "max_attempts", 10,
                "base_delay_ms", 2000, "max_delay_ms", 60000, "first_attempt_jitter_ms", 5000);
    }

    @Test
    void registrationAnswers201WithKeyAndSecretThatGetNeverShows() throws Throwable {
        String name = AdminApi.uniqueName("com.example.reg");
        Map<String, Object> created = AdminApi.admin()
                .body(body("package_name", name, "webhook_url", "https://apps.example.com/hook?x=1"))
                .post("/api/v1/apps").then().statusCode(201)
                .header("Location", endsWith("/api/v1/apps/" + name))
                .body("package_name", equalTo(name))
                .body("webhook_url", equalTo("https://apps.example.com/hook?x=1"))
                .body("reconnect_grace_ms", equalTo(6000))
                .body("policy", equalTo(defaultPolicy()))
                .body("overrides", equalTo(Map.of()))
                .body("api_key", matchesPattern("amk_[A-Za-z0-9_-]{43}"))
                .body("webhook_secret", matchesPattern("whsec_[A-Za-z0-9_-]{43}"))
                .body("created_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z"))
                .extract().as(Map.class);
        String apiKey = (String) created.get("api_key");
        String secret = (String) created.get("webhook_secret");
        assertEquals(apiKey.substring(0, 12), created.get("api_key_prefix"));
        assertTrue(Instant.parse((String) created.get("created_at")).isAfter(Instant.now().minusSeconds(60)));

        String shown = AdminApi.get(name).statusCode(200)
                .body("package_name", equalTo(name))
                .body("api_key_prefix", equalTo(apiKey.substring(0, 12)))
                .body("created_at", equalTo(created.get("created_at")))
                .body("api_key", nullValue())
                .body("webhook_secret", nullValue())
                .extract().asString();
        for (String hidden : List.of(apiKey, apiKey.substring(12), secret, secret.substring(6), "hash", "sealed")) {
            assertThat(shown, not(containsString(hidden)));
        }
        String listed = AdminApi.admin().queryParam("after", name.substring(0, name.length() - 1)).get("/api/v1/apps")
                .then().statusCode(200).extract().asString();
        assertThat(listed, containsString(name));
        assertThat(listed, not(containsString(secret.substring(6))));

        assertEquals(Optional.of(new App(name, URI.create("https://apps.example.com/hook?x=1"), LifecyclePolicy.defaults())),
                await(() -> directory.authenticate(name, apiKey)));
        assertArrayEquals(secret.getBytes(StandardCharsets.UTF_8), await(() -> directory.webhookSecret(name)));
    }

    @Test
    void overridesAreMergedWithTheGlobalDefaults() throws Throwable {
        String name = AdminApi.uniqueName("com.example.policy");
        AdminApi.register(body("package_name", name, "webhook_url", AdminApi.WEBHOOK_URL, "reconnect_grace_ms", 8000,
                        "policy", body("max_attempts", 3, "base_delay_ms", 1000, "start_timeout_ms", null)))
                .statusCode(201)
                .body("reconnect_grace_ms", equalTo(8000))
                .body("policy.max_attempts", equalTo(3))
                .body("policy.base_delay_ms", equalTo(1000))
                .body("policy.max_delay_ms", equalTo(60000))
                .body("policy.start_timeout_ms", equalTo(30000))
                .body("overrides", equalTo(Map.of("reconnect_grace_ms", 8000, "max_attempts", 3, "base_delay_ms", 1000)));
        LifecyclePolicy d = LifecyclePolicy.defaults();
        LifecyclePolicy expected = new LifecyclePolicy(Duration.ofMillis(8000), d.restartGrace(), d.startTimeout(), 3,
                Duration.ofMillis(1000), d.maxDelay(), d.firstAttemptJitter());
        assertEquals(expected, await(() -> directory.find(name)).orElseThrow().policy());
    }

    @Test
    void listPagesInPackageNameOrder() {
        String stem = AdminApi.uniqueName("com.example.list");
        // registered out of order; byte order puts '-' before '.' before digits before letters
        List<String> names = List.of(stem + ".b", stem + ".a", stem + "-z", stem + ".0", stem + ".a.b");
        names.forEach(AdminApi::register);
        List<String> expected = List.of(stem + "-z", stem + ".0", stem + ".a", stem + ".a.b", stem + ".b");

        List<String> seen = new ArrayList<>();
        String after = stem;
        while (seen.size() < expected.size()) {
            var answer = AdminApi.admin().queryParam("limit", 2).queryParam("after", after).get("/api/v1/apps")
                    .then().statusCode(200).extract().jsonPath();
            List<String> onPage = answer.getList("apps.package_name");
            // the first two pages are full: five of ours follow the stem
            assertEquals(seen.size() < 4 ? 2 : onPage.size(), onPage.size(), "page after " + after + ": " + onPage);
            assertTrue(onPage.size() <= 2, onPage.toString());
            seen.addAll(onPage);
            after = answer.getString("next_after");
            if (after == null) {
                break;
            }
            assertEquals(onPage.get(onPage.size() - 1), after);
        }
        assertEquals(expected, seen.subList(0, 5));
    }

    @Test
    void lastPageHasNoNextAfter() {
        String last = "zzz." + AdminApi.uniqueName("last");
        AdminApi.register(last);
        AdminApi.admin().queryParam("after", last.substring(0, last.length() - 1)).get("/api/v1/apps")
                .then().statusCode(200)
                .body("apps.package_name", equalTo(List.of(last)))
                .body("next_after", nullValue());
    }

    @Test
    void patchChangesWebhookUrlAndOverridesAndNullClearsThem() throws Throwable {
        String name = AdminApi.uniqueName("com.example.patch");
        Map<String, Object> created = AdminApi.register(name);
        AdminApi.patch(name, body("webhook_url", "https://new.example.com/hook", "reconnect_grace_ms", 9000,
                        "policy", body("max_delay_ms", 120000, "max_attempts", 4)))
                .statusCode(200)
                .body("webhook_url", equalTo("https://new.example.com/hook"))
                .body("reconnect_grace_ms", equalTo(9000))
                .body("policy.max_delay_ms", equalTo(120000))
                .body("overrides", equalTo(Map.of("reconnect_grace_ms", 9000, "max_delay_ms", 120000, "max_attempts", 4)))
                .body("api_key_prefix", equalTo(created.get("api_key_prefix")))
                .body("created_at", equalTo(created.get("created_at")));
        App app = await(() -> directory.find(name)).orElseThrow();
        assertEquals(URI.create("https://new.example.com/hook"), app.webhookUrl());
        assertEquals(Duration.ofSeconds(9), app.policy().reconnectGrace());
        assertEquals(4, app.policy().maxAttempts());

        // null clears one override; fields not named stay as they are
        AdminApi.patch(name, body("policy", body("max_attempts", null))).statusCode(200)
                .body("policy.max_attempts", equalTo(10))
                .body("overrides", equalTo(Map.of("reconnect_grace_ms", 9000, "max_delay_ms", 120000)))
                .body("webhook_url", equalTo("https://new.example.com/hook"));
        // "policy": null clears every policy override, not reconnect grace
        AdminApi.patch(name, body("policy", null)).statusCode(200)
                .body("overrides", equalTo(Map.of("reconnect_grace_ms", 9000)))
                .body("policy", equalTo(defaultPolicy()));
        AdminApi.patch(name, body("reconnect_grace_ms", null)).statusCode(200)
                .body("overrides", equalTo(Map.of()))
                .body("reconnect_grace_ms", equalTo(6000));
        assertEquals(LifecyclePolicy.defaults(), await(() -> directory.find(name)).orElseThrow().policy());
        String updated = AdminApi.get(name).extract().path("updated_at");
        assertTrue(Instant.parse(updated).isAfter(Instant.parse((String) created.get("updated_at"))));
    }

    @Test
    void deleteRemovesTheAppAndItsSessions() throws Throwable {
        String name = AdminApi.uniqueName("com.example.delete");
        AdminApi.register(name);
        try (Connection c = jdbc.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into app_sessions(id, package_name, user_session_id, state) values "
                    + "(gen_random_uuid(), '" + name + "', 'user-session-1', 'RUNNING')");
        }
        AdminApi.admin().delete("/api/v1/apps/" + name).then().statusCode(204);
        AdminApi.get(name).statusCode(404).body("error.code", equalTo("not_found"));
        assertEquals(Optional.empty(), await(() -> directory.find(name)));
        try (Connection c = jdbc.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from app_sessions where package_name = '" + name + "'")) {
            r.next();
            assertEquals(0, r.getInt(1), "the app's sessions went with it");
        }
        // the name is free again
        AdminApi.register(name);
    }

    @Test
    void rotatedKeyReplacesTheOldOneAtOnce() throws Throwable {
        String name = AdminApi.uniqueName("com.example.rotate");
        String oldKey = (String) AdminApi.register(name).get("api_key");
        assertTrue(await(() -> directory.authenticate(name, oldKey)).isPresent());

        Map<String, Object> rotated = AdminApi.admin().post("/api/v1/apps/" + name + "/rotate-key").then()
                .statusCode(200)
                .body("package_name", equalTo(name))
                .body("api_key", matchesPattern("amk_[A-Za-z0-9_-]{43}"))
                .extract().as(Map.class);
        String newKey = (String) rotated.get("api_key");
        assertNotEquals(oldKey, newKey);
        assertEquals(newKey.substring(0, 12), rotated.get("api_key_prefix"));
        AdminApi.get(name).body("api_key_prefix", equalTo(newKey.substring(0, 12)));

        assertEquals(Optional.empty(), await(() -> directory.authenticate(name, oldKey)));
        assertEquals(name, await(() -> directory.authenticate(name, newKey)).orElseThrow().packageName());
    }

    @Test
    void rotatedWebhookSecretIsTheOneUsedFromThenOn() throws Throwable {
        String name = AdminApi.uniqueName("com.example.secret");
        Map<String, Object> created = AdminApi.register(name);
        String secret = AdminApi.admin().post("/api/v1/apps/" + name + "/rotate-webhook-secret").then()
                .statusCode(200)
                .body("package_name", equalTo(name))
                .body("webhook_secret", matchesPattern("whsec_[A-Za-z0-9_-]{43}"))
                .extract().path("webhook_secret");
        assertNotEquals(created.get("webhook_secret"), secret);
        assertArrayEquals(secret.getBytes(StandardCharsets.UTF_8), await(() -> directory.webhookSecret(name)));
        // the API key is untouched
        assertTrue(await(() -> directory.authenticate(name, (String) created.get("api_key"))).isPresent());
    }

    @Test
    void unknownPackageAndWrongKeyGetTheSameAnswer() throws Throwable {
        String name = AdminApi.uniqueName("com.example.auth");
        String key = (String) AdminApi.register(name).get("api_key");
        assertEquals(Optional.empty(), await(() -> directory.authenticate("com.example.never-registered", key)));
        // change the last character, whatever it is (a fixed "A" is the same key one time in 64)
        String wrong = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        assertEquals(Optional.empty(), await(() -> directory.authenticate(name, wrong)));
        assertEquals(Optional.empty(), await(() -> directory.authenticate(name, null)));
        assertEquals(Optional.empty(), await(() -> directory.authenticate(null, key)));
        assertEquals(Optional.empty(), await(() -> directory.authenticate("Not A Package", key)));
    }

    @Test
    void webhookSecretOfAnUnknownAppFails() {
        assertThrows(NoSuchElementException.class, () -> await(() -> directory.webhookSecret("com.example.nobody")));
    }

    @Test
    void directoryJoinsTheCallersTransaction() throws Throwable {
        String name = AdminApi.uniqueName("com.example.join");
        AdminApi.register(name);
        class Rollback extends RuntimeException {
            final Optional<App> seen;

            Rollback(Optional<App> seen) {
                super("roll back", null, false, false);
                this.seen = seen;
            }
        }
        // inside one transaction: change the row (not yet flushed), look it up, then roll back
        Callable<Uni<Optional<App>>> inTransaction = () -> Panache.withTransaction(() -> AppRecord.<AppRecord>findById(name)
                .invoke(r -> r.webhookUrl = "http://changed.example.com/hook")
                .chain(() -> directory.find(name))
                .invoke(seen -> {
                    throw new Rollback(seen);
                }));
        Rollback rolledBack = assertThrows(Rollback.class, () -> await(inTransaction));
        assertEquals(URI.create("http://changed.example.com/hook"), rolledBack.seen.orElseThrow().webhookUrl(),
                "the lookup ran in the caller's session");
        assertEquals(URI.create(AdminApi.WEBHOOK_URL), await(() -> directory.find(name)).orElseThrow().webhookUrl(),
                "and the change was rolled back with the caller's transaction");
    }

    @Test
    void openApiListsTheAppEndpoints() {
        JsonPath openApi = RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(Set.of("post", "get"), methods(openApi, "/api/v1/apps"));
        assertEquals(Set.of("get", "patch", "delete"), methods(openApi, "/api/v1/apps/{package}"));
        assertEquals(Set.of("post"), methods(openApi, "/api/v1/apps/{package}/rotate-key"));
        assertEquals(Set.of("post"), methods(openApi, "/api/v1/apps/{package}/rotate-webhook-secret"));
    }

    private static Set<String> methods(JsonPath openApi, String path) {
        Map<String, Object> item = openApi.getMap("paths.'" + path + "'");
        assertTrue(item != null, path + " is not in /q/openapi");
        return item.keySet().stream().filter(k -> !k.equals("parameters")).collect(Collectors.toSet());
    }

    @Test
    void globalDefaultsAreTheLifecyclePolicyDefaults() {
        assertEquals(LifecyclePolicy.defaults(), directory.defaults());
    }

    @Test
    void devTokenWithAdminTrueMayManageApps() {
        String admin = RestAssured.given().contentType(ContentType.JSON).body(Map.of("sub", "ops", "admin", true))
                .post("/api/v1/dev/tokens").then().statusCode(200).extract().path("token");
        String notAdmin = RestAssured.given().contentType(ContentType.JSON).body(Map.of("sub", "ops", "admin", false))
                .post("/api/v1/dev/tokens").then().statusCode(200).extract().path("token");
        AdminApi.as(admin).get("/api/v1/apps").then().statusCode(200);
        AdminApi.as(notAdmin).get("/api/v1/apps").then().statusCode(403).body("error.code", equalTo("forbidden"));
    }

    @Test
    void concurrentRegistrationsOfOnePackageMakeOneApp() throws Exception {
        String name = AdminApi.uniqueName("com.example.race");
        String token = Tokens.admin("racer");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> AdminApi.as(token)
                        .body(body("package_name", name, "webhook_url", AdminApi.WEBHOOK_URL))
                        .post("/api/v1/apps").then().extract().statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertFalse(AdminApi.get(name).statusCode(200).extract().asString().contains("api_key\""));
    }
}
