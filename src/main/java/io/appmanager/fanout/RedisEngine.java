package io.appmanager.fanout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The multi-node engine: every entry is appended to the shared log, and every node's hub applies the
 * log in its order as this node follows it. An append completes once the log holds the entry (every
 * node will apply it), not once it was delivered anywhere.
 */
public final class RedisEngine implements FanoutEngine, SharedLog.Follower {

    private static final Logger LOG = Logger.getLogger(RedisEngine.class);

    private final Hub hub;
    private final SharedLog log;
    private final FeedCodec codec;
    private final String node;
    private final Counter epochChanges;
    private final Counter undecodable;

    public RedisEngine(Hub hub, SharedLog log, FeedCodec codec, String node, MeterRegistry registry) {
        this.hub = hub;
        this.log = log;
        this.codec = codec;
        this.node = node;
        this.epochChanges = Counter.builder("appmanager.fanout.epoch.changes")
                .description("Times the shared log lost history (Redis restarted empty, failed over, went backwards)")
                .register(registry);
        this.undecodable = Counter.builder("appmanager.fanout.entries.undecodable")
                .description("Log entries this node could not read (skipped)").register(registry);
    }

    /** Follows the log, then marks it, so the hub has a position before the first session registers. */
    public RedisEngine start() {
        log.follow(this);
        append(new FeedEntry.Mark(node)).whenComplete((ok, err) -> {
            if (err != null) {
                LOG.warnf("shared log not reachable at start (%s); following it once it is", err.getMessage());
            }
        });
        return this;
    }

    @Override
    public CompletionStage<Void> append(FeedEntry entry) {
        return log.append(codec.encode(entry)).thenApply(position -> null);
    }

    @Override
    public Optional<SharedLog> sharedLog() {
        return Optional.of(log);
    }

    @Override
    public boolean available() {
        return log.available();
    }

    // ---------------------------------------------------------------- follower (the log's reader thread)

    /**
     * Hands the batch to the hub and waits until it applied it: the next read waits for the hub, so a
     * node that cannot keep up with the log falls behind in Redis (bounded by retention, then told) instead
     * of queueing the log in its own memory.
     */
    @Override
    public void records(List<SharedLog.LogRecord> batch) {
        java.util.concurrent.CompletableFuture<Integer> applied = java.util.concurrent.CompletableFuture.completedFuture(0);
        for (SharedLog.LogRecord r : batch) {
            FeedEntry entry;
            try {
                entry = codec.decode(r.body());
            } catch (FeedCodec.Undecodable e) {
                undecodable.increment();
                LOG.warnf("log entry %s skipped: %s", r.position(), e.getMessage());
                // still a position: the hub must move past it exactly as every other node does
                entry = new FeedEntry.Mark("undecodable");
            }
            applied = hub.feed(r.position(), entry);
        }
        try {
            applied.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            LOG.debugf("hub did not apply a batch: %s", e.toString());
        }
    }

    @Override
    public void epochChanged(LogPosition from) {
        epochChanges.increment();
        LOG.warnf("shared log epoch changed to %s: sessions' history before it cannot be resumed on other nodes", from.epoch());
        hub.epochChanged(from);
    }

    @Override
    public void availability(boolean available) {
        if (available) {
            LOG.info("shared log reachable");
            append(new FeedEntry.Mark(node));
        } else {
            LOG.warn("shared log unreachable: publishing answers 503, sessions here keep their local events");
        }
    }
}
