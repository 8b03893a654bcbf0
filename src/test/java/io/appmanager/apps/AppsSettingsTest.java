package io.appmanager.apps;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Startup checks of the app settings: a bad global policy or sealing key stops the service, naming the property. */
class AppsSettingsTest {

    private static final String KEY = "YXBwbWFuYWdlciB0ZXN0IGtleSwgcHVibGljISEhISE=";

    /** A hand-written AppsConfig with LifecyclePolicy's defaults, then changed by the test. */
    private static final class Config implements AppsConfig, AppsConfig.Lifecycle {
        Duration reconnectGrace = LifecyclePolicy.DEFAULT_RECONNECT_GRACE;
        Duration restartGrace = LifecyclePolicy.DEFAULT_RESTART_GRACE;
        Duration startTimeout = LifecyclePolicy.DEFAULT_START_TIMEOUT;
        int maxAttempts = LifecyclePolicy.DEFAULT_MAX_ATTEMPTS;
        Duration baseDelay = LifecyclePolicy.DEFAULT_BASE_DELAY;
        Duration maxDelay = LifecyclePolicy.DEFAULT_MAX_DELAY;
        Duration firstAttemptJitter = LifecyclePolicy.DEFAULT_FIRST_ATTEMPT_JITTER;
        Optional<String> secretKey = Optional.of(KEY);

        @Override
        public Lifecycle lifecycle() {
            return this;
        }

        @Override
        public Optional<String> secretKey() {
            return secretKey;
        }

        @Override
        public Duration reconnectGrace() {
            return reconnectGrace;
        }

        @Override
        public Duration restartGrace() {
            return restartGrace;
        }

        @Override
        public Duration startTimeout() {
            return startTimeout;
        }

        @Override
        public int maxAttempts() {
            return maxAttempts;
        }

        @Override
        public Duration baseDelay() {
            return baseDelay;
        }

        @Override
        public Duration maxDelay() {
            return maxDelay;
        }

        @Override
        public Duration firstAttemptJitter() {
            return firstAttemptJitter;
        }
    }

    private static String refusal(Config c) {
        return assertThrows(IllegalStateException.class, () -> new AppsSettings(c)).getMessage();
    }

    @Test
    void defaultsMakeTheDefaultPolicy() {
        assertEquals(LifecyclePolicy.defaults(), new AppsSettings(new Config()).defaults());
    }

    @Test
    void configuredValuesMakeTheGlobalPolicy() {
        Config c = new Config();
        c.reconnectGrace = Duration.ofSeconds(8);
        c.maxAttempts = 3;
        LifecyclePolicy p = new AppsSettings(c).defaults();
        assertEquals(Duration.ofSeconds(8), p.reconnectGrace());
        assertEquals(3, p.maxAttempts());
        assertEquals(LifecyclePolicy.DEFAULT_START_TIMEOUT, p.startTimeout());
    }

    @Test
    void nonPositiveDurationIsRefusedNamingItsProperty() {
        Config c = new Config();
        c.restartGrace = Duration.ZERO;
        assertTrue(refusal(c).startsWith("invalid appmanager.apps.lifecycle.restart-grace: "), refusal(c));
        c = new Config();
        c.firstAttemptJitter = Duration.ofSeconds(-1);
        assertTrue(refusal(c).startsWith("invalid appmanager.apps.lifecycle.first-attempt-jitter: "), refusal(c));
    }

    @Test
    void zeroAttemptsAreRefusedNamingTheProperty() {
        Config c = new Config();
        c.maxAttempts = 0;
        assertTrue(refusal(c).startsWith("invalid appmanager.apps.lifecycle.max-attempts: "), refusal(c));
    }

    @Test
    void maxDelayBelowBaseDelayIsRefusedNamingMaxDelay() {
        Config c = new Config();
        c.baseDelay = Duration.ofSeconds(90);
        assertTrue(refusal(c).startsWith("invalid appmanager.apps.lifecycle.max-delay: "), refusal(c));
    }

    @Test
    void missingSealingKeyIsRefused() {
        Config c = new Config();
        c.secretKey = Optional.empty();
        assertTrue(refusal(c).contains("appmanager.apps.secret-key"), refusal(c));
    }
}
