package io.appmanager.apps;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before each resurrection attempt. Full jitter everywhere: sessions that failed
 * together (one app server down, a node of apps dropped at once) come back spread out, not in waves.
 */
public final class ResurrectionBackoff {

    private ResurrectionBackoff() {
    }

    /**
     * Delay before attempt {@code attempt} (1-based). Attempt 1 follows grace by {@code random x
     * firstAttemptJitter}; attempt n > 1 waits {@code random x min(maxDelay, baseDelay x 2^(n-2))}.
     *
     * @param random a source of values in [0, 1); one value is taken
     */
    public static Duration delay(int attempt, LifecyclePolicy policy, DoubleSupplier random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
        }
        double r = random.getAsDouble();
        if (!(r >= 0.0 && r < 1.0)) {
            // a broken random source would silently turn the jitter off or overshoot the cap: refuse it
            throw new IllegalArgumentException("random must be in [0, 1), was " + r);
        }
        return Duration.ofNanos((long) (r * ceiling(attempt, policy).toNanos()));
    }

    /**
     * The longest an outage can take to spend every attempt on waits alone: the sum of the ceilings of
     * attempts 1..maxAttempts (307 s with the defaults). Attempts' own time (webhook, start timeout) is extra.
     */
    public static Duration horizon(LifecyclePolicy policy) {
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            total = total.plus(ceiling(attempt, policy));
        }
        return total;
    }

    /** The most attempt {@code attempt} can wait: what full jitter scales. */
    static Duration ceiling(int attempt, LifecyclePolicy policy) {
        if (attempt == 1) {
            return policy.firstAttemptJitter();
        }
        long cap = policy.maxDelay().toNanos();
        long base = policy.baseDelay().toNanos();
        int doublings = attempt - 2;
        // compare before shifting: base << doublings overflows long long before attempt numbers get silly
        if (doublings >= Long.SIZE - 1 || base > (cap >> doublings)) {
            return policy.maxDelay();
        }
        return Duration.ofNanos(Math.min(cap, base << doublings));
    }
}
