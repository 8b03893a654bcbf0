package io.appmanager.apps;

import java.time.Duration;
import java.util.Objects;

/** Everything that can happen to an app session; {@link Lifecycle#apply} decides what it means in each state. */
public sealed interface LifecycleEvent {

    /** Start the app for a user session. Only {@link Lifecycle#start} acts on it: an existing session is already started. */
    record StartRequested() implements LifecycleEvent {
    }

    /**
     * An SDK connection authenticated for this app session (after {@link AttachClassifier} accepted its token).
     *
     * @param socketAlreadyLive the caller still holds another socket for this app session
     */
    record SdkAttached(AttachPath path, boolean socketAlreadyLive) implements LifecycleEvent {
        public SdkAttached {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * The socket currently attached to the session closed, whatever the code (1000/1001 included).
     * The caller drops closes of sockets it already replaced or refused: those are not this session's socket.
     */
    record SocketClosed() implements LifecycleEvent {
    }

    /** The GRACE timer fired. */
    record GraceExpired() implements LifecycleEvent {
    }

    /** The RESURRECTION timer fired. */
    record ResurrectionDue() implements LifecycleEvent {
    }

    /** The app server answered the session_request webhook with a 2xx. */
    record WebhookAccepted() implements LifecycleEvent {
    }

    /** The session_request webhook failed (non-2xx, timeout, connection refused); reason is for the history. */
    record WebhookFailed(String reason) implements LifecycleEvent {
        public WebhookFailed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The app's circuit breaker refused to send the webhook; it will let a probe through after retryAfter. */
    record CircuitOpen(Duration retryAfter) implements LifecycleEvent {
        public CircuitOpen {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
            }
        }
    }

    /** The START_TIMEOUT timer fired: no instance connected after a start or an accepted resurrection. */
    record StartTimedOut() implements LifecycleEvent {
    }

    /** Stop the app (user disabled it, system stop, error); reason goes into the stop_request. */
    record StopRequested(String reason) implements LifecycleEvent {
        public StopRequested {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The stop_request was delivered or given up on, and the socket is closed. */
    record StopCompleted() implements LifecycleEvent {
    }

    /** An admin asked for a resurrection now, with a fresh horizon. */
    record ForceResurrection() implements LifecycleEvent {
    }

    /**
     * The AppManager node that owned this session restarted (deploy or crash). Sent once per non-terminal
     * session the node owned, after its state is loaded from PostgreSQL.
     */
    record CloudRestarted() implements LifecycleEvent {
    }
}
