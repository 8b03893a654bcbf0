package io.appmanager.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @ParameterizedTest(name = "attempt {0} -> {1} s before jitter")
    @CsvSource({"1,1", "2,2", "3,4", "4,8", "5,16", "6,32", "7,32", "8,32", "9,32", "10,32", "11,32", "12,32"})
    void delayIsExponentialCappedAt32TimesBasePlusJitter(int attempt, long expectedSeconds) {
        Duration floor = Duration.ofSeconds(expectedSeconds);

        assertEquals(floor, Backoff.delayFor(attempt, 0.0, SECOND, SECOND), "random 0 adds no jitter");
        assertEquals(floor.plusMillis(500), Backoff.delayFor(attempt, 0.5, SECOND, SECOND));
        Duration highest = Backoff.delayFor(attempt, 0.999_999, SECOND, SECOND);
        assertTrue(highest.compareTo(floor.plus(SECOND)) < 0, "jitter stays below one unit: " + highest);
        assertTrue(highest.compareTo(floor.plusMillis(999)) > 0, "jitter reaches almost one unit: " + highest);
    }

    @Test
    void scalesWithConfiguredBaseAndJitter() {
        Duration base = Duration.ofMillis(5);
        Duration jitter = Duration.ofMillis(10);
        assertEquals(Duration.ofMillis(5), Backoff.delayFor(1, 0.0, base, jitter));
        assertEquals(Duration.ofMillis(20 + 5), Backoff.delayFor(3, 0.5, base, jitter));
        assertEquals(Duration.ofMillis(160), Backoff.delayFor(12, 0.0, base, jitter));
    }

    @Test
    void outOfRangeRandomIsClamped() {
        assertEquals(Duration.ofSeconds(2), Backoff.delayFor(1, 7.0, SECOND, SECOND));
        assertEquals(SECOND, Backoff.delayFor(1, -3.0, SECOND, SECOND));
    }

    @Test
    void attemptsStartAtOne() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.delayFor(0, 0.0, SECOND, SECOND));
    }

    @Test
    void invalidSessionDelayStaysInsideRange() {
        Duration min = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(5);
        assertEquals(min, Backoff.invalidSessionDelay(0.0, min, max));
        assertEquals(Duration.ofSeconds(3), Backoff.invalidSessionDelay(0.5, min, max));
        assertEquals(max, Backoff.invalidSessionDelay(1.0, min, max));
    }
}
