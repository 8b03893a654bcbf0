package io.appmanager.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.appmanager.support.Apps;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This node's own lease: registered at start and renewed; when the node finds it lapsed (here: expired
 * behind its back with plain SQL, as if it had been paused for longer than the ttl) it stops acting as
 * owner, closes its app SDK sockets with 4000 "ownership lapsed; reconnect", gives their sessions the
 * restart grace, and registers again. The SDK reconnects and nothing is resurrected.
 */
@QuarkusTest
class NodeLeaseTest {

    private static final long RESTART_GRACE_MS = 20_000;

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    @Inject
    AgroalDataSource db;

    @Inject
    NodeLease lease;

    @Inject
    AppSessions sessions;

    @Test
    void theNodeHoldsALiveLeaseThatIsRenewed() {
        assertTrue(lease.isHeld());
        Object first = Sql.one(db, "select renewed_at from node_leases where node_id = ?", lease.nodeId());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !first.equals(Sql.one(db, "select renewed_at from node_leases where node_id = ?", lease.nodeId())));
        assertEquals(1, Sql.count(db, "select count(*) from node_leases where node_id = ? and expires_at > now() + interval '5 seconds'",
                lease.nodeId()), "ttl 10 s ahead of the last renewal");
    }

    @Test
    void aLapsedLeaseClosesEveryAppSocketWith4000GivesRestartGraceAndTheNodeRegistersAgain() throws Exception {
        double lapsesBefore = counter("appmanager_app_lease_lapses_total");
        Apps.Running r = apps.running("lapse", 1000, Map.of("restart_grace_ms", RESTART_GRACE_MS));
        String topic = "us." + r.userSession() + ".lapse";
        r.sdk().socket().send(Gw.subscribe(java.util.List.of(topic), java.util.List.of()));
        long seq = r.sdk().socket().nextOf(0, "subscriptions.update").path("seq").asLong();
        Object incarnation = Sql.one(db, "select incarnation from node_leases where node_id = ?", lease.nodeId());

        assertEquals(1, Sql.update(db, "update node_leases set expires_at = now() - interval '1 second' where node_id = ?",
                lease.nodeId()));
        // a sweep now (before this node notices) must still leave this node's own sessions alone
        sessions.adoptOrphans(100).await().atMost(Duration.ofSeconds(10));

        RawSocket.Closed closed = r.sdk().socket().awaitClose();
        assertEquals(NodeLease.LAPSED_CLOSE_CODE, closed.code());
        assertEquals("ownership lapsed; reconnect", closed.reason());
        await().until(() -> Apps.state(r.id()).equals("GRACE_PERIOD"));
        assertNull(Sql.one(db, "select detail->>'adopted_from' from app_session_transitions "
                + "where app_session_id = ? and event = 'CloudRestarted'", UUID.fromString(r.id())), "not swept as an orphan");
        long graceMs = Sql.count(db, "select (extract(epoch from s.timer_at - t.at) * 1000)::bigint from app_sessions s "
                + "join app_session_transitions t on t.app_session_id = s.id and t.event = 'CloudRestarted' where s.id = ?",
                UUID.fromString(r.id()));
        assertEquals(RESTART_GRACE_MS, graceMs, "restart grace");

        await().until(() -> lease.isHeld() && !incarnation.equals(
                Sql.one(db, "select incarnation from node_leases where node_id = ? and expires_at > now()", lease.nodeId())));
        assertEquals(lapsesBefore + 1, counter("appmanager_app_lease_lapses_total"));

        // 4000 parks the gateway session: the SDK resumes it and is the same instance coming back
        try (RawSocket s = RawSocket.connect(Gw.uri())) {
            s.next();
            s.send(Gw.frame(3, Map.of("token", "Bot " + r.app().apiKey(), "session_id", r.sdk().gatewaySessionId(), "seq", seq)));
            JsonNode resumed = s.nextOf(0, "resumed");
            assertTrue(resumed.path("data").isObject(), resumed.toString());
            await().until(() -> Apps.state(r.id()).equals("RUNNING"));
            assertEquals(sessions.node(), Sql.one(db, "select owner_node from app_sessions where id = ?", UUID.fromString(r.id())));
            assertEquals(1, apps.sink().of("session_request", r.id()).size(), "no resurrection");
        }
    }

    static double counter(String series) {
        return ReconnectVersusResurrectionTest.counter(series);
    }
}
