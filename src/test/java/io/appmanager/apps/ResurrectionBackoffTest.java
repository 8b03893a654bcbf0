package io.appmanager.apps;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResurrectionBackoffTest {

    static final LifecyclePolicy DEFAULTS = LifecyclePolicy.defaults();
    static final double JUST_UNDER_ONE = 0.999999;

    @ParameterizedTest(name = "attempt {0}: up to {1} ms")
    @CsvSource({
            "1, 5000", // first attempt: the herd spreader
            "2, 2000",
            "3, 4000",
            "4, 8000",
            "5, 16000",
            "6, 32000",
            "7, 60000", // 64 s capped
            "8, 60000",
            "9, 60000",
            "10, 60000",
            "11, 60000",
            "12, 60000"})
    void everyAttemptWaitsBetweenZeroAndItsCeiling(int attempt, long ceilingMillis) {
        Duration ceiling = Duration.ofMillis(ceilingMillis);
        assertEquals(Duration.ZERO, ResurrectionBackoff.delay(attempt, DEFAULTS, () -> 0.0));
        Duration top = ResurrectionBackoff.delay(attempt, DEFAULTS, () -> JUST_UNDER_ONE);
        assertTrue(top.compareTo(ceiling) < 0, top + " reaches " + ceiling);
        assertTrue(top.compareTo(ceiling.multipliedBy(999).dividedBy(1000)) > 0, top + " is not full jitter of " + ceiling);
        assertEquals(ceiling.dividedBy(2), ResurrectionBackoff.delay(attempt, DEFAULTS, () -> 0.5));
    }

    /** The documented horizon: 5+2+4+8+16+32+60+60+60+60 = 307 s at most, about 5 minutes. */
    @Test
    void tenAttemptsSpanAboutFiveMinutesAtMost() {
        Duration span = Duration.ZERO;
        for (int attempt = 1; attempt <= DEFAULTS.maxAttempts(); attempt++) {
            span = span.plus(ResurrectionBackoff.delay(attempt, DEFAULTS, () -> JUST_UNDER_ONE));
        }
        assertTrue(span.compareTo(Duration.ofMinutes(4)) > 0 && span.compareTo(Duration.ofMinutes(6)) < 0, span.toString());
        assertTrue(span.compareTo(Duration.ofSeconds(306)) > 0 && span.compareTo(Duration.ofSeconds(307)) < 0, span.toString());
    }

    @Test
    void hugeAttemptNumbersStayAtTheCapInsteadOfOverflowing() {
        for (int attempt : new int[]{30, 62, 63, 64, 65, 1000, Integer.MAX_VALUE}) {
            assertEquals(Duration.ofSeconds(30), ResurrectionBackoff.delay(attempt, DEFAULTS, () -> 0.5), "attempt " + attempt);
        }
    }

    @Test
    void aCapEqualToTheBaseMeansAFlatCeiling() {
        LifecyclePolicy flat = new LifecyclePolicy(Duration.ofSeconds(6), Duration.ofSeconds(30), Duration.ofSeconds(30),
                10, Duration.ofSeconds(7), Duration.ofSeconds(7), Duration.ofSeconds(5));
        for (int attempt = 2; attempt <= 12; attempt++) {
            assertEquals(Duration.ofMillis(3500), ResurrectionBackoff.delay(attempt, flat, () -> 0.5));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
    void aBrokenRandomSourceIsRefused(double random) {
        assertThrows(IllegalArgumentException.class, () -> ResurrectionBackoff.delay(2, DEFAULTS, () -> random));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void attemptsStartAtOne(int attempt) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResurrectionBackoff.delay(attempt, DEFAULTS, () -> 0.5));
        assertTrue(e.getMessage().contains("attempt"), e.getMessage());
    }

    @Test
    void theHorizonIsTheSumOfEveryAttemptsLongestWait() {
        // 5 + 2 + 4 + 8 + 16 + 32 + 60 + 60 + 60 + 60 s: the table in docs/lifecycle.md
        assertEquals(java.time.Duration.ofSeconds(307), ResurrectionBackoff.horizon(LifecyclePolicy.defaults()));
    }
}
