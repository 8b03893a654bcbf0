package io.appmanager.apps;

import io.appmanager.apps.LifecycleEffect.CallWebhook;
import io.appmanager.apps.LifecycleEffect.CancelTimers;
import io.appmanager.apps.LifecycleEffect.CloseSocket;
import io.appmanager.apps.LifecycleEffect.DropPendingCorrelations;
import io.appmanager.apps.LifecycleEffect.NewGeneration;
import io.appmanager.apps.LifecycleEffect.RecordFalseResurrection;
import io.appmanager.apps.LifecycleEffect.RecordReconnect;
import io.appmanager.apps.LifecycleEffect.RecordResurrection;
import io.appmanager.apps.LifecycleEffect.RefuseConnection;
import io.appmanager.apps.LifecycleEffect.ScheduleTimer;
import io.appmanager.apps.LifecycleEffect.TimerKind;
import io.appmanager.apps.LifecycleEffect.WebhookKind;
import io.appmanager.apps.LifecycleEvent.CircuitOpen;
import io.appmanager.apps.LifecycleEvent.CloudRestarted;
import io.appmanager.apps.LifecycleEvent.ForceResurrection;
import io.appmanager.apps.LifecycleEvent.GraceExpired;
import io.appmanager.apps.LifecycleEvent.ResurrectionDue;
import io.appmanager.apps.LifecycleEvent.SdkAttached;
import io.appmanager.apps.LifecycleEvent.SocketClosed;
import io.appmanager.apps.LifecycleEvent.StartRequested;
import io.appmanager.apps.LifecycleEvent.StartTimedOut;
import io.appmanager.apps.LifecycleEvent.StopCompleted;
import io.appmanager.apps.LifecycleEvent.StopRequested;
import io.appmanager.apps.LifecycleEvent.WebhookAccepted;
import io.appmanager.apps.LifecycleEvent.WebhookFailed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

import static io.appmanager.apps.AppSessionState.BACKOFF;
import static io.appmanager.apps.AppSessionState.CONNECTING;
import static io.appmanager.apps.AppSessionState.DISCONNECTED;
import static io.appmanager.apps.AppSessionState.EVICTED;
import static io.appmanager.apps.AppSessionState.GRACE_PERIOD;
import static io.appmanager.apps.AppSessionState.RESURRECTING;
import static io.appmanager.apps.AppSessionState.STOPPED;
import static io.appmanager.apps.AppSessionState.STOPPING;

/**
 * The app-session lifecycle as one pure function: (snapshot, event) -> (snapshot, effects). No clock,
 * no randomness and no I/O of its own, so every rule in docs/lifecycle.md is a table row in
 * LifecycleTableTest. The caller persists the snapshot and carries the effects out in one
 * transaction per event, serialised per app session.
 */
public final class Lifecycle {

    private Lifecycle() {
    }

    /** A new app session: ask the app server for an instance and give it the start timeout to connect. */
    public static Transition start(LifecyclePolicy policy, Instant now) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(now, "now");
        AppSessionSnapshot fresh = new AppSessionSnapshot(CONNECTING, 1, 0, null, false);
        return Transition.applied(fresh,
                new CallWebhook(WebhookKind.SESSION_REQUEST, 1),
                new ScheduleTimer(TimerKind.START_TIMEOUT, now.plus(policy.startTimeout())),
                new NewGeneration());
    }

    /**
     * @param random source of [0, 1) for the backoff jitter; consulted only when a resurrection is scheduled
     */
    public static Transition apply(AppSessionSnapshot s, LifecycleEvent e, LifecyclePolicy p, Instant now,
                                   DoubleSupplier random) {
        Objects.requireNonNull(s, "snapshot");
        Objects.requireNonNull(e, "event");
        Objects.requireNonNull(p, "policy");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(random, "random");
        if (e instanceof StartRequested) {
            // an existing session is already started; a terminal one is never reused (start() makes a new one)
            return Transition.ignored(s);
        }
        if (e instanceof SdkAttached a) {
            return attached(s, a, now);
        }
        if (e instanceof SocketClosed) {
            return socketClosed(s, p, now);
        }
        if (e instanceof GraceExpired) {
            return graceExpired(s, p, now, random);
        }
        if (e instanceof ResurrectionDue) {
            return resurrectionDue(s, p);
        }
        if (e instanceof WebhookAccepted) {
            return webhookAccepted(s, p, now);
        }
        if (e instanceof WebhookFailed || e instanceof StartTimedOut) {
            return attemptFailed(s, p, now, random);
        }
        if (e instanceof CircuitOpen c) {
            return circuitOpen(s, c.retryAfter(), now);
        }
        if (e instanceof StopRequested) {
            return stopRequested(s);
        }
        if (e instanceof StopCompleted) {
            return stopCompleted(s);
        }
        if (e instanceof ForceResurrection) {
            return forceResurrection(s);
        }
        if (e instanceof CloudRestarted) {
            return cloudRestarted(s, p, now);
        }
        throw new IllegalArgumentException("no lifecycle rule for " + e.getClass().getName());
    }

    private static Transition attached(AppSessionSnapshot s, SdkAttached a, Instant now) {
        AttachPath path = a.path();
        return switch (s.state()) {
            case CONNECTING -> accept(s, a, List.of(), List.of());
            case RUNNING -> {
                // Fencing: the session has an owner. Only the owner itself (it says so with RESUME, token
                // or hint) may replace its socket; anyone else is refused, live socket seen or not, because
                // a close the caller has not reported yet does not make the owner gone.
                if (!path.claimsOriginalInstance()) {
                    yield refuse(s, AppCloseCodes.FENCED, AppCloseCodes.FENCED_REASON);
                }
                yield a.socketAlreadyLive()
                        ? Transition.applied(s.attached(), replaced(), new NewGeneration())
                        : Transition.applied(s.attached(), new NewGeneration());
            }
            case GRACE_PERIOD -> accept(s, a,
                    List.of(new RecordReconnect(path == AttachPath.NEW_INSTANCE ? AttachPath.INFERRED : path,
                            latencySinceDrop(s, now))),
                    List.of());
            case DISCONNECTED, BACKOFF -> {
                if (s.droppedAt() == null) {
                    // backing off a failed start: no instance ever ran, so nobody can be coming back
                    yield s.webhookAccepted() ? acceptResurrected(s, a) : accept(s, a, List.of(), List.of());
                }
                if (path.claimsOriginalInstance()) {
                    yield accept(s, a, originalReturned(s, path, now, s.webhookAccepted()), List.of());
                }
                if (s.webhookAccepted()) {
                    // the instance an accepted webhook started, arriving after its start timeout: still the one we asked for
                    yield acceptResurrected(s, a);
                }
                yield accept(s, a, List.of(new RecordReconnect(AttachPath.INFERRED, latencySinceDrop(s, now))), List.of());
            }
            case RESURRECTING -> s.droppedAt() == null || !path.claimsOriginalInstance()
                    ? acceptResurrected(s, a)
                    // the original beat the instance we asked for: take it, the late one is fenced off in RUNNING
                    : accept(s, a, originalReturned(s, path, now, true), List.of());
            case STOPPING, STOPPED -> refuse(s, AppCloseCodes.STOPPED, AppCloseCodes.STOPPED_REASON);
            case EVICTED -> refuse(s, AppCloseCodes.EVICTED, AppCloseCodes.EVICTED_REASON);
        };
    }

    private static Transition socketClosed(AppSessionSnapshot s, LifecyclePolicy p, Instant now) {
        return switch (s.state()) {
            // 1000/1001 from the SDK too: only a stop makes a close expected, and STOPPING ignores it
            case RUNNING -> Transition.applied(s.withState(GRACE_PERIOD).droppedAt(now),
                    new ScheduleTimer(TimerKind.GRACE, now.plus(p.reconnectGrace())));
            case CONNECTING, GRACE_PERIOD, DISCONNECTED, RESURRECTING, BACKOFF, STOPPING, STOPPED, EVICTED ->
                    Transition.ignored(s);
        };
    }

    private static Transition graceExpired(AppSessionSnapshot s, LifecyclePolicy p, Instant now, DoubleSupplier random) {
        return switch (s.state()) {
            case GRACE_PERIOD -> Transition.applied(s.withState(DISCONNECTED),
                    new ScheduleTimer(TimerKind.RESURRECTION, now.plus(ResurrectionBackoff.delay(1, p, random))));
            case CONNECTING, RUNNING, DISCONNECTED, RESURRECTING, BACKOFF, STOPPING, STOPPED, EVICTED ->
                    Transition.ignored(s);
        };
    }

    private static Transition resurrectionDue(AppSessionSnapshot s, LifecyclePolicy p) {
        return switch (s.state()) {
            case DISCONNECTED, BACKOFF -> {
                if (s.resurrectionAttempts() >= p.maxAttempts()) {
                    // only when maxAttempts was lowered after this timer was armed: honour the new horizon
                    yield Transition.applied(s.withState(EVICTED), evicted());
                }
                int attempt = s.resurrectionAttempts() + 1;
                yield Transition.applied(s.withState(RESURRECTING).withAttempts(attempt),
                        new CallWebhook(WebhookKind.SESSION_REQUEST, attempt),
                        new RecordResurrection(RecordResurrection.Outcome.ATTEMPTED));
            }
            case CONNECTING, RUNNING, GRACE_PERIOD, RESURRECTING, STOPPING, STOPPED, EVICTED -> Transition.ignored(s);
        };
    }

    private static Transition webhookAccepted(AppSessionSnapshot s, LifecyclePolicy p, Instant now) {
        return switch (s.state()) {
            case RESURRECTING -> Transition.applied(s.withWebhookAccepted(),
                    new ScheduleTimer(TimerKind.START_TIMEOUT, now.plus(p.startTimeout())));
            // CONNECTING: the start timeout has run since the start request; acceptance changes nothing.
            // Elsewhere it is a late answer to a request that something overtook (the original came back, a stop).
            case CONNECTING, RUNNING, GRACE_PERIOD, DISCONNECTED, BACKOFF, STOPPING, STOPPED, EVICTED ->
                    Transition.ignored(s);
        };
    }

    private static Transition attemptFailed(AppSessionSnapshot s, LifecyclePolicy p, Instant now, DoubleSupplier random) {
        return switch (s.state()) {
            // a failed start spends attempt 1 of the horizon; it is not a resurrection, so no FAILED is recorded
            case CONNECTING -> afterSpending(s, 1, List.of(), p, now, random);
            case RESURRECTING -> afterSpending(s, s.resurrectionAttempts(),
                    List.of(new RecordResurrection(RecordResurrection.Outcome.FAILED)), p, now, random);
            case RUNNING, GRACE_PERIOD, DISCONNECTED, BACKOFF, STOPPING, STOPPED, EVICTED -> Transition.ignored(s);
        };
    }

    private static Transition afterSpending(AppSessionSnapshot s, int spent, List<LifecycleEffect> first,
                                            LifecyclePolicy p, Instant now, DoubleSupplier random) {
        List<LifecycleEffect> effects = new ArrayList<>(first);
        if (spent >= p.maxAttempts()) {
            effects.addAll(evicted());
            return Transition.applied(s.withState(EVICTED).withAttempts(spent), effects);
        }
        effects.add(new ScheduleTimer(TimerKind.RESURRECTION, now.plus(ResurrectionBackoff.delay(spent + 1, p, random))));
        return Transition.applied(s.withState(BACKOFF).withAttempts(spent), effects);
    }

    private static Transition circuitOpen(AppSessionSnapshot s, Duration retryAfter, Instant now) {
        ScheduleTimer probe = new ScheduleTimer(TimerKind.RESURRECTION, now.plus(retryAfter));
        return switch (s.state()) {
            case CONNECTING -> Transition.applied(s.withState(BACKOFF), probe);
            // the breaker refused, not the app: give back the attempt ResurrectionDue took, so it is retried under its number
            case RESURRECTING -> Transition.applied(
                    s.withState(BACKOFF).withAttempts(Math.max(0, s.resurrectionAttempts() - 1)), probe);
            case RUNNING, GRACE_PERIOD, DISCONNECTED, BACKOFF, STOPPING, STOPPED, EVICTED -> Transition.ignored(s);
        };
    }

    private static Transition stopRequested(AppSessionSnapshot s) {
        return switch (s.state()) {
            case CONNECTING, RUNNING, GRACE_PERIOD, DISCONNECTED, RESURRECTING, BACKOFF ->
                    Transition.applied(s.withState(STOPPING),
                            new CancelTimers(),
                            new CallWebhook(WebhookKind.STOP_REQUEST, 1),
                            new CloseSocket(AppCloseCodes.STOPPED, AppCloseCodes.STOPPED_REASON));
            // already stopping: the first request's webhook is under way; terminal sessions have nothing to stop
            case STOPPING, STOPPED, EVICTED -> Transition.ignored(s);
        };
    }

    private static Transition stopCompleted(AppSessionSnapshot s) {
        return switch (s.state()) {
            case STOPPING -> Transition.applied(s.withState(STOPPED));
            case CONNECTING, RUNNING, GRACE_PERIOD, DISCONNECTED, RESURRECTING, BACKOFF, STOPPED, EVICTED ->
                    Transition.ignored(s);
        };
    }

    private static Transition forceResurrection(AppSessionSnapshot s) {
        AppSessionSnapshot resurrecting = s.withState(RESURRECTING).withAttempts(1);
        CallWebhook webhook = new CallWebhook(WebhookKind.SESSION_REQUEST, 1);
        RecordResurrection attempted = new RecordResurrection(RecordResurrection.Outcome.ATTEMPTED);
        return switch (s.state()) {
            case GRACE_PERIOD, DISCONNECTED, BACKOFF ->
                    Transition.applied(resurrecting, new CancelTimers(), webhook, attempted);
            // an evicted session has no timer armed
            case EVICTED -> Transition.applied(resurrecting, webhook, attempted);
            // never resurrect a live, starting, already resurrecting or stopped app
            case CONNECTING, RUNNING, RESURRECTING, STOPPING, STOPPED -> Transition.ignored(s);
        };
    }

    private static Transition cloudRestarted(AppSessionSnapshot s, LifecyclePolicy p, Instant now) {
        return switch (s.state()) {
            // the socket died with the node; its SDK is reconnecting along with every other one of the node
            case RUNNING -> Transition.applied(s.withState(GRACE_PERIOD).droppedAt(now),
                    new ScheduleTimer(TimerKind.GRACE, now.plus(p.restartGrace())));
            case GRACE_PERIOD -> Transition.applied(s, new ScheduleTimer(TimerKind.GRACE, graceAfterRestart(s, p, now)));
            // the webhook's answer may have died with the node, and before an acceptance no timer is armed:
            // arm the start timeout so a lost answer becomes a failed attempt, not a session stuck for ever
            case RESURRECTING -> Transition.applied(s, new ScheduleTimer(TimerKind.START_TIMEOUT, now.plus(p.startTimeout())));
            // the stop_request may have died with the node; it is keyed per app session, so resending is safe
            case STOPPING -> Transition.applied(s, new CallWebhook(WebhookKind.STOP_REQUEST, 1));
            // CONNECTING, DISCONNECTED, BACKOFF: their timer is in PostgreSQL and still right
            case CONNECTING, DISCONNECTED, BACKOFF, STOPPED, EVICTED -> Transition.ignored(s);
        };
    }

    /**
     * Restart grace, never shortening the grace already running. The running deadline is at most
     * droppedAt + reconnectGrace (from the drop) or an earlier restart's now + restartGrace, which
     * this restart's now + restartGrace already covers.
     */
    private static Instant graceAfterRestart(AppSessionSnapshot s, LifecyclePolicy p, Instant now) {
        Instant restart = now.plus(p.restartGrace());
        if (s.droppedAt() == null) {
            return restart;
        }
        Instant fromDrop = s.droppedAt().plus(p.reconnectGrace());
        return fromDrop.isAfter(restart) ? fromDrop : restart;
    }

    /** The accepted connection owns the session from now on; a socket the caller still holds is closed first. */
    private static Transition accept(AppSessionSnapshot s, SdkAttached a, List<LifecycleEffect> records,
                                     List<LifecycleEffect> last) {
        List<LifecycleEffect> effects = new ArrayList<>();
        if (a.socketAlreadyLive()) {
            // outside RUNNING a live socket is one whose close has not been reported yet: make sure it goes
            effects.add(replaced());
        }
        effects.add(new CancelTimers());
        effects.addAll(records);
        effects.add(new NewGeneration());
        effects.addAll(last);
        return Transition.applied(s.attached(), effects);
    }

    private static Transition acceptResurrected(AppSessionSnapshot s, SdkAttached a) {
        return accept(s, a, List.of(new RecordResurrection(RecordResurrection.Outcome.SUCCEEDED)),
                List.of(new DropPendingCorrelations()));
    }

    private static List<LifecycleEffect> originalReturned(AppSessionSnapshot s, AttachPath path, Instant now,
                                                          boolean resurrectionWasUnderWay) {
        RecordReconnect reconnect = new RecordReconnect(path, latencySinceDrop(s, now));
        return resurrectionWasUnderWay ? List.of(reconnect, new RecordFalseResurrection()) : List.of(reconnect);
    }

    /** Never negative: droppedAt may have been stamped by another node whose clock runs ahead. */
    private static Duration latencySinceDrop(AppSessionSnapshot s, Instant now) {
        if (s.droppedAt() == null || s.droppedAt().isAfter(now)) {
            return Duration.ZERO;
        }
        return Duration.between(s.droppedAt(), now);
    }

    private static Transition refuse(AppSessionSnapshot s, int code, String reason) {
        return Transition.applied(s, new RefuseConnection(code, reason));
    }

    private static CloseSocket replaced() {
        return new CloseSocket(AppCloseCodes.REPLACED, AppCloseCodes.REPLACED_REASON);
    }

    private static List<LifecycleEffect> evicted() {
        return List.of(new CancelTimers(), new RecordResurrection(RecordResurrection.Outcome.EVICTED));
    }
}
