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

    /** Retrying transition writes that come from outside events when PostgreSQL cannot be reached. */
    TransitionRetryConfig transitionRetry();

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
