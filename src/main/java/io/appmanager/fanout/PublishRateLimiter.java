package io.appmanager.fanout;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per publisher. Answers how long to wait when a publish is over the rate, which
 * becomes the Retry-After that seed 001's client honours.
 */
final class PublishRateLimiter {

    private final double perSecond;
    private final int burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    PublishRateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Past this many publishers, buckets that have refilled completely are forgotten (they would start full anyway). */
    static final int SWEEP_ABOVE = 10_000;

    /** @return 0 if allowed, else nanoseconds until a token will be available */
    long acquire(String publisher, long nowNanos) {
        if (buckets.size() > SWEEP_ABOVE) {
            sweep(nowNanos);
        }
        Bucket b = buckets.computeIfAbsent(publisher, k -> new Bucket(burst, nowNanos));
        synchronized (b) {
            double refill = (nowNanos - b.refilledAt) / 1e9 * perSecond;
            b.tokens = Math.min(burst, b.tokens + refill);
            b.refilledAt = nowNanos;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - b.tokens) / perSecond * 1e9);
        }
    }

    private void sweep(long nowNanos) {
        buckets.values().removeIf(b -> {
            synchronized (b) {
                return b.tokens + (nowNanos - b.refilledAt) / 1e9 * perSecond >= burst;
            }
        });
    }

    int size() {
        return buckets.size();
    }
}
