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
import io.appmanager.apps.Transition.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.appmanager.apps.AppSessionState.BACKOFF;
import static io.appmanager.apps.AppSessionState.CONNECTING;
import static io.appmanager.apps.AppSessionState.DISCONNECTED;
import static io.appmanager.apps.AppSessionState.EVICTED;
import static io.appmanager.apps.AppSessionState.GRACE_PERIOD;
import static io.appmanager.apps.AppSessionState.RESURRECTING;
import static io.appmanager.apps.AppSessionState.RUNNING;
import static io.appmanager.apps.AppSessionState.STOPPED;
import static io.appmanager.apps.AppSessionState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every state x every event, written out by hand from the rules in docs/lifecycle.md: the expected
 * column never calls the code under test. Canonical rows cover each (state, event) cell once
 * (SdkAttached once per path and live flag); variant rows cover the snapshot details a rule
 * depends on (webhook accepted, no instance ever ran, horizon exhausted, policy changed).
 */
class LifecycleTableTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final LifecyclePolicy POLICY = LifecyclePolicy.defaults();
    /** Half of every ceiling, so each expected delay below is a round number. */
    static final double HALF = 0.5;

    /** One cell. {@code canonical} rows are the ones the coverage guard counts. */
    record Row(String name, boolean canonical, LifecyclePolicy policy, AppSessionSnapshot given, LifecycleEvent event,
               AppSessionSnapshot next, List<LifecycleEffect> effects, Outcome outcome) {
        @Override
        public String toString() {
            return name;
        }
    }

    // ---- events: one instance per type -------------------------------------------------------

    static final LifecycleEvent START = new StartRequested();
    static final LifecycleEvent CLOSED = new SocketClosed();
    static final LifecycleEvent GRACE_EXPIRED = new GraceExpired();
    static final LifecycleEvent DUE = new ResurrectionDue();
    static final LifecycleEvent ACCEPTED = new WebhookAccepted();
    static final LifecycleEvent FAILED = new WebhookFailed("HTTP 503");
    static final Duration RETRY_AFTER = Duration.ofSeconds(15);
    static final LifecycleEvent CIRCUIT = new CircuitOpen(RETRY_AFTER);
    static final LifecycleEvent TIMED_OUT = new StartTimedOut();
    static final LifecycleEvent STOP = new StopRequested("user_disabled");
    static final LifecycleEvent STOP_DONE = new StopCompleted();
    static final LifecycleEvent FORCE = new ForceResurrection();
    static final LifecycleEvent CLOUD = new CloudRestarted();

    static final List<AttachPath> ORIGINAL = List.of(AttachPath.RESUME, AttachPath.TOKEN, AttachPath.HINT);
    static final List<AttachPath> UNVOUCHED = List.of(AttachPath.INFERRED, AttachPath.NEW_INSTANCE);

    // ---- effects, spelled out ----------------------------------------------------------------

    static final LifecycleEffect CANCEL = new CancelTimers();
    static final LifecycleEffect NEW_GEN = new NewGeneration();
    static final LifecycleEffect DROP = new DropPendingCorrelations();
    static final LifecycleEffect FALSE_RES = new RecordFalseResurrection();
    static final LifecycleEffect REPLACED = new CloseSocket(4015, "replaced by a newer connection of this instance");
    static final LifecycleEffect REFUSE_FENCED = new RefuseConnection(4016, "app session already has a live instance");
    static final LifecycleEffect REFUSE_STOPPED = new RefuseConnection(4017, "app stopped");
    static final LifecycleEffect REFUSE_EVICTED = new RefuseConnection(4018, "app session evicted; start it again");
    static final List<LifecycleEffect> STOP_EFFECTS = List.of(CANCEL,
            new CallWebhook(WebhookKind.STOP_REQUEST, 1), new CloseSocket(4017, "app stopped"));

    static LifecycleEffect resurrection(RecordResurrection.Outcome o) {
        return new RecordResurrection(o);
    }

    static LifecycleEffect sessionRequest(int attempt) {
        return new CallWebhook(WebhookKind.SESSION_REQUEST, attempt);
    }

    static LifecycleEffect timer(TimerKind kind, Duration fromNow) {
        return new ScheduleTimer(kind, NOW.plus(fromNow));
    }

    static LifecycleEffect reconnect(AttachPath path, Duration latency) {
        return new RecordReconnect(path, latency);
    }

    static List<LifecycleEffect> list(LifecycleEffect... effects) {
        return List.of(effects);
    }

    /** The socket the caller still holds goes first, then the state's own effects. */
    static List<LifecycleEffect> closingLeftover(boolean live, List<LifecycleEffect> effects) {
        List<LifecycleEffect> all = new ArrayList<>();
        if (live) {
            all.add(REPLACED);
        }
        all.addAll(effects);
        return all;
    }

    static List<LifecycleEffect> resurrected(boolean live) {
        return closingLeftover(live, list(CANCEL, resurrection(RecordResurrection.Outcome.SUCCEEDED), NEW_GEN, DROP));
    }

    // ---- snapshots ---------------------------------------------------------------------------

    static AppSessionSnapshot snap(AppSessionState st, long gen, int attempts, Instant droppedAt, boolean accepted) {
        return new AppSessionSnapshot(st, gen, attempts, droppedAt, accepted);
    }

    static Instant ago(int seconds) {
        return NOW.minusSeconds(seconds);
    }

    static final AppSessionSnapshot C = snap(CONNECTING, 1, 0, null, false);
    static final AppSessionSnapshot R = snap(RUNNING, 5, 0, null, false);
    static final AppSessionSnapshot G = snap(GRACE_PERIOD, 5, 0, ago(2), false);
    static final AppSessionSnapshot D = snap(DISCONNECTED, 5, 0, ago(10), false);
    static final AppSessionSnapshot X = snap(RESURRECTING, 5, 2, ago(20), false);
    static final AppSessionSnapshot B = snap(BACKOFF, 5, 3, ago(40), false);
    static final AppSessionSnapshot S = snap(STOPPING, 5, 0, null, false);
    static final AppSessionSnapshot T = snap(STOPPED, 5, 0, null, false);
    static final AppSessionSnapshot E = snap(EVICTED, 5, 10, ago(300), true);

    static final AppSessionSnapshot RUNNING_GEN_2 = snap(RUNNING, 2, 0, null, false);
    static final AppSessionSnapshot RUNNING_GEN_6 = snap(RUNNING, 6, 0, null, false);

    // ---- the table ---------------------------------------------------------------------------

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        connecting(rows);
        running(rows);
        gracePeriod(rows);
        disconnected(rows);
        resurrecting(rows);
        backoff(rows);
        stopping(rows);
        stopped(rows);
        evicted(rows);
        variants(rows);
        return rows;
    }

    static Stream<Row> table() {
        return rows().stream();
    }

    private static void connecting(List<Row> rows) {
        ignored(rows, C, START, CLOSED, GRACE_EXPIRED, DUE, ACCEPTED, STOP_DONE, FORCE, CLOUD);
        for (AttachPath path : AttachPath.values()) {
            for (boolean live : new boolean[]{false, true}) {
                applied(rows, C, attach(path, live), RUNNING_GEN_2, closingLeftover(live, list(CANCEL, NEW_GEN)));
            }
        }
        // a failed start spends attempt 1; attempt 2 waits 0.5 x 2 s
        AppSessionSnapshot backingOff = snap(BACKOFF, 1, 1, null, false);
        applied(rows, C, FAILED, backingOff, list(timer(TimerKind.RESURRECTION, Duration.ofSeconds(1))));
        applied(rows, C, TIMED_OUT, backingOff, list(timer(TimerKind.RESURRECTION, Duration.ofSeconds(1))));
        applied(rows, C, CIRCUIT, snap(BACKOFF, 1, 0, null, false), list(timer(TimerKind.RESURRECTION, RETRY_AFTER)));
        applied(rows, C, STOP, snap(STOPPING, 1, 0, null, false), STOP_EFFECTS);
    }

    private static void running(List<Row> rows) {
        ignored(rows, R, START, GRACE_EXPIRED, DUE, ACCEPTED, FAILED, CIRCUIT, TIMED_OUT, STOP_DONE, FORCE);
        for (AttachPath path : ORIGINAL) {
            applied(rows, R, attach(path, true), RUNNING_GEN_6, list(REPLACED, NEW_GEN));
            applied(rows, R, attach(path, false), RUNNING_GEN_6, list(NEW_GEN));
        }
        for (AttachPath path : UNVOUCHED) {
            applied(rows, R, attach(path, true), R, list(REFUSE_FENCED));
            applied(rows, R, attach(path, false), R, list(REFUSE_FENCED));
        }
        applied(rows, R, CLOSED, snap(GRACE_PERIOD, 5, 0, NOW, false), list(timer(TimerKind.GRACE, Duration.ofSeconds(6))));
        applied(rows, R, STOP, snap(STOPPING, 5, 0, null, false), STOP_EFFECTS);
        applied(rows, R, CLOUD, snap(GRACE_PERIOD, 5, 0, NOW, false), list(timer(TimerKind.GRACE, Duration.ofSeconds(30))));
    }

    private static void gracePeriod(List<Row> rows) {
        ignored(rows, G, START, CLOSED, DUE, ACCEPTED, FAILED, CIRCUIT, TIMED_OUT, STOP_DONE);
        for (AttachPath path : AttachPath.values()) {
            AttachPath recorded = path == AttachPath.NEW_INSTANCE ? AttachPath.INFERRED : path;
            for (boolean live : new boolean[]{false, true}) {
                applied(rows, G, attach(path, live), RUNNING_GEN_6,
                        closingLeftover(live, list(CANCEL, reconnect(recorded, Duration.ofSeconds(2)), NEW_GEN)));
            }
        }
        // attempt 1 waits 0.5 x 5 s
        applied(rows, G, GRACE_EXPIRED, snap(DISCONNECTED, 5, 0, ago(2), false),
                list(timer(TimerKind.RESURRECTION, Duration.ofMillis(2500))));
        applied(rows, G, STOP, snap(STOPPING, 5, 0, ago(2), false), STOP_EFFECTS);
        applied(rows, G, FORCE, snap(RESURRECTING, 5, 1, ago(2), false),
                list(CANCEL, sessionRequest(1), resurrection(RecordResurrection.Outcome.ATTEMPTED)));
        applied(rows, G, CLOUD, G, list(timer(TimerKind.GRACE, Duration.ofSeconds(30))));
    }

    private static void disconnected(List<Row> rows) {
        ignored(rows, D, START, CLOSED, GRACE_EXPIRED, ACCEPTED, FAILED, CIRCUIT, TIMED_OUT, STOP_DONE, CLOUD);
        outageAttachRows(rows, D, Duration.ofSeconds(10));
        applied(rows, D, DUE, snap(RESURRECTING, 5, 1, ago(10), false),
                list(sessionRequest(1), resurrection(RecordResurrection.Outcome.ATTEMPTED)));
        applied(rows, D, STOP, snap(STOPPING, 5, 0, ago(10), false), STOP_EFFECTS);
        applied(rows, D, FORCE, snap(RESURRECTING, 5, 1, ago(10), false),
                list(CANCEL, sessionRequest(1), resurrection(RecordResurrection.Outcome.ATTEMPTED)));
    }

    /** DISCONNECTED and BACKOFF with no webhook accepted: whoever comes is the instance coming back. */
    private static void outageAttachRows(List<Row> rows, AppSessionSnapshot given, Duration latency) {
        for (boolean live : new boolean[]{false, true}) {
            for (AttachPath path : ORIGINAL) {
                applied(rows, given, attach(path, live), RUNNING_GEN_6,
                        closingLeftover(live, list(CANCEL, reconnect(path, latency), NEW_GEN)));
            }
            for (AttachPath path : UNVOUCHED) {
                applied(rows, given, attach(path, live), RUNNING_GEN_6,
                        closingLeftover(live, list(CANCEL, reconnect(AttachPath.INFERRED, latency), NEW_GEN)));
            }
        }
    }

    private static void resurrecting(List<Row> rows) {
        ignored(rows, X, START, CLOSED, GRACE_EXPIRED, DUE, STOP_DONE, FORCE);
        for (boolean live : new boolean[]{false, true}) {
            for (AttachPath path : UNVOUCHED) {
                applied(rows, X, attach(path, live), RUNNING_GEN_6, resurrected(live));
            }
            for (AttachPath path : ORIGINAL) {
                applied(rows, X, attach(path, live), RUNNING_GEN_6,
                        closingLeftover(live, list(CANCEL, reconnect(path, Duration.ofSeconds(20)), FALSE_RES, NEW_GEN)));
            }
        }
        applied(rows, X, ACCEPTED, snap(RESURRECTING, 5, 2, ago(20), true),
                list(timer(TimerKind.START_TIMEOUT, Duration.ofSeconds(30))));
        // attempt 3 waits 0.5 x 4 s
        List<LifecycleEffect> failed = list(resurrection(RecordResurrection.Outcome.FAILED),
                timer(TimerKind.RESURRECTION, Duration.ofSeconds(2)));
        applied(rows, X, FAILED, snap(BACKOFF, 5, 2, ago(20), false), failed);
        applied(rows, X, TIMED_OUT, snap(BACKOFF, 5, 2, ago(20), false), failed);
        applied(rows, X, CIRCUIT, snap(BACKOFF, 5, 1, ago(20), false), list(timer(TimerKind.RESURRECTION, RETRY_AFTER)));
        applied(rows, X, STOP, snap(STOPPING, 5, 2, ago(20), false), STOP_EFFECTS);
        applied(rows, X, CLOUD, X, list(timer(TimerKind.START_TIMEOUT, Duration.ofSeconds(30))));
    }

    private static void backoff(List<Row> rows) {
        ignored(rows, B, START, CLOSED, GRACE_EXPIRED, ACCEPTED, FAILED, CIRCUIT, TIMED_OUT, STOP_DONE, CLOUD);
        outageAttachRows(rows, B, Duration.ofSeconds(40));
        applied(rows, B, DUE, snap(RESURRECTING, 5, 4, ago(40), false),
                list(sessionRequest(4), resurrection(RecordResurrection.Outcome.ATTEMPTED)));
        applied(rows, B, STOP, snap(STOPPING, 5, 3, ago(40), false), STOP_EFFECTS);
        applied(rows, B, FORCE, snap(RESURRECTING, 5, 1, ago(40), false),
                list(CANCEL, sessionRequest(1), resurrection(RecordResurrection.Outcome.ATTEMPTED)));
    }

    private static void stopping(List<Row> rows) {
        ignored(rows, S, START, CLOSED, GRACE_EXPIRED, DUE, ACCEPTED, FAILED, CIRCUIT, TIMED_OUT, STOP, FORCE);
        for (AttachPath path : AttachPath.values()) {
            for (boolean live : new boolean[]{false, true}) {
                applied(rows, S, attach(path, live), S, list(REFUSE_STOPPED));
            }
        }
        applied(rows, S, STOP_DONE, snap(STOPPED, 5, 0, null, false), list());
        applied(rows, S, CLOUD, S, list(new CallWebhook(WebhookKind.STOP_REQUEST, 1)));
    }

    private static void stopped(List<Row> rows) {
        ignored(rows, T, START, CLOSED, GRACE_EXPIRED, DUE, ACCEPTED, FAILED, CIRCUIT, TIMED_OUT, STOP, STOP_DONE,
                FORCE, CLOUD);
        for (AttachPath path : AttachPath.values()) {
            for (boolean live : new boolean[]{false, true}) {
                applied(rows, T, attach(path, live), T, list(REFUSE_STOPPED));
            }
        }
    }

    private static void evicted(List<Row> rows) {
        ignored(rows, E, START, CLOSED, GRACE_EXPIRED, DUE, ACCEPTED, FAILED, CIRCUIT, TIMED_OUT, STOP, STOP_DONE,
                CLOUD);
        for (AttachPath path : AttachPath.values()) {
            for (boolean live : new boolean[]{false, true}) {
                applied(rows, E, attach(path, live), E, list(REFUSE_EVICTED));
            }
        }
        // a fresh horizon; the outage (droppedAt, accepted webhook) is still the same one
        applied(rows, E, FORCE, snap(RESURRECTING, 5, 1, ago(300), true),
                list(sessionRequest(1), resurrection(RecordResurrection.Outcome.ATTEMPTED)));
    }

    private static void variants(List<Row> rows) {
        // start failure when the horizon is a single attempt
        LifecyclePolicy oneAttempt = policy(1, POLICY.reconnectGrace());
        for (LifecycleEvent failure : List.of(FAILED, TIMED_OUT)) {
            variant(rows, "single-attempt horizon", oneAttempt, C, failure, snap(EVICTED, 1, 1, null, false),
                    list(CANCEL, resurrection(RecordResurrection.Outcome.EVICTED)));
        }

        // the 10th attempt fails: evicted
        AppSessionSnapshot lastAttempt = snap(RESURRECTING, 5, 10, ago(300), true);
        for (LifecycleEvent failure : List.of(FAILED, TIMED_OUT)) {
            variant(rows, "last attempt", POLICY, lastAttempt, failure, snap(EVICTED, 5, 10, ago(300), true),
                    list(resurrection(RecordResurrection.Outcome.FAILED), CANCEL,
                            resurrection(RecordResurrection.Outcome.EVICTED)));
        }
        variant(rows, "last attempt", POLICY, lastAttempt, CIRCUIT, snap(BACKOFF, 5, 9, ago(300), true),
                list(timer(TimerKind.RESURRECTION, RETRY_AFTER)));

        // a webhook was accepted in this outage: the original returning is a false resurrection either way
        AppSessionSnapshot acceptedX = snap(RESURRECTING, 5, 2, ago(20), true);
        variant(rows, "webhook accepted", POLICY, acceptedX, attach(AttachPath.NEW_INSTANCE, false), RUNNING_GEN_6,
                resurrected(false));
        variant(rows, "webhook accepted", POLICY, acceptedX, attach(AttachPath.TOKEN, false), RUNNING_GEN_6,
                list(CANCEL, reconnect(AttachPath.TOKEN, Duration.ofSeconds(20)), FALSE_RES, NEW_GEN));

        // retrying a failed start (no instance ever ran): whoever connects is the instance we asked for
        AppSessionSnapshot retryingStart = snap(RESURRECTING, 1, 2, null, true);
        for (AttachPath path : AttachPath.values()) {
            variant(rows, "retrying a failed start", POLICY, retryingStart, attach(path, false),
                    RUNNING_GEN_2, resurrected(false));
        }

        // BACKOFF after an accepted webhook whose instance missed its start timeout
        AppSessionSnapshot acceptedB = snap(BACKOFF, 5, 3, ago(40), true);
        for (boolean live : new boolean[]{false, true}) {
            for (AttachPath path : ORIGINAL) {
                variant(rows, "webhook accepted", POLICY, acceptedB, attach(path, live), RUNNING_GEN_6,
                        closingLeftover(live, list(CANCEL, reconnect(path, Duration.ofSeconds(40)), FALSE_RES, NEW_GEN)));
            }
            for (AttachPath path : UNVOUCHED) {
                variant(rows, "webhook accepted", POLICY, acceptedB, attach(path, live), RUNNING_GEN_6, resurrected(live));
            }
        }

        // BACKOFF after a failed start: a late first instance is just the start succeeding
        AppSessionSnapshot startBackoff = snap(BACKOFF, 1, 1, null, false);
        AppSessionSnapshot startBackoffAccepted = snap(BACKOFF, 1, 2, null, true);
        for (AttachPath path : AttachPath.values()) {
            variant(rows, "failed start", POLICY, startBackoff, attach(path, false), RUNNING_GEN_2, list(CANCEL, NEW_GEN));
            variant(rows, "failed start, retry accepted", POLICY, startBackoffAccepted, attach(path, false),
                    RUNNING_GEN_2, resurrected(false));
        }

        // the horizon shrank while the timer was armed
        variant(rows, "horizon exhausted", POLICY, snap(BACKOFF, 5, 10, ago(300), false), DUE,
                snap(EVICTED, 5, 10, ago(300), false), list(CANCEL, resurrection(RecordResurrection.Outcome.EVICTED)));
        variant(rows, "maxAttempts lowered to 3", policy(3, POLICY.reconnectGrace()), snap(BACKOFF, 5, 5, ago(60), false),
                DUE, snap(EVICTED, 5, 5, ago(60), false), list(CANCEL, resurrection(RecordResurrection.Outcome.EVICTED)));

        // restart grace never shortens a longer reconnect grace (per-app override of 40 s, dropped 2 s ago)
        variant(rows, "reconnect grace 40 s", policy(10, Duration.ofSeconds(40)), G, CLOUD, G,
                list(timer(TimerKind.GRACE, Duration.ofSeconds(38))));

        // droppedAt stamped by a node whose clock runs ahead: latency is zero, never negative
        AppSessionSnapshot skewed = snap(GRACE_PERIOD, 5, 0, NOW.plusSeconds(3), false);
        variant(rows, "clock skew", POLICY, skewed, attach(AttachPath.TOKEN, false), RUNNING_GEN_6,
                list(CANCEL, reconnect(AttachPath.TOKEN, Duration.ZERO), NEW_GEN));

        // the breaker refuses the first attempt of a forced resurrection: nothing spent
        variant(rows, "first attempt", POLICY, snap(RESURRECTING, 5, 1, ago(20), false), CIRCUIT,
                snap(BACKOFF, 5, 0, ago(20), false), list(timer(TimerKind.RESURRECTION, RETRY_AFTER)));
    }

    static LifecyclePolicy policy(int maxAttempts, Duration reconnectGrace) {
        return new LifecyclePolicy(reconnectGrace, POLICY.restartGrace(), POLICY.startTimeout(), maxAttempts,
                POLICY.baseDelay(), POLICY.maxDelay(), POLICY.firstAttemptJitter());
    }

    static SdkAttached attach(AttachPath path, boolean live) {
        return new SdkAttached(path, live);
    }

    private static void ignored(List<Row> rows, AppSessionSnapshot given, LifecycleEvent... events) {
        for (LifecycleEvent e : events) {
            rows.add(new Row(given.state() + " x " + key(e) + " -> IGNORED", true, POLICY, given, e, given, list(),
                    Outcome.IGNORED));
        }
    }

    private static void applied(List<Row> rows, AppSessionSnapshot given, LifecycleEvent e, AppSessionSnapshot next,
                                List<LifecycleEffect> effects) {
        rows.add(new Row(given.state() + " x " + key(e) + " -> " + next.state(), true, POLICY, given, e, next, effects,
                Outcome.APPLIED));
    }

    private static void variant(List<Row> rows, String what, LifecyclePolicy policy, AppSessionSnapshot given,
                                LifecycleEvent e, AppSessionSnapshot next, List<LifecycleEffect> effects) {
        rows.add(new Row(given.state() + " (" + what + ") x " + key(e) + " -> " + next.state(), false, policy, given, e,
                next, effects, Outcome.APPLIED));
    }

    /** The cell an event falls in: its type, and for SdkAttached also its path and live flag. */
    static String key(LifecycleEvent e) {
        if (e instanceof SdkAttached a) {
            return "SdkAttached(" + a.path() + (a.socketAlreadyLive() ? ", live)" : ")");
        }
        return e.getClass().getSimpleName();
    }

    static final DoubleSupplier HALF_RANDOM = () -> HALF;

    static Transition run(Row row) {
        return Lifecycle.apply(row.given(), row.event(), row.policy(), NOW, HALF_RANDOM);
    }

    // ---- the tests ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void everyCellDoesWhatTheTableSays(Row row) {
        Transition t = run(row);
        assertEquals(row.outcome(), t.outcome(), "outcome");
        assertEquals(row.next(), t.next(), "next snapshot");
        assertEquals(row.effects(), t.effects(), "effects");
    }

    /** Fails when a state or an event type (or an attach path) is added without rows for it. */
    @Test
    void theTableHasExactlyOneCanonicalRowPerStateAndEvent() {
        Set<String> expected = new TreeSet<>();
        for (AppSessionState state : AppSessionState.values()) {
            for (Class<?> type : LifecycleEvent.class.getPermittedSubclasses()) {
                if (type == SdkAttached.class) {
                    for (AttachPath path : AttachPath.values()) {
                        expected.add(state + " x " + key(attach(path, false)));
                        expected.add(state + " x " + key(attach(path, true)));
                    }
                } else {
                    expected.add(state + " x " + type.getSimpleName());
                }
            }
        }
        List<String> canonical = rows().stream().filter(Row::canonical)
                .map(r -> r.given().state() + " x " + key(r.event())).toList();
        Set<String> seen = new HashSet<>();
        List<String> duplicates = canonical.stream().filter(c -> !seen.add(c)).toList();
        assertEquals(List.of(), duplicates, "cells with two canonical rows");
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, "cells without a row");
        Set<String> unknown = new TreeSet<>(seen);
        unknown.removeAll(expected);
        assertEquals(Set.of(), unknown, "rows for cells that do not exist");
        // 9 states x (12 event types + SdkAttached x 5 paths x live or not)
        assertEquals(AppSessionState.values().length * (LifecycleEvent.class.getPermittedSubclasses().length - 1
                + 2 * AttachPath.values().length), canonical.size());
    }

    /** Every event type the table uses is one sample of each permitted record, and each is used. */
    @Test
    void theTableUsesEveryEventType() {
        Set<Class<?>> used = rows().stream().map(r -> r.event().getClass()).collect(Collectors.toSet());
        assertEquals(Set.of(LifecycleEvent.class.getPermittedSubclasses()), used);
    }

    // ---- invariants, over every row's input, on what the code actually does ------------------

    /** Runs a check on every row's actual transition; a failure names the row. */
    private static void forEveryRow(BiConsumer<Row, Transition> check) {
        assertAll(rows().stream().map(row -> () -> {
            try {
                check.accept(row, run(row));
            } catch (AssertionError e) {
                throw new AssertionError(row.name() + ": " + e.getMessage(), e);
            }
        }));
    }

    @Test
    void terminalStatesAreLeftOnlyByForcingAnEvictedSession() {
        forEveryRow((row, t) -> {
            if (row.given().state().isTerminal() && t.next().state() != row.given().state()) {
                assertEquals(EVICTED, row.given().state(), "left " + row.given().state());
                assertTrue(row.event() instanceof ForceResurrection, "EVICTED left on " + key(row.event()));
            }
            if (row.given().state() == STOPPED) {
                assertEquals(STOPPED, t.next().state());
            }
        });
    }

    @Test
    void aStoppingOrStoppedAppIsNeverAskedForAnInstance() {
        forEveryRow((row, t) -> {
            if (row.given().state() == STOPPING || row.given().state() == STOPPED) {
                assertFalse(t.effects().stream().anyMatch(f -> f instanceof CallWebhook w
                        && w.kind() == WebhookKind.SESSION_REQUEST), t.effects().toString());
            }
        });
    }

    @Test
    void atMostOneLiveSocket() {
        forEveryRow((row, t) -> {
            if (!(row.event() instanceof SdkAttached a)) {
                return;
            }
            if (row.given().state() == RUNNING && !a.path().claimsOriginalInstance()) {
                assertEquals(List.of(REFUSE_FENCED), t.effects(), "a second instance must be fenced off");
                assertEquals(row.given(), t.next());
            }
            boolean accepted = t.next().state() == RUNNING && t.effects().contains(NEW_GEN);
            if (accepted && a.socketAlreadyLive()) {
                assertEquals(REPLACED, t.effects().get(0), "the socket already held must be closed first");
            }
            if (!accepted) {
                assertTrue(t.effects().stream().anyMatch(f -> f instanceof RefuseConnection),
                        "an attach is either accepted or refused: " + t.effects());
            }
        });
    }

    @Test
    void ignoredMeansNothingChangedAndNothingToDo() {
        forEveryRow((row, t) -> {
            if (t.outcome() == Outcome.IGNORED) {
                assertEquals(row.given(), t.next());
                assertEquals(List.of(), t.effects());
            } else {
                assertFalse(t.next().equals(row.given()) && t.effects().isEmpty(), "APPLIED but nothing happened");
            }
        });
    }

    @Test
    void theGenerationMovesExactlyWhenANewGenerationIsAnnounced() {
        forEveryRow((row, t) -> {
            long bumps = t.effects().stream().filter(f -> f instanceof NewGeneration).count();
            assertTrue(bumps <= 1, "at most one bump per event");
            assertEquals(row.given().generation() + bumps, t.next().generation());
        });
    }

    @Test
    void everyWaitingStateIsEnteredWithItsTimerArmed() {
        forEveryRow((row, t) -> {
            List<ScheduleTimer> timers = t.effects().stream().filter(f -> f instanceof ScheduleTimer)
                    .map(f -> (ScheduleTimer) f).toList();
            assertTrue(timers.size() <= 1, "one timer slot per app session: " + timers);
            timers.forEach(timer -> assertFalse(timer.at().isBefore(NOW), "a timer in the past: " + timer));
            AppSessionState from = row.given().state();
            AppSessionState to = t.next().state();
            if (from != to) {
                TimerKind needed = switch (to) {
                    case GRACE_PERIOD -> TimerKind.GRACE;
                    case DISCONNECTED, BACKOFF -> TimerKind.RESURRECTION;
                    default -> null;
                };
                if (needed != null) {
                    assertEquals(1, timers.size(), to + " entered without its timer");
                    assertEquals(needed, timers.get(0).kind());
                }
                if (to == RUNNING || to.isTerminal() || to == STOPPING) {
                    assertTrue(t.effects().contains(CANCEL) || from == RUNNING || from == STOPPING,
                            "leaving " + from + " for " + to + " must disarm its timer: " + t.effects());
                }
            }
        });
    }

    @Test
    void runningStartsAFreshOutageLedger() {
        forEveryRow((row, t) -> {
            if (t.next().state() == RUNNING) {
                assertEquals(0, t.next().resurrectionAttempts());
                assertEquals(null, t.next().droppedAt());
                assertFalse(t.next().webhookAccepted());
            }
        });
    }

    @Test
    void attemptsStayWithinTheHorizonAndEveryAttemptCallsTheWebhook() {
        forEveryRow((row, t) -> {
            assertTrue(t.next().resurrectionAttempts() <= Math.max(row.policy().maxAttempts(), row.given().resurrectionAttempts()),
                    "attempts beyond the horizon: " + t.next());
            boolean attempted = t.effects().contains(resurrection(RecordResurrection.Outcome.ATTEMPTED));
            boolean called = t.effects().stream().anyMatch(f -> f instanceof CallWebhook w
                    && w.kind() == WebhookKind.SESSION_REQUEST && w.attempt() == t.next().resurrectionAttempts());
            assertEquals(attempted, called, "ATTEMPTED iff a session_request numbered like the attempt: " + t.effects());
            if (t.next().state() == EVICTED && row.given().state() != EVICTED) {
                List<LifecycleEffect> effects = t.effects();
                assertEquals(list(CANCEL, resurrection(RecordResurrection.Outcome.EVICTED)),
                        effects.subList(effects.size() - 2, effects.size()), "every eviction is counted");
            }
        });
    }

    @Test
    void startAsksForAnInstanceAndArmsTheStartTimeout() {
        Transition t = Lifecycle.start(POLICY, NOW);
        assertEquals(Outcome.APPLIED, t.outcome());
        assertEquals(snap(CONNECTING, 1, 0, null, false), t.next());
        assertEquals(list(sessionRequest(1), timer(TimerKind.START_TIMEOUT, Duration.ofSeconds(30)), NEW_GEN),
                t.effects());
    }

    @Test
    void theTableCoversEveryAttachPathInEveryState() {
        // a sanity check on the generator itself: 9 states x 5 paths x 2 live flags canonical attach rows
        long attachRows = rows().stream().filter(Row::canonical).filter(r -> r.event() instanceof SdkAttached).count();
        assertEquals(AppSessionState.values().length * AttachPath.values().length * 2L, attachRows);
        assertEquals(Arrays.stream(AppSessionState.values()).collect(Collectors.toSet()),
                rows().stream().map(r -> r.given().state()).collect(Collectors.toSet()));
    }
}
