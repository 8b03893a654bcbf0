package io.appmanager.apps;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.ObserverMethod;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This node's ownership lease in {@code node_leases}: registered at start, renewed every
 * {@code lease.renew-interval} to expire {@code lease.ttl} later, expired on graceful shutdown. A node
 * whose lease is not live is dead to its peers, which adopt its app sessions
 * ({@link AppSessions#adoptOrphans}: restart grace). Each renewal is followed by such a sweep.
 * <p>
 * A renewal is conditional (this incarnation, not yet expired). A node that finds its lease lapsed (the
 * update matched nothing, or PostgreSQL has not answered for a whole ttl) may already have lost its sessions
 * to peers: it stops acting as owner, closes every app SDK socket it holds with 4000 ("ownership lapsed;
 * reconnect": the SDK reconnects and resumes), gives those sessions the restart grace unless a peer or a
 * reconnect got there first, and registers again. All times are PostgreSQL's {@code now()}.
 * <p>
 * Register, renew and release run on the lease's own connection ({@link LeaseConnection}), never queued
 * behind application work in the main pool: a renewal that gets no answer there means PostgreSQL itself
 * is unreachable. The sweep and the pruning are application work and use the main pool.
 */
@ApplicationScoped
public class NodeLease {

    private static final Logger LOG = Logger.getLogger(NodeLease.class);
    /** docs/protocol.md: 4000 parks the session and every client reconnects and resumes. */
    static final int LAPSED_CLOSE_CODE = 4000;
    static final String LAPSED_CLOSE_REASON = "ownership lapsed; reconnect";
    /** Rows of nodes dead this long are deleted; their sessions were adopted long ago (a missing row is dead too). */
    static final Duration PRUNE_AFTER = Duration.ofHours(1);
    /** Prune once a minute at the default renew interval: cheap, and nothing waits for it. */
    private static final int PRUNE_EVERY_TICKS = 30;

    /** What a renewal found. */
    enum Renewal { RENEWED, LAPSED }

    /** The main pool: sweeps and pruning. */
    private final Pool pool;
    /** The lease's own: register, renew, release. */
    private final Pool leasePool;
    private final AppSessions sessions;
    private final AppSockets sockets;
    private final LifecycleMetrics metrics;
    private final Vertx vertx;
    private final AppSessionsConfig config;
    private final String node;
    /** A renewal or registration is in flight. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** A sweep (and pruning) is in flight, on the main pool. */
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile UUID incarnation;
    /** Whether this node believes it holds a live lease. */
    private volatile boolean held;
    private volatile boolean released;
    private volatile long lastRenewedNanos;
    private long periodic = -1;
    private long ticks;

    public NodeLease(Pool pool, LeaseConnection leaseConnection, AppSessions sessions, AppSockets sockets,
                     LifecycleMetrics metrics, Vertx vertx, AppSessionsConfig config) {
        this.pool = pool;
        this.leasePool = leaseConnection.pool();
        this.sessions = sessions;
        this.sockets = sockets;
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config;
        this.node = sessions.node();
    }

    String nodeId() {
        return node;
    }

    boolean isHeld() {
        return held;
    }

    /** Registers this node under a new incarnation (replacing whatever row its id had). */
    Uni<Void> register() {
        UUID next = UUID.randomUUID();
        long sent = System.nanoTime();
        return leasePool.preparedQuery("insert into node_leases (node_id, incarnation, started_at, renewed_at, expires_at) "
                        + "values ($1, $2, now(), now(), now() + make_interval(secs => $3)) "
                        + "on conflict (node_id) do update set incarnation = excluded.incarnation, "
                        + "started_at = excluded.started_at, renewed_at = excluded.renewed_at, expires_at = excluded.expires_at")
                .execute(Tuple.of(node, next, ttlSeconds()))
                .invoke(() -> {
                    incarnation = next;
                    lastRenewedNanos = sent;
                    held = true;
                    sessions.leaseHeld(true);
                    LOG.infof("lease of node %s registered (incarnation %s, ttl %s)", node, next, config.lease().ttl());
                })
                .replaceWithVoid();
    }

    /** Extends this incarnation's lease if it has not expired yet. */
    Uni<Renewal> renew() {
        long sent = System.nanoTime();
        return leasePool.preparedQuery("update node_leases set renewed_at = now(), expires_at = now() + make_interval(secs => $3) "
                        + "where node_id = $1 and incarnation = $2 and expires_at > now()")
                .execute(Tuple.of(node, incarnation, ttlSeconds()))
                .map(rows -> {
                    if (rows.rowCount() == 1) {
                        lastRenewedNanos = sent;
                        return Renewal.RENEWED;
                    }
                    return Renewal.LAPSED;
                });
    }

    /** Starts renewing (and sweeping) every renew interval; called once the node has restored after a restart. */
    void start() {
        periodic = vertx.setPeriodic(config.lease().renewInterval().toMillis(), id -> tick());
    }

    /**
     * One renewal (or registration), then a sweep for orphans; never two renewals, nor two sweeps, at once
     * on this node. The next renewal does not wait for the sweep: the sweep queues in the main pool, and
     * under a storm of transitions that queue outlasts the ttl.
     */
    void tick() {
        if (released || !busy.compareAndSet(false, true)) {
            return;
        }
        // null: PostgreSQL did not answer and the lease may still stand: neither register nor sweep
        Uni<Boolean> renewed = !held ? Uni.createFrom().item(false) : renew()
                .map(r -> r == Renewal.RENEWED)
                .onFailure().recoverWithItem(this::renewalFailed)
                .invoke(ok -> {
                    if (Boolean.FALSE.equals(ok) && !released) {
                        lapsed();
                    }
                });
        Uni<Boolean> owning = renewed.chain(ok -> ok != null && !ok && !released
                ? register().replaceWith(true) : Uni.createFrom().item(ok));
        owning.subscribe().with(
                ok -> {
                    busy.set(false);
                    // sweep only while holding a lease PostgreSQL confirmed
                    if (Boolean.TRUE.equals(ok) && !released) {
                        sweepUnlessSweeping();
                    }
                },
                err -> {
                    busy.set(false);
                    LOG.warnf("lease of node %s: %s (will retry next tick)", node, err.toString());
                });
    }

    private void sweepUnlessSweeping() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        sweep().subscribe().with(
                ignored -> sweeping.set(false),
                err -> {
                    sweeping.set(false);
                    LOG.warnf("orphan sweep of node %s: %s (will retry after the next renewal)", node, err.toString());
                });
    }

    /**
     * A renewal that did not reach PostgreSQL: the lease still stands until a whole ttl has passed since
     * the last confirmed one. @return false once it has lapsed (no answer for a ttl), else null (unknown)
     */
    private Boolean renewalFailed(Throwable err) {
        metrics.leaseRenewalFailed();
        boolean stillLive = System.nanoTime() - lastRenewedNanos < config.lease().ttl().toNanos();
        LOG.warnf("lease of node %s not renewed (%s)%s", node, err.toString(), stillLive ? "" : "; it has lapsed");
        return stillLive ? null : Boolean.FALSE;
    }

    /** Stops acting as owner: closes every app SDK socket here and gives their sessions the restart grace. */
    void lapsed() {
        held = false;
        sessions.leaseHeld(false);
        metrics.leaseLapsed();
        Map<UUID, Long> closed = sockets.closeAll(LAPSED_CLOSE_CODE, LAPSED_CLOSE_REASON);
        LOG.errorf("lease of node %s lapsed: peers may have adopted its app sessions; closed %d app SDK sockets "
                + "with %d, registering again", node, closed.size(), LAPSED_CLOSE_CODE);
        closed.forEach((id, generation) -> sessions.ownershipLapsed(id, generation).subscribe().with(
                ok -> { }, err -> { /* surfaced by the retry: ERROR line and counter */ }));
    }

    private Uni<Void> sweep() {
        return sessions.adoptOrphans(config.timerBatch()).chain(n -> {
            if (n > 0) {
                LOG.infof("adopted %d app sessions of dead nodes (restart grace)", n);
            }
            // a full batch: more are waiting, do not wait for the next tick
            return n == config.timerBatch() ? sweep() : prune();
        });
    }

    private Uni<Void> prune() {
        if (ticks++ % PRUNE_EVERY_TICKS != 0) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("delete from node_leases where node_id <> $1 and expires_at < now() - make_interval(secs => $2)")
                .execute(Tuple.of(node, (double) PRUNE_AFTER.toSeconds()))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("pruned %d leases of nodes dead for over %s", rows.rowCount(), PRUNE_AFTER);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Graceful shutdown, after the gateway drained (its observer runs first): the lease is expired at
     * once, so peers adopt this node's sessions on their next sweep instead of a whole ttl later. A single
     * node restarted with the same id still gives them restart grace on start (restoreAfterRestart).
     */
    void onPreShutdown(@Observes @Priority(ObserverMethod.DEFAULT_PRIORITY + 100) ShutdownDelayInitiatedEvent e) {
        release();
    }

    void onStop(@Observes ShutdownEvent e) {
        release();
    }

    private void release() {
        if (released) {
            return;
        }
        released = true;
        vertx.cancelTimer(periodic);
        if (incarnation == null) {
            return;
        }
        try {
            leasePool.preparedQuery("update node_leases set expires_at = now() where node_id = $1 and incarnation = $2")
                    .execute(Tuple.of(node, incarnation))
                    .await().atMost(Duration.ofSeconds(2));
            LOG.infof("lease of node %s released", node);
        } catch (RuntimeException err) {
            LOG.warnf("lease of node %s not released (%s): peers adopt its sessions when it expires", node, err.toString());
        }
    }

    private double ttlSeconds() {
        return config.lease().ttl().toMillis() / 1000.0;
    }
}
