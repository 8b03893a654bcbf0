package io.appmanager.fanout;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/** Publishing limits. docs/operations.md lists every property. */
@ConfigMapping(prefix = "appmanager.fanout")
public interface FanoutConfig {

    /** Which engine carries events between sessions. */
    enum Engine {
        /** One node: the hub in this process (the embedded default; no Redis needed). */
        IN_PROCESS,
        /** Several nodes sharing one Redis: cross-node fan-out, RESUME on any node. Needs appmanager.fanout.redis.url. */
        REDIS
    }

    /** {@code in-process} (default) or {@code redis}. docs/architecture.md explains the difference. */
    @WithDefault("in-process")
    Engine engine();

    /**
     * Largest encoded event ({@code "type":..,"data":..}). 64 KiB keeps one event far below the
     * per-connection outbound bound, so a single publish can never make a healthy client "slow".
     */
    @WithDefault("65536")
    int maxEventBytes();

    /** Most topics one publish may name; a publish is one lock-free pass over them. */
    @WithDefault("100")
    int maxTopicsPerEvent();

    /** How long an idempotency key is remembered; the same as the default resume window, so a retry after a resume is caught. */
    @WithDefault("120s")
    Duration idempotencyWindow();

    /** Most idempotency keys remembered at once, so the cache is bounded whatever publishers do. */
    @WithDefault("100000")
    int idempotencyMaxKeys();

    /** Sustained publishes per second per publisher token (its {@code sub}). */
    @WithName("publish-rate.per-second")
    @WithDefault("200")
    double publishRatePerSecond();

    /** Burst a publisher may spend at once before the per-second rate applies. */
    @WithName("publish-rate.burst")
    @WithDefault("400")
    int publishRateBurst();
}
