package io.appmanager.webhooks;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Settings the dispatcher cannot work with refuse startup, naming the property. */
class WebhookConfigCheckTest {

    record Breaker(int requestVolumeThreshold, double failureRatio, Duration delay, int successThreshold,
                   int maxPackages, Duration idleEviction) implements WebhooksConfig.CircuitBreaker {
    }

    record Config(Duration timeout, WebhooksConfig.CircuitBreaker circuitBreaker) implements WebhooksConfig {
    }

    static final Breaker DEFAULTS = new Breaker(4, 0.5, Duration.ofSeconds(30), 1, 10_000, Duration.ofMinutes(15));

    static String refusal(Duration timeout, Breaker breaker) {
        return assertThrows(IllegalStateException.class, () -> WebhooksConfigCheck.check(new Config(timeout, breaker)))
                .getMessage();
    }

    @Test
    void theDefaultsPass() {
        assertDoesNotThrow(() -> WebhooksConfigCheck.check(new Config(Duration.ofSeconds(10), DEFAULTS)));
    }

    @Test
    void eachBadSettingIsNamed() {
        Duration t = Duration.ofSeconds(10);
        assertEquals("appmanager.webhooks.timeout must be between 1 ms and 24 days, was PT0S", refusal(Duration.ZERO, DEFAULTS));
        assertEquals("appmanager.webhooks.circuit-breaker.request-volume-threshold must be at least 1, was 0",
                refusal(t, new Breaker(0, 0.5, Duration.ofSeconds(30), 1, 10_000, Duration.ofMinutes(15))));
        assertEquals("appmanager.webhooks.circuit-breaker.failure-ratio must be in (0, 1], was 1.5",
                refusal(t, new Breaker(4, 1.5, Duration.ofSeconds(30), 1, 10_000, Duration.ofMinutes(15))));
        assertEquals("appmanager.webhooks.circuit-breaker.failure-ratio must be in (0, 1], was 0.0",
                refusal(t, new Breaker(4, 0, Duration.ofSeconds(30), 1, 10_000, Duration.ofMinutes(15))));
        assertEquals("appmanager.webhooks.circuit-breaker.delay must be at least 1 ms, was PT0S",
                refusal(t, new Breaker(4, 0.5, Duration.ZERO, 1, 10_000, Duration.ofMinutes(15))));
        assertEquals("appmanager.webhooks.circuit-breaker.success-threshold must be at least 1, was 0",
                refusal(t, new Breaker(4, 0.5, Duration.ofSeconds(30), 0, 10_000, Duration.ofMinutes(15))));
        assertEquals("appmanager.webhooks.circuit-breaker.max-packages must be at least 1, was 0",
                refusal(t, new Breaker(4, 0.5, Duration.ofSeconds(30), 1, 0, Duration.ofMinutes(15))));
        assertEquals("appmanager.webhooks.circuit-breaker.idle-eviction must be longer than delay + timeout (PT40S), was PT30S",
                refusal(t, new Breaker(4, 0.5, Duration.ofSeconds(30), 1, 10_000, Duration.ofSeconds(30))));
    }
}
