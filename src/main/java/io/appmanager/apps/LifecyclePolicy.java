package io.appmanager.apps;

import java.time.Duration;

/**
 * The numbers the lifecycle runs on; global defaults, overridable per app by the caller (merge first,
 * then pass the result). docs/lifecycle.md has the same table with the reasoning.
 *
 * @param reconnectGrace     how long a dropped instance has to come back before we resurrect it
 * @param restartGrace       the same after our own node restarted (every SDK of the node reconnects at once)
 * @param startTimeout       how long a started or resurrected instance has to connect
 * @param maxAttempts        resurrection attempts per outage (a failed start counts) before EVICTED
 * @param baseDelay          backoff before attempt 2, doubled per attempt
 * @param maxDelay           cap of the doubling
 * @param firstAttemptJitter attempt 1 waits a random part of this after grace
 */
public record LifecyclePolicy(
        Duration reconnectGrace,
        Duration restartGrace,
        Duration startTimeout,
        int maxAttempts,
        Duration baseDelay,
        Duration maxDelay,
        Duration firstAttemptJitter) {

    /**
     * 6 s: inside seed 004's 5-8 s and one second over MentraOS's 5 s, so an SDK whose first reconnect
     * fails still lands its second one inside grace (ours: by 5 s at worst, 1 s + 1 s jitter then
     * 2 s + 1 s; MentraOS's 1/2/4 s: at 3 s), while a dead app server waits only 6 s for its webhook.
     */
    public static final Duration DEFAULT_RECONNECT_GRACE = Duration.ofMillis(6000);
    /**
     * 30 s: after our own deploy or crash every SDK of the node is somewhere in its backoff (ours waits
     * 1, 2, 4, 8, 16, then at most 32 s, each plus up to 1 s). Counted from the node being back, 30 s
     * covers the next try of every SDK not yet at the cap, before a webhook starts a second instance:
     * reconnecting SDKs must win over resurrection here.
     */
    public static final Duration DEFAULT_RESTART_GRACE = Duration.ofSeconds(30);
    /**
     * 30 s: a real pod start (schedule, pull, boot, connect) takes tens of seconds; MentraOS's 6 s
     * gave up on pods that needed ~25 s during a node rotation.
     */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /**
     * 10 attempts: with the delays below the worst case spans 307 s (5 + 2 + 4 + 8 + 16 + 32 + 4 x 60),
     * about 5 minutes, an order of magnitude past the ~25 s pod restart that outlasted MentraOS's 6.6 s.
     */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** 2 s: a webhook that failed fast (503, refused) is retried soon, while one slow app is not hammered. */
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofSeconds(2);
    /** 60 s: once the app server has been down a while, an app that comes back is still found within a minute. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(60);
    /**
     * 5 s: when a node's sockets drop together their graces expire together; spreading the first
     * webhooks over 5 s turns 1,000 simultaneous session_requests into ~200 a second.
     */
    public static final Duration DEFAULT_FIRST_ATTEMPT_JITTER = Duration.ofSeconds(5);

    public LifecyclePolicy {
        positive("reconnectGrace", reconnectGrace);
        positive("restartGrace", restartGrace);
        positive("startTimeout", startTimeout);
        positive("baseDelay", baseDelay);
        positive("maxDelay", maxDelay);
        positive("firstAttemptJitter", firstAttemptJitter);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (maxDelay.compareTo(baseDelay) < 0) {
            // min(maxDelay, ...) would still work, but a cap below the base is almost surely two values swapped
            throw new IllegalArgumentException("maxDelay (" + maxDelay + ") must not be below baseDelay (" + baseDelay + ")");
        }
    }

    public static LifecyclePolicy defaults() {
        return new LifecyclePolicy(DEFAULT_RECONNECT_GRACE, DEFAULT_RESTART_GRACE, DEFAULT_START_TIMEOUT,
                DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, DEFAULT_FIRST_ATTEMPT_JITTER);
    }

    private static void positive(String field, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be set");
        }
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
    }
}
