package io.appmanager.fanout.redis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the Redis shared log ({@link RedisLog}), under {@code appmanager.fanout.redis.*}. Read only
 * when the Redis engine is selected; with no {@code url} nothing here connects anywhere. Every default is
 * documented in docs/operations.md.
 */
@ConfigMapping(prefix = "appmanager.fanout.redis")
public interface RedisLogConfig {

    /**
     * The Redis to use, {@code redis://[:password@]host:port[/db]} ({@code rediss://} for TLS). No default:
     * the in-process engine needs no Redis. Used by {@link RedisLog#create}, which builds its own client,
     * so nothing depends on {@code quarkus.redis.hosts} (see RedisLog's class comment for why).
     */
    Optional<String> url();

    /** Prefix of every key: one Redis can hold several AppManager clusters side by side. */
    @WithDefault("appmanager:")
    String keyPrefix();

    /**
     * Most entries kept. 500,000 holds 150 s (max-age) of about 3,300 entries per second; normally age
     * trims first, and this only bounds a burst. Each entry costs Redis roughly its body plus ~100 bytes.
     */
    @WithDefault("500000")
    long maxEntries();

    /**
     * Most body bytes kept (256 MiB): bounds Redis memory when events are large (an event may be 64 KiB,
     * appmanager.fanout.max-event-bytes), at the cost of trimming before max-age under such a load.
     */
    @WithDefault("268435456")
    long maxBytes();

    /**
     * How long entries are kept: the resume window. 150 s = appmanager.gateway.resume-window (120 s) plus
     * 30 s for the age of the checkpoint a RESUME replays from. Must be at least the resume window plus the
     * checkpoint interval, or RESUME on another node finds the log trimmed.
     */
    @WithDefault("150s")
    Duration maxAge();

    /**
     * Deadline of one Redis command (append, read, checkpoint). 2 s: a healthy Redis answers in
     * milliseconds, and a publisher waiting longer is better told 503 and retry.
     */
    @WithDefault("2s")
    Duration commandTimeout();

    /** Entries the follower reads per round trip (512): large enough for bursts, small enough to stay a few MiB. */
    @WithDefault("512")
    int followBatch();

    /**
     * How long one blocking XREAD waits for new entries (1 s). Short, so a lost connection or a server that
     * stopped answering is noticed within about a second even when the log is idle.
     */
    @WithDefault("1s")
    Duration followBlock();
}
