package io.appmanager.apps;

import io.appmanager.apps.AttachClassifier.Classification;
import io.appmanager.apps.LifecycleEffect.CallWebhook;
import io.appmanager.apps.LifecycleEffect.CancelTimers;
import io.appmanager.apps.LifecycleEffect.CloseSocket;
import io.appmanager.apps.LifecycleEffect.DropPendingCorrelations;
import io.appmanager.apps.LifecycleEffect.NewGeneration;
import io.appmanager.apps.LifecycleEffect.RecordFalseResurrection;
import io.appmanager.apps.LifecycleEffect.RecordReconnect;
import io.appmanager.apps.LifecycleEffect.RecordResurrection;
import io.appmanager.apps.LifecycleEffect.RecordResurrection.Outcome;
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
import io.appmanager.apps.LifecycleEvent.StartTimedOut;
import io.appmanager.apps.LifecycleEvent.StopCompleted;
import io.appmanager.apps.LifecycleEvent.StopRequested;
import io.appmanager.apps.LifecycleEvent.WebhookAccepted;
import io.appmanager.apps.LifecycleEvent.WebhookFailed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.appmanager.apps.AppSessionState.BACKOFF;
import static io.appmanager.apps.AppSessionState.DISCONNECTED;
import static io.appmanager.apps.AppSessionState.EVICTED;
import static io.appmanager.apps.AppSessionState.GRACE_PERIOD;
import static io.appmanager.apps.AppSessionState.RESURRECTING;
import static io.appmanager.apps.AppSessionState.RUNNING;
import static io.appmanager.apps.AppSessionState.STOPPED;
import static io.appmanager.apps.AppSessionState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed-004 scenarios and the MentraOS failures, walked event by event through {@link Lifecycle}
 * by a caller that does what docs/lifecycle.md asks: one timer slot per session, effects in order.
 */
class LifecycleScenariosTest {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final LifecyclePolicy POLICY = LifecyclePolicy.defaults();

    /** A minimal, faithful caller: persists the snapshot, keeps the one timer slot, logs every effect. */
    static final class Caller {
        AppSessionSnapshot session;
        Instant now;
        double random;
        ScheduleTimer armed;
        final List<LifecycleEffect> log = new ArrayList<>();
        Transition last;

        Caller(Instant now, double random) {
            this.now = now;
            this.random = random;
            carryOut(Lifecycle.start(POLICY, now));
        }

        Transition on(LifecycleEvent event) {
            return carryOut(Lifecycle.apply(session, event, POLICY, now, () -> random));
        }

        Transition carryOut(Transition t) {
            session = t.next();
            for (LifecycleEffect effect : t.effects()) {
                if (effect instanceof ScheduleTimer s) {
                    armed = s;
                } else if (effect instanceof CancelTimers) {
                    armed = null;
                }
            }
            log.addAll(t.effects());
            last = t;
            return t;
        }

        void after(Duration d) {
            now = now.plus(d);
        }

        /** Advances the clock to the armed timer and fires it, exactly once. */
        Transition fireTimer() {
            assertNotNull(armed, "no timer armed in " + session);
            ScheduleTimer firing = armed;
            armed = null;
            now = firing.at();
            return on(switch (firing.kind()) {
                case GRACE -> new LifecycleEvent.GraceExpired();
                case RESURRECTION -> new ResurrectionDue();
                case START_TIMEOUT -> new StartTimedOut();
            });
        }

        /** Attaches through the classifier, the way the gateway will. */
        Transition connect(boolean hint, Optional<Long> token, boolean isResume, boolean live) {
            Classification c = AttachClassifier.classify(session.state(), hint, token, session.generation(), isResume);
            Classification.Path path = assertInstanceOf(Classification.Path.class, c);
            return on(new SdkAttached(path.path(), live));
        }

        long count(LifecycleEffect effect) {
            return log.stream().filter(effect::equals).count();
        }

        long sessionRequests() {
            return log.stream().filter(e -> e instanceof CallWebhook w && w.kind() == WebhookKind.SESSION_REQUEST).count();
        }
    }

    /** Started, webhook answered, SDK connected: the state every scenario begins from. */
    static Caller runningApp(double random) {
        Caller app = new Caller(T0, random);
        app.on(new SdkAttached(AttachPath.NEW_INSTANCE, false));
        assertEquals(RUNNING, app.session.state());
        app.log.clear();
        return app;
    }

    @Test
    void transientDropWithinGraceIsAReconnectWithoutWebhook() {
        Caller app = runningApp(0.5);
        long generation = app.session.generation();
        app.on(new SocketClosed());
        assertEquals(GRACE_PERIOD, app.session.state());
        assertEquals(new ScheduleTimer(TimerKind.GRACE, app.now.plusMillis(6000)), app.armed);

        app.after(Duration.ofMillis(1200));
        // an SDK without the hint, within grace: inferred
        app.connect(false, Optional.empty(), false, false);

        assertEquals(RUNNING, app.session.state());
        assertNull(app.armed, "the grace timer is cancelled");
        assertEquals(List.of(new ScheduleTimer(TimerKind.GRACE, T0.plusMillis(6000)), new CancelTimers(),
                new RecordReconnect(AttachPath.INFERRED, Duration.ofMillis(1200)), new NewGeneration()), app.log);
        assertEquals(generation + 1, app.session.generation());
        assertEquals(0, app.sessionRequests());
        // the grace timer, had it fired anyway, changes nothing
        assertEquals(Transition.Outcome.IGNORED, app.on(new GraceExpired()).outcome());
    }

    @ParameterizedTest(name = "random {0}")
    @ValueSource(doubles = {0.0, 0.5, 0.999})
    void appServerRestartResurrectsAfterGraceWithinJitterBounds(double random) {
        Caller app = runningApp(random);
        Instant dropped = app.now;
        app.on(new SocketClosed());
        app.fireTimer();
        assertEquals(DISCONNECTED, app.session.state());
        assertEquals(0, app.sessionRequests(), "no webhook during grace");

        app.fireTimer();
        // first webhook: after 6 s of grace plus 0..5 s of jitter, exactly random x 5 s here
        Duration sinceDrop = Duration.between(dropped, app.now);
        assertTrue(sinceDrop.compareTo(Duration.ofSeconds(6)) >= 0 && sinceDrop.compareTo(Duration.ofSeconds(11)) < 0,
                "webhook " + sinceDrop + " after the drop");
        assertEquals(Duration.ofMillis(6000).plusNanos((long) (random * 5_000_000_000L)), sinceDrop);
        assertEquals(RESURRECTING, app.session.state());
        assertEquals(List.of(new CallWebhook(WebhookKind.SESSION_REQUEST, 1),
                new RecordResurrection(Outcome.ATTEMPTED)), app.last.effects());

        app.after(Duration.ofMillis(300));
        app.on(new WebhookAccepted());
        assertEquals(new ScheduleTimer(TimerKind.START_TIMEOUT, app.now.plusSeconds(30)), app.armed);

        // the restarted app server's fresh instance: no token, no hint
        app.after(Duration.ofSeconds(20));
        app.connect(false, Optional.empty(), false, false);
        assertEquals(RUNNING, app.session.state());
        assertEquals(List.of(new CancelTimers(), new RecordResurrection(Outcome.SUCCEEDED), new NewGeneration(),
                new DropPendingCorrelations()), app.last.effects());
        assertNull(app.armed);
        assertEquals(1, app.sessionRequests());
    }

    @ParameterizedTest(name = "random {0}")
    @ValueSource(doubles = {0.0, 0.999})
    void webhookDownBacksOffThenEvictsAfterMaxAttempts(double random) {
        Caller app = runningApp(random);
        app.on(new SocketClosed());
        app.fireTimer();
        Duration span = Duration.ZERO;
        for (int attempt = 1; attempt <= 10; attempt++) {
            Instant scheduledAt = app.now;
            Duration delay = Duration.between(scheduledAt, app.armed.at());
            Duration ceiling = Duration.ofSeconds(new long[]{5, 2, 4, 8, 16, 32, 60, 60, 60, 60}[attempt - 1]);
            assertFalse(delay.isNegative(), "attempt " + attempt);
            assertTrue(delay.compareTo(ceiling) < 0, "attempt " + attempt + " waited " + delay + ", cap " + ceiling);
            assertEquals((long) (random * ceiling.toNanos()), delay.toNanos(), "attempt " + attempt + " is full jitter");
            span = span.plus(delay);

            app.fireTimer();
            assertEquals(RESURRECTING, app.session.state());
            assertEquals(attempt, app.session.resurrectionAttempts());
            assertEquals(new CallWebhook(WebhookKind.SESSION_REQUEST, attempt), app.last.effects().get(0));

            app.after(Duration.ofSeconds(10));
            app.on(new WebhookFailed("HTTP 503"));
            assertEquals(attempt < 10 ? BACKOFF : EVICTED, app.session.state(), "after attempt " + attempt);
        }
        assertEquals(List.of(new RecordResurrection(Outcome.FAILED), new CancelTimers(),
                new RecordResurrection(Outcome.EVICTED)), app.last.effects());
        assertNull(app.armed, "nothing left to fire");
        assertEquals(10, app.count(new RecordResurrection(Outcome.ATTEMPTED)));
        assertEquals(10, app.count(new RecordResurrection(Outcome.FAILED)));
        assertEquals(1, app.count(new RecordResurrection(Outcome.EVICTED)));
        // the delays alone: 0 with random 0, just under 307 s with 0.999
        assertEquals((long) (random * 5e9) + (long) (random * 2e9) + (long) (random * 4e9) + (long) (random * 8e9)
                + (long) (random * 16e9) + (long) (random * 32e9) + 4 * (long) (random * 60e9), span.toNanos());
        // an evicted app is refused until started again
        assertEquals(List.of(new RefuseConnection(4018, "app session evicted; start it again")),
                app.on(new SdkAttached(AttachPath.TOKEN, false)).effects());
    }

    @Test
    void webhookBackBeforeTheHorizonEndsRecovers() {
        Caller app = runningApp(0.5);
        app.on(new SocketClosed());
        app.fireTimer();
        for (int attempt = 1; attempt <= 3; attempt++) {
            app.fireTimer();
            app.on(new WebhookFailed("connection refused"));
        }
        app.fireTimer();
        app.on(new WebhookAccepted());
        app.after(Duration.ofSeconds(25));
        app.connect(false, Optional.empty(), false, false);
        assertEquals(RUNNING, app.session.state());
        assertEquals(0, app.session.resurrectionAttempts(), "the next outage gets the whole horizon");
        assertEquals(1, app.count(new RecordResurrection(Outcome.SUCCEEDED)));
    }

    @Test
    void circuitOpenDoesNotSpendAnAttempt() {
        Caller app = runningApp(0.5);
        app.on(new SocketClosed());
        app.fireTimer();
        app.fireTimer();
        app.on(new WebhookFailed("HTTP 503"));
        app.fireTimer();
        assertEquals(2, app.session.resurrectionAttempts());

        app.on(new CircuitOpen(Duration.ofSeconds(20)));
        assertEquals(BACKOFF, app.session.state());
        assertEquals(1, app.session.resurrectionAttempts(), "the refused attempt is given back");
        assertEquals(new ScheduleTimer(TimerKind.RESURRECTION, app.now.plusSeconds(20)), app.armed,
                "the breaker's retry-after, not the backoff");
        assertEquals(List.of(new ScheduleTimer(TimerKind.RESURRECTION, app.now.plusSeconds(20))), app.last.effects(),
                "no FAILED: the app was never asked");

        app.fireTimer();
        // retried under the same number: the app never saw it
        assertEquals(new CallWebhook(WebhookKind.SESSION_REQUEST, 2), app.last.effects().get(0));
        assertEquals(2, app.session.resurrectionAttempts());
    }

    @Test
    void originalInstanceReturningDuringResurrectionIsAFalseResurrection() {
        Caller app = runningApp(0.5);
        long tokenGeneration = app.session.generation();
        Instant dropped = app.now;
        app.on(new SocketClosed());
        app.fireTimer();
        app.fireTimer();
        app.on(new WebhookAccepted());
        assertTrue(app.session.webhookAccepted());

        // the original was only cut off for longer than grace; it comes back with its token
        app.after(Duration.ofSeconds(4));
        app.connect(true, Optional.of(tokenGeneration), false, false);

        assertEquals(RUNNING, app.session.state());
        assertEquals(List.of(new CancelTimers(),
                new RecordReconnect(AttachPath.TOKEN, Duration.between(dropped, app.now)),
                new RecordFalseResurrection(), new NewGeneration()), app.last.effects());
        assertNull(app.armed, "the start timeout of the resurrection is cancelled");
        assertFalse(app.log.contains(new DropPendingCorrelations()), "the original keeps its pending requests");
    }

    @Test
    void lateResurrectedInstanceIsRefused() {
        Caller app = runningApp(0.5);
        long tokenGeneration = app.session.generation();
        app.on(new SocketClosed());
        app.fireTimer();
        app.fireTimer();
        app.connect(false, Optional.of(tokenGeneration), false, false);
        assertEquals(RUNNING, app.session.state());
        AppSessionSnapshot owned = app.session;

        // the webhook's answer and its instance arrive after the original took the session back
        assertEquals(Transition.Outcome.IGNORED, app.on(new WebhookAccepted()).outcome());
        Transition late = app.connect(false, Optional.empty(), false, true);
        assertEquals(List.of(new RefuseConnection(4016, "app session already has a live instance")), late.effects());
        assertEquals(owned, app.session);
        // and the refused socket's close is not the session's socket: the caller does not report it
    }

    @Test
    void staleTokenIsRefused() {
        Caller app = runningApp(0.5);
        long oldGeneration = app.session.generation();
        // the same instance reconnects over a half-open socket: takeover, the old socket is told 4015
        Transition takeover = app.connect(false, Optional.of(oldGeneration), false, true);
        assertEquals(List.of(new CloseSocket(4015, "replaced by a newer connection of this instance"),
                new NewGeneration()), takeover.effects());

        // something still holding the old token tries again, even by RESUME
        for (boolean resume : new boolean[]{false, true}) {
            Classification c = AttachClassifier.classify(app.session.state(), true, Optional.of(oldGeneration),
                    app.session.generation(), resume);
            Classification.StaleToken stale = assertInstanceOf(Classification.StaleToken.class, c);
            assertEquals(new Classification.StaleToken(oldGeneration, oldGeneration + 1), stale);
            assertEquals(4016, stale.refusal().code());
        }
    }

    @Test
    void cloudRestartGivesRestartGraceNotResurrection() {
        Caller app = runningApp(0.5);
        long tokenGeneration = app.session.generation();
        // our node restarts and finds the session RUNNING on itself
        app.after(Duration.ofSeconds(12));
        app.on(new CloudRestarted());
        assertEquals(GRACE_PERIOD, app.session.state());
        assertEquals(new ScheduleTimer(TimerKind.GRACE, app.now.plusSeconds(30)), app.armed);

        // SDKs on longer backoff steps come back well after the 6 s reconnect grace would have ended
        app.after(Duration.ofSeconds(20));
        app.connect(true, Optional.of(tokenGeneration), false, false);
        assertEquals(RUNNING, app.session.state());
        assertEquals(new RecordReconnect(AttachPath.TOKEN, Duration.ofSeconds(20)), app.last.effects().get(1));
        assertEquals(0, app.sessionRequests(), "zero webhooks on a cloud restart");
    }

    @Test
    void cloudRestartDuringGraceExtendsButNeverShortensIt() {
        Caller app = runningApp(0.5);
        app.on(new SocketClosed());
        app.after(Duration.ofSeconds(3));
        app.on(new CloudRestarted());
        assertEquals(new ScheduleTimer(TimerKind.GRACE, app.now.plusSeconds(30)), app.armed);
        app.fireTimer();
        assertEquals(DISCONNECTED, app.session.state(), "an SDK that never returns is still resurrected");
    }

    @Test
    void stoppedAppIsNeverResurrected() {
        Caller app = runningApp(0.5);
        app.on(new StopRequested("user_disabled"));
        assertEquals(STOPPING, app.session.state());
        assertEquals(List.of(new CancelTimers(), new CallWebhook(WebhookKind.STOP_REQUEST, 1),
                new CloseSocket(4017, "app stopped")), app.last.effects());

        // the SDK's close after our 4017 is expected: no grace, no resurrection
        assertEquals(Transition.Outcome.IGNORED, app.on(new SocketClosed()).outcome());
        assertEquals(List.of(new RefuseConnection(4017, "app stopped")),
                app.on(new SdkAttached(AttachPath.HINT, false)).effects());
        app.on(new StopCompleted());
        assertEquals(STOPPED, app.session.state());

        for (LifecycleEvent e : List.of(new SocketClosed(), new GraceExpired(), new ResurrectionDue(),
                new StartTimedOut(), new WebhookFailed("x"), new ForceResurrection(), new CloudRestarted())) {
            assertEquals(Transition.Outcome.IGNORED, app.on(e).outcome(), e.toString());
        }
        assertEquals(List.of(new RefuseConnection(4017, "app stopped")),
                app.on(new SdkAttached(AttachPath.TOKEN, true)).effects());
        assertEquals(STOPPED, app.session.state());
        assertEquals(0, app.sessionRequests());
    }

    @Test
    void aStartThatTimesOutKeepsTryingAndALateFirstInstanceIsJustTheStart() {
        Caller app = new Caller(T0, 0.5);
        app.fireTimer();
        assertEquals(BACKOFF, app.session.state());
        assertEquals(1, app.session.resurrectionAttempts(), "the start spent attempt 1");
        assertEquals(new ScheduleTimer(TimerKind.RESURRECTION, app.now.plusSeconds(1)), app.armed);
        assertFalse(app.log.contains(new RecordResurrection(Outcome.FAILED)), "a start is not a resurrection");

        app.after(Duration.ofMillis(500));
        app.connect(false, Optional.empty(), false, false);
        assertEquals(RUNNING, app.session.state());
        assertEquals(List.of(new CancelTimers(), new NewGeneration()), app.last.effects());
    }

    @Test
    void forcedResurrectionOfAnEvictedAppGetsAFreshHorizon() {
        Caller app = runningApp(0.0);
        app.on(new SocketClosed());
        app.fireTimer();
        for (int attempt = 1; attempt <= 10; attempt++) {
            app.fireTimer();
            app.on(new WebhookFailed("HTTP 500"));
        }
        assertEquals(EVICTED, app.session.state());
        app.on(new ForceResurrection());
        assertEquals(RESURRECTING, app.session.state());
        assertEquals(1, app.session.resurrectionAttempts());
        app.on(new WebhookFailed("HTTP 500"));
        assertEquals(BACKOFF, app.session.state(), "nine attempts left, not zero");
    }
}
