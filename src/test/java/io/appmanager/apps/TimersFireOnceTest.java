package io.appmanager.apps;

import io.agroal.api.AgroalDataSource;
import io.appmanager.support.Apps;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.WebhookSink;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Due timers are claimed with FOR UPDATE SKIP LOCKED: however many pollers race (here six claimers
 * besides the node's own poller), every due grace timer fires exactly once.
 */
@QuarkusTest
class TimersFireOnceTest {

    private static final int SESSIONS = 12;

    @Inject
    AppSessions sessions;

    @Inject
    AgroalDataSource jdbc;

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    @Test
    void racingPollersFireEachDueTimerOnce() throws Exception {
        // a long grace, so nothing fires until the test makes every timer due at once
        Apps.Registered app = Apps.register(Apps.uniquePackage("timers"), apps.sink().url(), 600_000, Map.of());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            String userSession = "us-" + UUID.randomUUID();
            String id = Apps.start(app.packageName(), userSession);
            await().until(() -> apps.sink().of("session_request", id).size() == 1);
            Apps.ready(app, userSession, Map.of()).socket().abort();
            ids.add(id);
        }
        await().until(() -> ids.stream().allMatch(id -> Apps.state(id).equals("GRACE_PERIOD")));

        try (Connection c = jdbc.getConnection();
             PreparedStatement due = c.prepareStatement("update app_sessions set timer_at = now() - interval '1 second' "
                     + "where package_name = ?")) {
            due.setString(1, app.packageName());
            assertEquals(SESSIONS, due.executeUpdate());
        }
        ExecutorService claimers = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<Integer>> fired = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fired.add(CompletableFuture.supplyAsync(() -> sessions.fireDueTimers(3).await().atMost(Duration.ofSeconds(30)),
                        claimers));
            }
            fired.forEach(CompletableFuture::join);
        } finally {
            claimers.shutdownNow();
        }
        await().until(() -> ids.stream().allMatch(id -> !Apps.state(id).equals("GRACE_PERIOD")));
        for (String id : ids) {
            assertEquals(1, graceExpiries(id), "GraceExpired applied once for " + id);
        }
    }

    private int graceExpiries(String id) throws Exception {
        try (Connection c = jdbc.getConnection();
             PreparedStatement q = c.prepareStatement("select count(*) from app_session_transitions "
                     + "where app_session_id = ? and event = 'GraceExpired'")) {
            q.setObject(1, UUID.fromString(id));
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
