package io.appmanager.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing and retry limits for reconnecting. Immutable; derive variants with the {@code with*}
 * methods, e.g. {@code ReconnectPolicy.defaults().withBaseDelay(Duration.ofMillis(5))}.
 *
 * @param baseDelay             delay of the first reconnect attempt, doubled per attempt (capped at 32x)
 * @param jitterUnit            up to this much random delay is added to every attempt
 * @param maxAttempts           reconnect attempts per disconnect cycle before escalating to a fresh
 *                              IDENTIFY (and, after that, giving up); at least 1
 * @param invalidSessionWaitMin lower bound of the random wait after INVALID_SESSION
 * @param invalidSessionWaitMax upper bound of the random wait after INVALID_SESSION
 * @param helloTimeout          how long an open socket may stay silent before HELLO; then it is dropped (4000)
 */
public record ReconnectPolicy(
        Duration baseDelay,
        Duration jitterUnit,
        int maxAttempts,
        Duration invalidSessionWaitMin,
        Duration invalidSessionWaitMax,
        Duration helloTimeout) {

    /** 1 s: a dropped connection usually recovers at once; no need to wait longer at first. */
    private static final Duration DEFAULT_BASE_DELAY = Duration.ofSeconds(1);
    /** 1 s of jitter: wide enough to spread thousands of clients after a server restart. */
    private static final Duration DEFAULT_JITTER_UNIT = Duration.ofSeconds(1);
    /** 10 attempts reach the 32 s cap and keep trying for roughly 4.5 minutes in total. */
    private static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** 1-5 s: the wait the Accord protocol asks for after INVALID_SESSION. */
    private static final Duration DEFAULT_INVALID_SESSION_MIN = Duration.ofSeconds(1);
    private static final Duration DEFAULT_INVALID_SESSION_MAX = Duration.ofSeconds(5);
    /**
     * 15 s: HELLO is the server's first frame and normally arrives within milliseconds; a socket
     * silent this long is a half-open connection or a stuck server, and waiting longer only delays
     * the reconnect that fixes it.
     */
    private static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Validates the values.
     *
     * @param baseDelay             delay of the first reconnect attempt
     * @param jitterUnit            maximum random delay added to every attempt
     * @param maxAttempts           attempts per disconnect cycle before escalating; at least 1
     * @param invalidSessionWaitMin lower bound of the wait after INVALID_SESSION
     * @param invalidSessionWaitMax upper bound of the wait after INVALID_SESSION
     * @param helloTimeout          silence before HELLO after which the socket is dropped; positive
     */
    public ReconnectPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(jitterUnit, "jitterUnit");
        Objects.requireNonNull(invalidSessionWaitMin, "invalidSessionWaitMin");
        Objects.requireNonNull(invalidSessionWaitMax, "invalidSessionWaitMax");
        if (baseDelay.isNegative() || jitterUnit.isNegative() || invalidSessionWaitMin.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (invalidSessionWaitMax.compareTo(invalidSessionWaitMin) < 0) {
            throw new IllegalArgumentException("invalidSessionWaitMax must be >= invalidSessionWaitMin");
        }
        Objects.requireNonNull(helloTimeout, "helloTimeout");
        if (helloTimeout.isNegative() || helloTimeout.isZero()) {
            throw new IllegalArgumentException("helloTimeout must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /**
     * Production defaults: base 1 s, jitter 1 s, 10 attempts, 1-5 s after INVALID_SESSION, HELLO within 15 s.
     *
     * @return the default policy
     */
    public static ReconnectPolicy defaults() {
        return new ReconnectPolicy(DEFAULT_BASE_DELAY, DEFAULT_JITTER_UNIT, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_INVALID_SESSION_MIN, DEFAULT_INVALID_SESSION_MAX, DEFAULT_HELLO_TIMEOUT);
    }

    /**
     * Copy with another base delay.
     *
     * @param value delay of the first attempt
     * @return the new policy
     */
    public ReconnectPolicy withBaseDelay(Duration value) {
        return new ReconnectPolicy(value, jitterUnit, maxAttempts, invalidSessionWaitMin, invalidSessionWaitMax, helloTimeout);
    }

    /**
     * Copy with another jitter unit.
     *
     * @param value maximum jitter per attempt
     * @return the new policy
     */
    public ReconnectPolicy withJitterUnit(Duration value) {
        return new ReconnectPolicy(baseDelay, value, maxAttempts, invalidSessionWaitMin, invalidSessionWaitMax, helloTimeout);
    }

    /**
     * Copy with another attempt limit.
     *
     * @param value attempts per disconnect cycle; at least 1
     * @return the new policy
     */
    public ReconnectPolicy withMaxAttempts(int value) {
        return new ReconnectPolicy(baseDelay, jitterUnit, value, invalidSessionWaitMin, invalidSessionWaitMax, helloTimeout);
    }

    /**
     * Copy with another INVALID_SESSION wait range.
     *
     * @param min lower bound
     * @param max upper bound, not below {@code min}
     * @return the new policy
     */
    public ReconnectPolicy withInvalidSessionWait(Duration min, Duration max) {
        return new ReconnectPolicy(baseDelay, jitterUnit, maxAttempts, min, max, helloTimeout);
    }

    /**
     * Copy with another HELLO timeout.
     *
     * @param value silence before HELLO after which the socket is dropped and the client reconnects
     * @return the new policy
     */
    public ReconnectPolicy withHelloTimeout(Duration value) {
        return new ReconnectPolicy(baseDelay, jitterUnit, maxAttempts, invalidSessionWaitMin, invalidSessionWaitMax, value);
    }
}
