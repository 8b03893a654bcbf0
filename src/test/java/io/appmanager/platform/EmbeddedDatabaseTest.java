package io.appmanager.platform;

import io.agroal.api.AgroalDataSource;
import io.appmanager.apps.persistence.AppRecord;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With no database configured the service runs a real PostgreSQL of its own, migrated by Flyway. */
@QuarkusTest
class EmbeddedDatabaseTest {

    @Inject
    Flyway flyway;

    @Inject
    AgroalDataSource jdbc;

    @Test
    void schemaIsMigratedOnARealPostgres() throws Exception {
        assertEquals(0, flyway.info().pending().length, "every migration is applied");
        assertTrue(flyway.info().applied().length >= 2, "V1 and V2 at least");
        try (Connection c = jdbc.getConnection(); Statement s = c.createStatement();
             var r = s.executeQuery("select version()")) {
            r.next();
            assertTrue(r.getString(1).startsWith("PostgreSQL 17"), r.getString(1));
        }
    }

    @Test
    void hibernateReactiveRoundTrip() throws Throwable {
        AppRecord app = new AppRecord();
        app.packageName = "com.example.roundtrip";
        app.webhookUrl = "http://127.0.0.1:1/webhook";
        app.apiKeyHash = "h1";
        app.apiKeyPrefix = "amk_h1";
        app.webhookSecretSealed = "v1:n:c";
        app.policyOverrides = new JsonObject().put("max_attempts", 3);
        app.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        app.updatedAt = app.createdAt;
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(app::persist));
        AppRecord read = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> AppRecord.<AppRecord>findById("com.example.roundtrip")));
        assertEquals("http://127.0.0.1:1/webhook", read.webhookUrl);
        assertEquals(3, read.policyOverrides.getInteger("max_attempts"));
        assertEquals("v1:n:c", read.webhookSecretSealed);
    }

    @Test
    void oneAppSessionPerPackageAndUserSessionIsEnforcedByTheDatabase() throws Exception {
        try (Connection c = jdbc.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into apps(package_name, webhook_url, api_key_hash, api_key_prefix, webhook_secret_sealed) "
                    + "values ('com.example.unique', 'http://x', 'a', 'amk_a', 'v1:n:c') on conflict do nothing");
            s.execute("insert into app_sessions(id, package_name, user_session_id, state) values "
                    + "(gen_random_uuid(), 'com.example.unique', 'user-session-1', 'RUNNING')");
            SQLException e = assertThrows(SQLException.class, () -> s.execute(
                    "insert into app_sessions(id, package_name, user_session_id, state) values "
                            + "(gen_random_uuid(), 'com.example.unique', 'user-session-1', 'CONNECTING')"));
            assertEquals("23505", e.getSQLState(), "unique violation");
        }
    }

    @Test
    void theDatabaseRefusesAPackageNameTheApiWouldRefuse() throws Exception {
        try (Connection c = jdbc.getConnection(); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.execute(
                    "insert into apps(package_name, webhook_url, api_key_hash, api_key_prefix, webhook_secret_sealed) "
                            + "values ('Com.Example', 'http://x', 'a', 'amk_a', 'v1:n:c')"));
            assertEquals("23514", e.getSQLState(), "check violation");
        }
    }

    @Test
    void readinessIncludesTheDatabase() {
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name.contains('Database') }.status", equalTo("UP"));
    }
}
