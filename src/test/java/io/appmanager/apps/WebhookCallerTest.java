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
                WebhookCaller.meaning(WebhookKind.SESSION_REQUEST, new WebhookOutcome.Accepted(202, Duration.ZERO)));
        LifecycleEvent failed = WebhookCaller.meaning(WebhookKind.SESSION_REQUEST,
                new WebhookOutcome.Failed("status_5xx", 503, "", Duration.ZERO));
        assertEquals(new LifecycleEvent.WebhookFailed("status_5xx"), failed);
        assertEquals(new LifecycleEvent.CircuitOpen(Duration.ofSeconds(7)), WebhookCaller.meaning(WebhookKind.SESSION_REQUEST,
                new WebhookOutcome.CircuitOpen(Duration.ofSeconds(7))));
    }

    @Test
    void aStopCompletesWhateverTheAppAnswers() {
        for (WebhookOutcome o : List.of(new WebhookOutcome.Accepted(200, Duration.ZERO),
                new WebhookOutcome.Failed("timeout", 0, "", Duration.ZERO), new WebhookOutcome.CircuitOpen(Duration.ZERO))) {
            assertInstanceOf(LifecycleEvent.StopCompleted.class, WebhookCaller.meaning(WebhookKind.STOP_REQUEST, o));
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
}
