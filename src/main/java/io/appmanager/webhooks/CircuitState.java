package io.appmanager.webhooks;

/** An app's webhook circuit breaker, as metrics and admin tools see it. */
public enum CircuitState {
    /** Requests go through; failures are counted in a rolling window. */
    CLOSED,
    /** Too many recent failures: requests are refused without being made until the delay has passed. */
    OPEN,
    /** The delay passed: the next request(s) go through as probes; success closes, failure reopens. */
    HALF_OPEN
}
