package io.appmanager.apps;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fires due app-session timers (grace, resurrection, start timeout). The timers live in PostgreSQL,
 * so they survive a restart and are shared by every node; {@link AppSessions#fireDueTimers} claims
 * them with SKIP LOCKED, which is what makes "fires exactly once" hold when nodes poll together.
 */
@ApplicationScoped
public class TimerPoller {

    private static final Logger LOG = Logger.getLogger(TimerPoller.class);
    /** Refresh the sessions-by-state gauge every this many ticks (20 x 250 ms = 5 s): a dashboard cadence. */
    private static final int GAUGE_EVERY_TICKS = 20;

    private final AppSessions sessions;
    private final AppSessionsConfig config;
    private final Vertx vertx;
    private final NodeLease lease;
    private final AtomicBoolean running = new AtomicBoolean();
    private long periodic = -1;
    private long ticks;

    public TimerPoller(AppSessions sessions, AppSessionsConfig config, Vertx vertx, NodeLease lease) {
        this.sessions = sessions;
        this.lease = lease;
        this.config = config;
        this.vertx = vertx;
    }

    /**
     * After the @Startup beans (the embedded database among them, with its migrations) are up: this node's
     * lease is registered (so peers leave its sessions alone and SDK attaches are served), then its own
     * sessions get restart grace, then timers and lease renewals (with the orphan sweep) start.
     */
    void onStart(@Observes @jakarta.annotation.Priority(jakarta.enterprise.inject.spi.ObserverMethod.DEFAULT_PRIORITY + 100) StartupEvent e) {
        lease.register()
                .onFailure().invoke(err -> LOG.errorf("lease of this node not registered yet (will retry): %s", err.toString()))
                .onFailure().recoverWithNull()
                .chain(sessions::restoreAfterRestart)
                .subscribe().with(
                n -> {
                    if (n > 0) {
                        LOG.infof("restart: %d app sessions of this node given restart grace", n);
                    }
                    startTicking();
                },
                err -> {
                    // the database is not reachable yet: timers start anyway and retry every tick
                    LOG.errorf(err, "restart: app sessions could not be restored; SDKs are served without restart grace");
                    startTicking();
                });
    }

    private void startTicking() {
        periodic = vertx.setPeriodic(config.timerPollInterval().toMillis(), id -> tick());
        lease.start();
    }

    /**
     * Stops before the gateway drains (pre-shutdown): a grace that runs out while this node is going away
     * must not start a resurrection here; the node's next start (or another node) decides.
     */
    void onPreShutdown(@Observes @jakarta.annotation.Priority(1) ShutdownDelayInitiatedEvent e) {
        vertx.cancelTimer(periodic);
    }

    void onStop(@Observes ShutdownEvent e) {
        vertx.cancelTimer(periodic);
    }

    private void tick() {
        if (ticks++ % GAUGE_EVERY_TICKS == 0) {
            sessions.refreshStateGauge();
        }
        // one claim at a time per node: a slow database must not pile up overlapping transactions
        if (!running.compareAndSet(false, true)) {
            return;
        }
        sessions.fireDueTimers(config.timerBatch()).subscribe().with(
                fired -> {
                    running.set(false);
                    if (fired == config.timerBatch()) {
                        // a full batch: more are due now, do not wait for the next tick
                        vertx.runOnContext(v -> tick());
                    }
                },
                err -> {
                    running.set(false);
                    LOG.warnf("due timers not claimed (will retry next tick): %s", err.getMessage());
                });
    }
}
