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

    /** @return 0 if allowed, else nanoseconds until a token will be available */
    long acquire(String publisher, long nowNanos) {
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
}
