package io.appmanager.apps;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@link AppsConfig} checked once, at startup: the service does not start with a global policy the
 * lifecycle would refuse or without a usable sealing key, and every refusal names the property.
 */
@Startup
@ApplicationScoped
public class AppsSettings {

    static final String LIFECYCLE_PREFIX = "appmanager.apps.lifecycle.";

    private final LifecyclePolicy defaults;
    private final AppCredentials credentials;

    public AppsSettings(AppsConfig config) {
        this.defaults = globalPolicy(config.lifecycle());
        this.credentials = AppCredentials.withKey(config.secretKey());
    }

    /** The global policy: what an app without overrides runs on. */
    public LifecyclePolicy defaults() {
        return defaults;
    }

    public AppCredentials credentials() {
        return credentials;
    }

    static LifecyclePolicy globalPolicy(AppsConfig.Lifecycle c) {
        try {
            return new LifecyclePolicy(c.reconnectGrace(), c.restartGrace(), c.startTimeout(), c.maxAttempts(),
                    c.baseDelay(), c.maxDelay(), c.firstAttemptJitter());
        } catch (IllegalArgumentException e) {
            String property = PolicyField.blamedBy(e).map(f -> LIFECYCLE_PREFIX + f.property)
                    .orElse(LIFECYCLE_PREFIX + "*");
            throw new IllegalStateException("invalid " + property + ": " + e.getMessage(), e);
        }
    }
}
