package io.appmanager.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What became of one {@link WebhookCall}. Maps one to one onto the lifecycle's events: Accepted to
 * WebhookAccepted, Failed to WebhookFailed(reason), CircuitOpen to CircuitOpen(retryAfter).
 */
public sealed interface WebhookOutcome {

    /** The app server answered 2xx. */
    record Accepted(int status, Duration latency) implements WebhookOutcome {
        public Accepted {
            Objects.requireNonNull(latency, "latency");
        }
    }

    /**
     * The POST was made and did not end in a 2xx.
     *
     * @param reason a fixed low-cardinality word, one of {@link #REASONS}; a metrics tag and the history's reason
     * @param status the HTTP status, 0 when there was no HTTP answer
     * @param detail for people: the status with the start of the body, the Location of a redirect, or the error
     */
    record Failed(String reason, int status, String detail, Duration latency) implements WebhookOutcome {

        public static final String STATUS_4XX = "status_4xx";
        public static final String STATUS_5XX = "status_5xx";
        public static final String TIMEOUT = "timeout";
        public static final String CONNECTION_REFUSED = "connection_refused";
        public static final String CONNECTION_ERROR = "connection_error";
        public static final String REDIRECT = "redirect";
        public static final String INVALID_RESPONSE = "invalid_response";

        /** Every reason there is; metrics register a series for each at start. */
        public static final List<String> REASONS = List.of(STATUS_4XX, STATUS_5XX, TIMEOUT, CONNECTION_REFUSED,
                CONNECTION_ERROR, REDIRECT, INVALID_RESPONSE);

        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(latency, "latency");
            if (!REASONS.contains(reason)) {
                throw new IllegalArgumentException("reason must be one of " + REASONS + ", was " + reason);
            }
        }
    }

    /** The app's circuit breaker is open: no request was made. A probe may go through after retryAfter. */
    record CircuitOpen(Duration retryAfter) implements WebhookOutcome {
        public CircuitOpen {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
            }
        }
    }
}
