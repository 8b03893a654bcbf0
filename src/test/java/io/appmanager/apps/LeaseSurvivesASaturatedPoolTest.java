package io.appmanager.apps;

import io.agroal.api.AgroalDataSource;
import io.appmanager.support.Gw;
import io.appmanager.support.RawSocket;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resurrection storm: thousands of transition writes queue for the main pool's connections for
 * longer than the lease ttl. The lease must keep being renewed meanwhile (its statements do not wait in
 * that queue), so the node never declares itself lapsed and no healthy SDK socket is closed with 4000.
 * Here every connection of the main pool sleeps in PostgreSQL for well over a ttl, with more work queued
 * behind; the lease is read through the JDBC datasource, which is a pool of its own.
 */
@QuarkusTest
class LeaseSurvivesASaturatedPoolTest {

    /** The main reactive pool's size (Quarkus' default max-size, not overridden in application.properties). */
    private static final int MAIN_POOL_SIZE = 20;
    /** Work queued behind the sleepers, as the storm's transitions are; each is quick once it gets a connection. */
    private static final int QUEUED_BEHIND = 200;
    /**
     * How long each main-pool connection is held: two and a half ttls (10 s), so a renewal waiting in
     * the main pool's queue arrives after the lease expired; under the pool's 30 s connection timeout, so
     * the queued work waits rather than fails.
     */
    private static final int SLEEP_SECONDS = 25;
    /** Marks the sleepers in pg_stat_activity, so the test can see and cancel exactly them. */
    private static final String MARK = "lease-saturation-test";
    /** A renewal this long after the saturation began proves the lease outlived one ttl (10 s) without the main pool. */
    private static final int RENEWED_PAST_SECONDS = 12;

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    @Inject
    AgroalDataSource db;

    @Inject
    Pool pool;

    @Inject
    NodeLease lease;

    @AfterEach
    void releaseThePool() {
        Sql.count(db, "select count(pg_cancel_backend(pid)) from pg_stat_activity where query like ? and pid <> pg_backend_pid()",
                "%" + MARK + "%");
    }

    @Test
    void theLeaseIsRenewedWhileEveryMainPoolConnectionIsBusyForLongerThanTheTtl() throws Exception {
        RawSocket sdk = apps.running("saturated", 60_000, Map.of()).sdk().socket();
        double lapsesBefore = NodeLeaseTest.counter("appmanager_app_lease_lapses_total");
        assertTrue(lease.isHeld());

        IntStream.range(0, MAIN_POOL_SIZE).forEach(i -> fireAndForget(
                pool.query("select pg_sleep(" + SLEEP_SECONDS + ") /* " + MARK + " */").execute().replaceWithVoid()));
        await().atMost(Duration.ofSeconds(20)).until(() -> sleepers() == MAIN_POOL_SIZE);
        IntStream.range(0, QUEUED_BEHIND).forEach(i -> fireAndForget(pool.query("select 1").execute().replaceWithVoid()));
        long saturatedAtMs = Sql.count(db, "select (extract(epoch from now()) * 1000)::bigint");

        // the SDK heartbeats while it waits, as a live one would, so only a lapse could close its socket
        await().atMost(Duration.ofSeconds(SLEEP_SECONDS)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            sdk.send(Gw.heartbeat(null));
            return Sql.count(db, "select count(*) from node_leases where node_id = ? and expires_at > now() "
                            + "and renewed_at > to_timestamp(? / 1000.0) + make_interval(secs => ?)",
                    lease.nodeId(), saturatedAtMs, RENEWED_PAST_SECONDS) == 1;
        });
        assertEquals(MAIN_POOL_SIZE, sleepers(), "renewed while the main pool was still saturated");
        assertTrue(lease.isHeld());
        assertFalse(sdk.isClosed(), "the healthy SDK socket stays open");

        releaseThePool();
        assertEquals(lapsesBefore, NodeLeaseTest.counter("appmanager_app_lease_lapses_total"), "no lapse");
    }

    private long sleepers() {
        return Sql.count(db, "select count(*) from pg_stat_activity where query like ? and state = 'active' "
                + "and pid <> pg_backend_pid()", "%" + MARK + "%");
    }

    private static void fireAndForget(Uni<Void> work) {
        // cancelled by releaseThePool, or refused once the pool's wait ends: neither matters to the test
        work.subscribe().with(ignored -> { }, err -> { });
    }
}
