package io.appmanager.apps;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the app registry: the global lifecycle policy every app starts from (each app may
 * override any of it through the admin API) and the key that seals webhook secrets.
 * docs/operations.md lists every property; the defaults are {@link LifecyclePolicy}'s constants.
 */
@ConfigMapping(prefix = "appmanager.apps")
public interface AppsConfig {

    Lifecycle lifecycle();

    /**
     * Base64 of 32 random bytes: the AES-256-GCM key webhook secrets are sealed with
     * ({@code openssl rand -base64 32}). No default: the service refuses to start without one. The dev
     * and test profiles set public keys. Changing it makes every stored webhook secret unreadable.
     */
    Optional<String> secretKey();

    /** Global defaults; docs/lifecycle.md says why each is what it is. */
    interface Lifecycle {
        /** {@link LifecyclePolicy#DEFAULT_RECONNECT_GRACE}. */
        @WithDefault("6000ms")
        Duration reconnectGrace();

        /** {@link LifecyclePolicy#DEFAULT_RESTART_GRACE}. */
        @WithDefault("30s")
        Duration restartGrace();

        /** {@link LifecyclePolicy#DEFAULT_START_TIMEOUT}. */
        @WithDefault("30s")
        Duration startTimeout();

        /** {@link LifecyclePolicy#DEFAULT_MAX_ATTEMPTS}. */
        @WithDefault("10")
        int maxAttempts();

        /** {@link LifecyclePolicy#DEFAULT_BASE_DELAY}. */
        @WithDefault("2s")
        Duration baseDelay();

        /** {@link LifecyclePolicy#DEFAULT_MAX_DELAY}. */
        @WithDefault("60s")
        Duration maxDelay();

        /** {@link LifecyclePolicy#DEFAULT_FIRST_ATTEMPT_JITTER}. */
        @WithDefault("5s")
        Duration firstAttemptJitter();
    }
}
