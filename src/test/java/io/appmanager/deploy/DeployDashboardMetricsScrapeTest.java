package io.appmanager.deploy;

import io.appmanager.support.Apps;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.ServiceFacts;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every metric the Grafana dashboard reads is one the running service exposes at /q/metrics. Meters
 * appear on first use (docs/operations.md, Metrics), so the test first does what the dashboard watches:
 * an app session started through its webhook, dropped and reconnected with its token (reconnect counters
 * and the latency histogram), a user identified on the gateway and an event published and delivered.
 */
@QuarkusTest
class DeployDashboardMetricsScrapeTest {

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    /**
     * The first app-session queries of a fresh JVM parse their HQL on the event loop (seconds on a loaded
     * 2-core machine), which can outlast Awaitility's 10 s default before the first webhook arrives.
     */
    @BeforeAll
    static void patientAwaits() {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void defaultAwaits() {
        Awaitility.reset();
    }

    @Test
    void everyMetricOfTheDashboardIsExposedByTheService() throws Exception {
        warmUp();
        Apps.Running r = apps.running("dashboard", 3000, Map.of());
        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        Apps.ready(r.app(), r.userSession(), Map.of("reconnect_token", r.sdk().token())).socket().close();

        Gw.Session user = Gw.ready(Tokens.user("dashboard-user", "dashboard.room"), "messages");
        try (RawSocket socket = user.socket()) {
            Gw.publish("dashboard.room", "message.create", Map.of("n", 1));
            assertEquals("message.create", socket.nextOf(0, "message.create").path("type").asText());

            Set<String> exposed = ServiceFacts.exposedMetricNames(RestAssured.get("/q/metrics").then().statusCode(200).extract().asString());
            Set<String> missing = new TreeSet<>(DeployFiles.dashboardMetrics());
            missing.removeAll(exposed);
            assertTrue(missing.isEmpty(), "the dashboard reads metrics the service does not expose: " + missing);
        }
    }

    /**
     * One app session started first, its webhook answered however late: a cold JVM on a loaded machine
     * can miss the test profile's 1 s webhook deadline on its very first start (and then retries with
     * backoff), which the measured start below must not inherit.
     */
    private static void warmUp() {
        Apps.Registered app = Apps.register(Apps.uniquePackage("dashboard-warm-up"), apps.sink().url(), 3000, Map.of());
        String id = Apps.start(app.packageName(), "us-" + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(90)).until(() -> !apps.sink().of("session_request", id).isEmpty());
    }
}
