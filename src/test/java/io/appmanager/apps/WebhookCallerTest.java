package io.appmanager.apps;

import io.appmanager.apps.LifecycleEffect.CallWebhook;
import io.appmanager.apps.LifecycleEffect.WebhookKind;
import io.appmanager.webhooks.WebhookOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** What a webhook's answer means to the lifecycle, and how each call is keyed for the app server. */
class WebhookCallerTest {

    private static AppSessionView view(long generation, Instant updated) {
        return new AppSessionView(UUID.fromString("00000000-0000-0000-0000-000000000001"), "com.example.a", "us-1",
                AppSessionState.RESURRECTING, generation, 1, null, false, null, null, List.of(), List.of(), null, null,
                updated, updated);
    }

    @Test
    void aSessionRequestAnswerBecomesAcceptedFailedOrCircuitOpen() {
        assertInstanceOf(LifecycleEvent.WebhookAccepted.class,
                WebhookCaller.meaning(WebhookKind.SESSION_REQUEST, new WebhookOutcome.Accepted(202, Duration.ZERO), false));
        LifecycleEvent failed = WebhookCaller.meaning(WebhookKind.SESSION_REQUEST,
                new WebhookOutcome.Failed("status_5xx", 503, "", Duration.ZERO), false);
        assertEquals(new LifecycleEvent.WebhookFailed("status_5xx"), failed);
        assertEquals(new LifecycleEvent.CircuitOpen(Duration.ofSeconds(7)), WebhookCaller.meaning(WebhookKind.SESSION_REQUEST,
                new WebhookOutcome.CircuitOpen(Duration.ofSeconds(7)), false));
    }

    @Test
    void aStopCompletesWhateverTheAppAnswers() {
        for (WebhookOutcome o : List.of(new WebhookOutcome.Accepted(200, Duration.ZERO),
                new WebhookOutcome.Failed("timeout", 0, "", Duration.ZERO), new WebhookOutcome.CircuitOpen(Duration.ZERO))) {
            assertInstanceOf(LifecycleEvent.StopCompleted.class, WebhookCaller.meaning(WebhookKind.STOP_REQUEST, o, false));
            assertInstanceOf(LifecycleEvent.StopCompleted.class, WebhookCaller.meaning(WebhookKind.STOP_REQUEST, o, true));
        }
    }

    @Test
    void sessionRequestsAreKeyedPerTransitionAndStopsPerSession() {
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        CallWebhook attempt1 = new CallWebhook(WebhookKind.SESSION_REQUEST, 1);
        String first = WebhookCaller.idempotencyKey(view(3, t), attempt1);
        // a forced resurrection restarts at attempt 1 in the same generation: a different transition, a different key
        assertNotEquals(first, WebhookCaller.idempotencyKey(view(3, t.plusMillis(5)), attempt1));
        assertNotEquals(first, WebhookCaller.idempotencyKey(view(3, t), new CallWebhook(WebhookKind.SESSION_REQUEST, 2)));
        CallWebhook stop = new CallWebhook(WebhookKind.STOP_REQUEST, 1);
        assertEquals(WebhookCaller.idempotencyKey(view(3, t), stop), WebhookCaller.idempotencyKey(view(4, t.plusSeconds(9)), stop));
    }

    @Test
    void pastTheHorizonAnOpenBreakerSpendsTheAttempt() {
        assertEquals(new LifecycleEvent.WebhookFailed(WebhookCaller.CIRCUIT_OPEN_PAST_HORIZON), WebhookCaller.meaning(
                WebhookKind.SESSION_REQUEST, new WebhookOutcome.CircuitOpen(Duration.ofSeconds(7)), true));
    }

    @Test
    void theHorizonIsCountedFromTheDropOrForAFailedStartFromTheStart() {
        LifecyclePolicy p = LifecyclePolicy.defaults();
        Instant start = Instant.parse("2026-11-24T10:00:00Z");
        Duration horizon = ResurrectionBackoff.horizon(p);
        AppSessionView neverRan = view(1, start);
        assertEquals(false, WebhookCaller.pastHorizon(neverRan, p, start.plus(horizon)));
        assertEquals(true, WebhookCaller.pastHorizon(neverRan, p, start.plus(horizon).plusMillis(1)));
        Instant dropped = start.plusSeconds(3600);
        AppSessionView droppedLater = new AppSessionView(neverRan.id(), "com.example.a", "us-1", AppSessionState.BACKOFF, 3, 4,
                dropped, false, null, null, List.of(), List.of(), null, null, start, dropped);
        assertEquals(false, WebhookCaller.pastHorizon(droppedLater, p, dropped.plus(horizon)), "counted from the drop");
        assertEquals(true, WebhookCaller.pastHorizon(droppedLater, p, dropped.plus(horizon).plusSeconds(1)));
    }
}
