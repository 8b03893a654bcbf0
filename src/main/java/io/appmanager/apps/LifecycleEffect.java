package io.appmanager.apps;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the caller must carry out after a transition, in list order: timers live in PostgreSQL, webhooks
 * go through the dispatcher, sockets belong to the gateway, and the Record* effects feed the metrics.
 * {@link Lifecycle} never performs any of them itself.
 */
public sealed interface LifecycleEffect {

    enum TimerKind {
        GRACE, RESURRECTION, START_TIMEOUT
    }

    enum WebhookKind {
        SESSION_REQUEST, STOP_REQUEST
    }

    /**
     * Arm the session's timer to fire {@code kind} at {@code at}. An app session has at most one armed
     * timer: this replaces whatever was armed, so a timer from an earlier state can never fire into a later one.
     */
    record ScheduleTimer(TimerKind kind, Instant at) implements LifecycleEffect {
        public ScheduleTimer {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(at, "at");
        }
    }

    /** Disarm the session's timer, if one is armed. */
    record CancelTimers() implements LifecycleEffect {
    }

    /**
     * Send a webhook; {@code attempt} is the resurrection attempt it belongs to. Not an idempotency key by
     * itself: a forced resurrection starts again at 1 within the same outage, so key a session_request by
     * the transition that emitted it, and a stop_request by the app session (one stop per session, resent safely).
     */
    record CallWebhook(WebhookKind kind, int attempt) implements LifecycleEffect {
        public CallWebhook {
            Objects.requireNonNull(kind, "kind");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
            }
        }
    }

    /** Close the socket the session holds now (not the one attaching), if any. */
    record CloseSocket(int code, String reason) implements LifecycleEffect {
        public CloseSocket {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Refuse the connection that is attaching; the session keeps whatever socket it has. */
    record RefuseConnection(int code, String reason) implements LifecycleEffect {
        public RefuseConnection {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A reconnect succeeded; latency runs from the drop to this attach (READY/RESUMED follows at once). */
    record RecordReconnect(AttachPath path, Duration latency) implements LifecycleEffect {
        public RecordReconnect {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(latency, "latency");
        }
    }

    record RecordResurrection(Outcome outcome) implements LifecycleEffect {
        public enum Outcome {
            ATTEMPTED, SUCCEEDED, FAILED, EVICTED
        }

        public RecordResurrection {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** The original instance came back after a resurrection had been started for it: the webhook was not needed. */
    record RecordFalseResurrection() implements LifecycleEffect {
    }

    /**
     * The snapshot's generation went up by one: issue a reconnect token for the new generation. Every
     * token of an older generation is now stale and {@link AttachClassifier} refuses it.
     */
    record NewGeneration() implements LifecycleEffect {
    }

    /**
     * A different instance took over: it knows nothing of the old one's pending requests, so drop the
     * pending correlation ids and tell the platform which ones were dropped.
     */
    record DropPendingCorrelations() implements LifecycleEffect {
    }
}
