package io.appmanager.apps;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * How the app-session service runs on this node. The lifecycle's own numbers (grace, backoff, start
 * timeout) are {@code appmanager.apps.lifecycle.*}, overridable per app; these are the machinery's.
 */
@ConfigMapping(prefix = "appmanager.app-sessions")
public interface AppSessionsConfig {

    /**
     * This node's name in {@code owner_node} and the transition history. Defaults to the host name
     * (a pod's name on Kubernetes), which is what an operator reads in the history.
     */
    Optional<String> nodeId();

    /**
     * How often due timers are claimed from PostgreSQL. 250 ms: a grace of 6 s or a backoff of seconds
     * is not measurably late, and four small indexed queries a second cost nothing.
     */
    @WithDefault("250ms")
    Duration timerPollInterval();

    /** Due timers claimed per transaction; a herd of expiries is worked off in batches this size. */
    @WithDefault("100")
    int timerBatch();

    /**
     * How long a REQUEST's correlation id stays pending without a response. 60 s: longer than any
     * platform call an SDK should wait on, short enough that a forgotten id does not linger.
     */
    @WithDefault("60s")
    Duration correlationTtl();

    /** Pending correlation ids per app session; a REQUEST beyond it is refused with request.rejected. */
    @WithDefault("256")
    int maxPendingCorrelations();

    /**
     * The gateway URL put in session_request webhooks, where the new instance connects. Defaults to
     * {@code appmanager.gateway.public-url} and then to ws://localhost:&lt;http port&gt;.
     */
    Optional<String> websocketUrl();

    /** This node's ownership lease in {@code node_leases}. */
    Lease lease();

    /** Retrying transition writes that come from outside events when PostgreSQL cannot be reached. */
    TransitionRetryConfig transitionRetry();

    interface Lease {
        /**
         * How often the lease is renewed (and orphans of dead nodes swept). 2 s: five renewals fit in one
         * ttl, so four in a row may fail (a PostgreSQL blip, a GC pause) before the lease lapses, and a
         * dead node's sessions are swept at most 2 s after its lease ran out.
         */
        @WithDefault("2s")
        Duration renewInterval();

        /**
         * How long a lease lasts past its last renewal; then the node counts as dead and its app sessions
         * are adopted by live nodes (restart grace). 10 s: long enough for a stop-the-world GC pause or a
         * short PostgreSQL failover not to declare a live node dead, short enough that the app sessions of a
         * dead node are in restart grace (30 s) well before their SDKs' backoff reaches its 32 s cap.
         */
        @WithDefault("10s")
        Duration ttl();
    }

    interface TransitionRetryConfig {
        /** First wait before retrying; doubled per attempt up to max-backoff, each wait jittered by half. */
        @WithDefault("100ms")
        Duration firstBackoff();

        /** Longest wait between two attempts: 5 s, so a database that is back is noticed within seconds. */
        @WithDefault("5s")
        Duration maxBackoff();

        /**
         * How long a transition write is retried before it is given up, logged at ERROR and counted in
         * appmanager.app.transitions.failed. 60 s: outlasts a PostgreSQL restart or a managed failover
         * (typically 20-40 s), and a transition still missing after a minute is something to alert on.
         */
        @WithDefault("60s")
        Duration giveUpAfter();
    }
}
