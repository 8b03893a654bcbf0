package io.appmanager.webhooks;

/** Refuses settings the dispatcher cannot work with, at startup, naming the property. */
final class WebhooksConfigCheck {

    private WebhooksConfigCheck() {
    }

    static void check(WebhooksConfig config) {
        WebhooksConfig.CircuitBreaker breaker = config.circuitBreaker();
        require(config.timeout().toMillis() >= 1 && config.timeout().toMillis() <= Integer.MAX_VALUE,
                "appmanager.webhooks.timeout must be between 1 ms and 24 days, was " + config.timeout());
        require(breaker.requestVolumeThreshold() >= 1,
                "appmanager.webhooks.circuit-breaker.request-volume-threshold must be at least 1, was "
                        + breaker.requestVolumeThreshold());
        require(breaker.failureRatio() > 0 && breaker.failureRatio() <= 1,
                "appmanager.webhooks.circuit-breaker.failure-ratio must be in (0, 1], was " + breaker.failureRatio());
        require(breaker.delay().toMillis() >= 1,
                "appmanager.webhooks.circuit-breaker.delay must be at least 1 ms, was " + breaker.delay());
        require(breaker.successThreshold() >= 1,
                "appmanager.webhooks.circuit-breaker.success-threshold must be at least 1, was "
                        + breaker.successThreshold());
        require(breaker.maxPackages() >= 1,
                "appmanager.webhooks.circuit-breaker.max-packages must be at least 1, was " + breaker.maxPackages());
        require(breaker.idleEviction().compareTo(breaker.delay().plus(config.timeout())) > 0,
                "appmanager.webhooks.circuit-breaker.idle-eviction must be longer than delay + timeout ("
                        + breaker.delay().plus(config.timeout()) + "), was " + breaker.idleEviction());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
