package io.appmanager.apps;

import io.agroal.api.AgroalDataSource;
import io.appmanager.support.Apps;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SDK's drop is an outside event nobody will report again: when PostgreSQL refuses its transition
 * write, the write is retried (jittered backoff) and applied once when the database is back; when it
 * never is (here within the test profile's 3 s), the loss is counted in
 * appmanager_app_transitions_failed_total{event="SocketClosed"}. The refusal is real: a trigger on the
 * history table that fails the transaction for one app session.
 */
@QuarkusTest
class TransitionWritesSurviveDatabaseBlipsTest {

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    @Inject
    AgroalDataSource db;

    @AfterEach
    void databaseBack() {
        Sql.update(db, "drop trigger if exists blip on app_session_transitions");
    }

    @Test
    void aDropWhoseWriteFailsForAWhileIsRecordedOnceWhenTheDatabaseIsBack() throws Exception {
        Apps.Running r = apps.running("blip", 600_000, Map.of());
        refuseHistoryOf(r.id());
        r.sdk().socket().abort();
        await().atMost(Duration.ofSeconds(5)).until(() -> failedWrites() >= 2);
        assertEquals("RUNNING", Apps.state(r.id()), "not recorded while the database refuses");

        Sql.update(db, "drop trigger blip on app_session_transitions");
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        assertEquals(1, Sql.count(db, "select count(*) from app_session_transitions where app_session_id = ? "
                + "and event = 'SocketClosed'", UUID.fromString(r.id())));
    }

    @Test
    void aDropWhoseWriteKeepsFailingIsCountedAsALostTransition() throws Exception {
        String series = "appmanager_app_transitions_failed_total{event=\"SocketClosed\"}";
        double before = ReconnectVersusResurrectionTest.counter(series);
        Apps.Running r = apps.running("blip-long", 600_000, Map.of());
        refuseHistoryOf(r.id());
        r.sdk().socket().abort();
        await().atMost(Duration.ofSeconds(15)).until(() -> ReconnectVersusResurrectionTest.counter(series) == before + 1);
        assertEquals("RUNNING", Apps.state(r.id()), "lost, and surfaced");
    }

    @Test
    void readinessIncludesQuarkusPostgresqlChecksThatGoDownWithTheDatabase() {
        // docs/operations.md names these checks rather than adding one of AppManager's own
        io.restassured.path.json.JsonPath health = io.restassured.RestAssured.get("/q/health/ready").then().statusCode(200)
                .extract().jsonPath();
        java.util.List<String> up = health.getList("checks.findAll { it.status == 'UP' }.name");
        assertTrue(up.contains("Reactive PostgreSQL connections health check"), up.toString());
    }

    /**
     * Every history insert for this app session fails, so every transition of it rolls back. A sequence
     * counts the attempts: nextval is not rolled back with them.
     */
    private void refuseHistoryOf(String id) {
        Sql.update(db, "drop sequence if exists blip_attempts");
        Sql.update(db, "create sequence blip_attempts");
        Sql.update(db, "create or replace function blip() returns trigger language plpgsql as $$ begin "
                + "if new.app_session_id = '" + UUID.fromString(id) + "' then "
                + "perform nextval('blip_attempts'); raise exception 'database blip (test)'; end if; return new; end $$");
        Sql.update(db, "create trigger blip before insert on app_session_transitions for each row execute function blip()");
    }

    private long failedWrites() {
        return Sql.count(db, "select case when is_called then last_value else 0 end from blip_attempts");
    }
}
