package io.appmanager.sdk;

import java.time.Duration;

/** Delay computations for reconnects; pure functions so the bounds can be unit tested. */
final class Backoff {
    /**
     * Doubling stops after five steps (32 x base, 32 s with the default 1 s base): long enough
     * to ride out a server restart, short enough that a recovered server is found promptly.
     */
    static final int MAX_EXPONENT = 5;

    private Backoff() {
    }

    /**
     * Delay before reconnect attempt {@code attempt}: {@code base * 2^min(attempt-1, 5) +
     * random * jitterUnit}. The jitter spreads a herd of clients dropped by the same server
     * restart so they do not all reconnect in the same millisecond.
     *
     * @param attempt    1-based attempt number within the disconnect cycle
     * @param random     a value in [0, 1)
     * @param base       delay of the first attempt before jitter
     * @param jitterUnit maximum jitter added on top
     */
    static Duration delayFor(int attempt, double random, Duration base, Duration jitterUnit) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
        }
        int exponent = Math.min(attempt - 1, MAX_EXPONENT);
        long exponentialNanos = base.toNanos() << exponent;
        long jitterNanos = (long) (clamp01(random) * jitterUnit.toNanos());
        return Duration.ofNanos(exponentialNanos + jitterNanos);
    }

    /**
     * Wait after INVALID_SESSION, uniformly in [min, max]. The protocol asks for 1-5 s so that
     * a server shedding sessions is not immediately hammered with new IDENTIFYs.
     */
    static Duration invalidSessionDelay(double random, Duration min, Duration max) {
        long spanNanos = max.toNanos() - min.toNanos();
        return min.plusNanos((long) (clamp01(random) * spanNanos));
    }

    private static double clamp01(double random) {
        return Math.max(0.0, Math.min(1.0, random));
    }
}
