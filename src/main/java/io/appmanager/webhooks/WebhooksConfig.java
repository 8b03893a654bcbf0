package io.appmanager.webhooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The webhook dispatcher's settings. docs/operations.md lists every property. */
@ConfigMapping(prefix = "appmanager.webhooks")
public interface WebhooksConfig {

    /**
     * Deadline for one POST, from the first connect attempt to the end of the answer. 10 s is what the issue
     * asks and what MentraOS uses: an app server that is up acknowledges a session_request in well under a
     * second (starting the instance comes after the 2xx and has its own 30 s start timeout in the lifecycle),
     * so a longer wait only postpones the backoff of a hung server.
     */
    @WithDefault("10s")
    Duration timeout();

    CircuitBreaker circuitBreaker();

    /** One breaker per app (package). SmallRye Fault Tolerance semantics: decision 0009. */
    interface CircuitBreaker {

        /**
         * Size of the rolling window of calls a closed breaker judges: it opens only once the window is full.
         * 4, not the library's 20: an app gets a webhook per session start or resurrection, so a window of 20
         * would let a dead app take twenty 10 s time-outs before the breaker noticed.
         */
        @WithDefault("4")
        int requestVolumeThreshold();

        /** Share of failures in the window that opens the breaker: 2 of the last 4 by default. */
        @WithDefault("0.5")
        double failureRatio();

        /**
         * How long an open breaker refuses before letting a probe through. 30 s: long enough that a dead app
         * server is not called by every session's backoff, short enough that an app back after a ~25 s pod
         * restart (the MentraOS failure) is found within the lifecycle's 5-minute horizon many times over.
         */
        @WithDefault("30s")
        Duration delay();

        /** Probes that must succeed in a row, when half-open, to close the breaker. */
        @WithDefault("1")
        int successThreshold();

        /**
         * Most apps with a breaker in memory at once (each is a few hundred bytes). Past it, the least recently
         * used breaker is forgotten, so the map is bounded whatever the number of registered apps.
         */
        @WithDefault("10000")
        int maxPackages();

        /**
         * A breaker not used for this long is forgotten (and starts closed if the app is called again). Far
         * longer than the delay and the timeout, so no open breaker or call in flight is forgotten this way.
         */
        @WithDefault("15m")
        Duration idleEviction();
    }
}
