package io.appmanager.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Calls to the admin app API (/api/v1/apps) with an admin token. */
public final class AdminApi {

    public static final String WEBHOOK_URL = "http://127.0.0.1:9/webhook";
    private static final AtomicInteger NAMES = new AtomicInteger();
    /** Distinguishes this JVM's names from an earlier run's if the database was kept. */
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    private AdminApi() {
    }

    /** A package name no other test uses: {@code <stem>.<run>.<n>}. */
    public static String uniqueName(String stem) {
        return stem + "." + RUN + "." + NAMES.incrementAndGet();
    }

    public static RequestSpecification as(String token) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    public static RequestSpecification admin() {
        return as(Tokens.admin("test-admin"));
    }

    /** Builds a body from alternating names and values; a null value is kept (it means "clear"). */
    public static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    public static ValidatableResponse register(Map<String, Object> body) {
        return admin().body(body).post("/api/v1/apps").then();
    }

    /** Registers {@code name} with the default webhook URL and no overrides; the 201 answer. */
    public static Map<String, Object> register(String name) {
        return register(body("package_name", name, "webhook_url", WEBHOOK_URL)).statusCode(201).extract().as(Map.class);
    }

    public static ValidatableResponse get(String name) {
        return admin().get("/api/v1/apps/" + name).then();
    }

    public static ValidatableResponse patch(String name, Object body) {
        return admin().body(body).patch("/api/v1/apps/" + name).then();
    }
}
