package io.appmanager.gateway;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Graceful shutdown, in the order a load balancer needs: readiness goes DOWN first (during the
 * optional shutdown delay, so traffic stops arriving), then every socket gets RECONNECT and a
 * 1001 close, and only then does the HTTP server stop.
 */
@ApplicationScoped
public class GatewayLifecycle {

    private static final Logger LOG = Logger.getLogger(GatewayLifecycle.class);
    /**
     * Beyond the close timeout (after which stuck sockets are dropped), time for the drops to land.
     * Public because the drain bound (close timeout + this) sizes the pod's grace period (ManifestsTest).
     */
    public static final Duration CLOSE_WAIT_MARGIN = Duration.ofSeconds(2);
    private static final long POLL_MS = 20;

    private final Gateway gateway;
    private final SessionRegistry registry;
    private volatile boolean shuttingDown;

    private final GatewayConfig config;

    public GatewayLifecycle(Gateway gateway, SessionRegistry registry, GatewayConfig config) {
        this.gateway = gateway;
        this.registry = registry;
        this.config = config;
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * Quarkus' pre-shutdown phase (fired because {@code quarkus.shutdown.delay-enabled=true}): the
     * HTTP server is still up. By {@link ShutdownEvent} it has already closed every socket with a
     * bare 1000, so the drain must happen here (GracefulShutdownIT proves the order).
     */
    void onPreShutdown(@Observes ShutdownDelayInitiatedEvent e) {
        drainNow();
    }

    /** A fallback should pre-shutdown not have run (delay disabled by an operator): drain what is left. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent e) {
        if (registry.connectionCount() > 0) {
            drainNow();
        }
        shuttingDown = true;
    }

    /** Readiness DOWN, RECONNECT to everyone, then wait (bounded) for the sockets to close. */
    public void drainNow() {
        shuttingDown = true;
        gateway.drain();
        long deadline = System.nanoTime() + config.closeTimeout().plus(CLOSE_WAIT_MARGIN).toNanos();
        while (registry.connectionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.infof("drain finished with %d sockets still open", registry.connectionCount());
    }
}
