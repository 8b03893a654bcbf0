package io.appmanager.apps;

import io.agroal.api.AgroalDataSource;
import io.appmanager.support.Apps;
import io.appmanager.support.SinkExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code appmanager.app.timer.lateness}: every fired app-session timer is recorded under its kind with how
 * late it fired (commit of its transition minus its due time), and Prometheus gets the buckets to compute a p99.
 * Other test classes may leave timers that fire meanwhile, so counts are compared as "at least".
 */
@QuarkusTest
class TimerLatenessMetricTest {

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    @Inject
    MeterRegistry registry;

    @Inject
    AgroalDataSource jdbc;

    @Test
    void aGraceThatRunsOutAndTheResurrectionAfterItAreCountedUnderTheirKinds() throws Exception {
        long graceBefore = lateness("grace").count();
        double graceSecondsBefore = lateness("grace").totalTime(TimeUnit.SECONDS);
        long resurrectionBefore = lateness("resurrection").count();
        // the shortest grace the API accepts, and no jitter, so both timers fire within a second or two
        Apps.Running r = apps.running("lateness", 500, Map.of("first_attempt_jitter_ms", 1));
        r.sdk().socket().abort();
        await().atMost(Duration.ofSeconds(20)).until(() -> apps.sink().of("session_request", r.id()).size() == 2);

        assertTrue(lateness("grace").count() >= graceBefore + 1, "the grace timer was counted");
        assertTrue(lateness("resurrection").count() >= resurrectionBefore + 1, "the resurrection timer was counted");
        // a timer fires after it is due (claimed when timer_at <= now, recorded after the commit): never 0 or less
        assertTrue(lateness("grace").totalTime(TimeUnit.SECONDS) > graceSecondsBefore, "a positive lateness was added");
    }

    @Test
    void aTimerFiredLateIsRecordedAtLeastThatLate() throws Exception {
        // a grace nobody waits out: the test makes the timer overdue by OVERDUE instead
        Apps.Running r = apps.running("overdue", 600_000, Map.of());
        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        Timer grace = lateness("grace");
        long countBefore = grace.count();
        double secondsBefore = grace.totalTime(TimeUnit.SECONDS);

        try (Connection c = jdbc.getConnection();
             PreparedStatement due = c.prepareStatement("update app_sessions set timer_at = now() - interval '3 seconds' "
                     + "where id = ?")) {
            due.setObject(1, UUID.fromString(r.id()));
            assertEquals(1, due.executeUpdate());
        }
        await().until(() -> Apps.state(r.id()).equals("DISCONNECTED") || Apps.state(r.id()).equals("RESURRECTING"));

        assertTrue(grace.count() >= countBefore + 1, "counted");
        double added = grace.totalTime(TimeUnit.SECONDS) - secondsBefore;
        assertTrue(added >= 3.0, "a timer due 3 s ago fired at least 3 s late, recorded " + added + " s");
        String prometheus = RestAssured.get("/q/metrics").asString();
        assertTrue(prometheus.contains("appmanager_app_timer_lateness_seconds_bucket{kind=\"grace\""),
                "buckets for a p99 in Prometheus");
        assertTrue(prometheus.contains("appmanager_app_timer_lateness_seconds{kind=\"grace\",quantile=\"0.99\"}"),
                "the published p99");
    }

    private Timer lateness(String kind) {
        return registry.get("appmanager.app.timer.lateness").tag("kind", kind).timer();
    }
}
