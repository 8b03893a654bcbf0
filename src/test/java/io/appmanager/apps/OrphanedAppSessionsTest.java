package io.appmanager.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.appmanager.support.Apps;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.Sql;
import io.appmanager.support.WebhookSink;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * App sessions of a dead node (its lease expired, or it has no lease row) are adopted by live nodes:
 * CloudRestarted, restart grace, never an immediate resurrection, exactly once however many sweep. The dead
 * node is staged with plain SQL: its name as owner_node and an expired row in node_leases.
 */
@QuarkusTest
class OrphanedAppSessionsTest {

    /** Long enough that staging the dead node is done before it runs out. */
    private static final long RECONNECT_GRACE_MS = 2000;
    /** Distinct from the reconnect grace, so the timer armed shows which grace was given. */
    private static final long RESTART_GRACE_MS = 3000;
    private static final Map<String, Object> POLICY = Map.of("restart_grace_ms", RESTART_GRACE_MS, "first_attempt_jitter_ms", 1);

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    @Inject
    AgroalDataSource db;

    @Inject
    AppSessions sessions;

    @Test
    void aDeadNodesSessionGetsTheRestartGraceAndThenExactlyOneResurrectionWebhook() throws Exception {
        Apps.Running r = apps.running("orphan", RECONNECT_GRACE_MS, POLICY);
        String dead = deadNode(r);
        long adoptedAt = System.currentTimeMillis();
        sessions.adoptOrphans(100).await().atMost(Duration.ofSeconds(10));

        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        assertEquals(1, cloudRestarts(r.id()));
        assertEquals(dead, Sql.one(db, "select detail->>'adopted_from' from app_session_transitions "
                + "where app_session_id = ? and event = 'CloudRestarted'", UUID.fromString(r.id())));
        assertNull(Sql.one(db, "select owner_node from app_sessions where id = ?", UUID.fromString(r.id())),
                "no owner until an SDK attaches somewhere");
        long graceMs = Sql.count(db, "select (extract(epoch from s.timer_at - t.at) * 1000)::bigint from app_sessions s "
                + "join app_session_transitions t on t.app_session_id = s.id and t.event = 'CloudRestarted' where s.id = ?",
                UUID.fromString(r.id()));
        assertEquals(RESTART_GRACE_MS, graceMs, "the restart grace, not the reconnect grace");

        await().atMost(Duration.ofSeconds(20)).until(() -> apps.sink().of("session_request", r.id()).size() == 2);
        WebhookSink.Received resurrection = apps.sink().of("session_request", r.id()).get(1);
        assertEquals("resurrection", resurrection.body().path("reason").asText());
        assertTrue(resurrection.receivedAtMillis() - adoptedAt >= RESTART_GRACE_MS,
                "no webhook before the restart grace ended: " + (resurrection.receivedAtMillis() - adoptedAt) + " ms");
        // the resurrected instance has its start timeout (30 s) to connect: nothing else is sent meanwhile
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> apps.sink().of("session_request", r.id()).size() == 2);
        assertEquals(1, cloudRestarts(r.id()), "adopted once");
    }

    @Test
    void aDeadNodesSdkThatComesBackWithinTheRestartGraceIsAReconnectAndThisNodeBecomesTheOwner() throws Exception {
        Apps.Running r = apps.running("orphan-back", RECONNECT_GRACE_MS, POLICY);
        deadNode(r);
        sessions.adoptOrphans(100).await().atMost(Duration.ofSeconds(10));
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));

        Apps.Sdk back = Apps.ready(r.app(), r.userSession(), Map.of("reconnect_token", r.sdk().token()));
        JsonNode app = back.app();
        assertEquals("RUNNING", app.path("state").asText());
        assertEquals("token", app.path("reconnect").path("reason").asText(), app.toString());
        assertEquals(sessions.node(), Sql.one(db, "select owner_node from app_sessions where id = ?", UUID.fromString(r.id())));
        await().during(Duration.ofMillis(RESTART_GRACE_MS + 500)).atMost(Duration.ofSeconds(10))
                .until(() -> apps.sink().of("session_request", r.id()).size() == 1);
        assertEquals("RUNNING", Apps.state(r.id()));
        back.socket().close();
    }

    @Test
    void sessionsOfANodeWithALiveLeaseAndOfThisNodeAreLeftAlone() throws Exception {
        Apps.Running peers = apps.running("live-peer", 500, POLICY);
        Apps.Running ours = apps.running("ours", 500, POLICY);
        String live = "live-" + UUID.randomUUID();
        Sql.update(db, "insert into node_leases (node_id, incarnation, started_at, renewed_at, expires_at) "
                + "values (?, ?, now(), now(), now() + interval '1 hour')", live, UUID.randomUUID());
        Sql.update(db, "update app_sessions set owner_node = ? where id = ?", live, UUID.fromString(peers.id()));

        sessions.adoptOrphans(100).await().atMost(Duration.ofSeconds(10));
        sessions.adoptOrphans(100).await().atMost(Duration.ofSeconds(10));

        assertEquals("RUNNING", Apps.state(peers.id()));
        assertEquals("RUNNING", Apps.state(ours.id()));
        assertEquals(0, cloudRestarts(peers.id()));
        assertEquals(0, cloudRestarts(ours.id()));
        assertEquals(live, Sql.one(db, "select owner_node from app_sessions where id = ?", UUID.fromString(peers.id())));
        assertEquals(sessions.node(), Sql.one(db, "select owner_node from app_sessions where id = ?", UUID.fromString(ours.id())));
        peers.sdk().socket().close();
        ours.sdk().socket().close();
    }

    @Test
    void concurrentSweepsAdoptEachSessionExactlyOnce() throws Exception {
        Apps.Registered app = Apps.register(Apps.uniquePackage("sweeps"), apps.sink().url(), 600_000,
                Map.of("restart_grace_ms", 600_000));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(Apps.start(app.packageName(), "us-" + UUID.randomUUID()));
        }
        // a node that died without leaving any lease row (pruned, or never registered)
        String dead = "gone-" + UUID.randomUUID();
        ExecutorService sweepers = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<CompletableFuture<Integer>> swept = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                swept.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    int n = 0;
                    for (int round = 0; round < 3; round++) {
                        n += sessions.adoptOrphans(3).await().atMost(Duration.ofSeconds(30));
                    }
                    return n;
                }, sweepers));
            }
            assertEquals(12, Sql.update(db, "update app_sessions set state = 'RUNNING', generation = 2, timer_kind = null, "
                    + "timer_at = null, owner_node = ? where package_name = ?", dead, app.packageName()));
            go.countDown();
            swept.forEach(CompletableFuture::join);
        } finally {
            sweepers.shutdownNow();
        }
        await().until(() -> ids.stream().allMatch(id -> Apps.state(id).equals("GRACE_PERIOD")));
        for (String id : ids) {
            assertEquals(1, cloudRestarts(id), "CloudRestarted applied once to " + id);
        }
    }

    /**
     * Makes the session look like one whose node died while it ran: its SDK is gone without its drop
     * being recorded (the SocketClosed this node wrote is undone), and it is owned by a node whose lease expired.
     */
    private String deadNode(Apps.Running r) {
        r.sdk().socket().abort();
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        String dead = "dead-" + UUID.randomUUID();
        Sql.update(db, "insert into node_leases (node_id, incarnation, started_at, renewed_at, expires_at) "
                + "values (?, ?, now() - interval '1 hour', now() - interval '1 minute', now() - interval '50 seconds')",
                dead, UUID.randomUUID());
        assertEquals(1, Sql.update(db, "update app_sessions set state = 'RUNNING', timer_kind = null, timer_at = null, "
                + "dropped_at = null, owner_node = ? where id = ?", dead, UUID.fromString(r.id())));
        return dead;
    }

    private long cloudRestarts(String id) {
        return Sql.count(db, "select count(*) from app_session_transitions where app_session_id = ? and event = 'CloudRestarted'",
                UUID.fromString(id));
    }
}
