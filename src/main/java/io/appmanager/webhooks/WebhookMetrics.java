package io.appmanager.webhooks;

import io.appmanager.webhooks.WebhookOutcome.CircuitOpen;
import io.appmanager.webhooks.WebhookOutcome.Failed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The dispatcher's meters. Tags come from closed vocabularies (kind, outcome, reason, state); the package
 * name is never a tag, so the series count does not grow with the number of apps. docs/operations.md lists them.
 */
final class WebhookMetrics {

    static final String LATENCY = "appmanager.webhook.latency";
    static final String CALLS = "appmanager.webhook.calls";
    static final String CIRCUITS = "appmanager.webhook.circuits";

    /** The reason tag of outcomes that have none, so every series of one name has the same tag keys. */
    static final String NO_REASON = "none";

    private final Map<String, Timer> timers = new HashMap<>();
    private final Map<String, Counter> counters = new HashMap<>();

    /** Registers every series at zero, so dashboards and alerts see them from the first scrape. */
    WebhookMetrics(MeterRegistry registry, WebhookCircuits<?> circuits) {
        for (String kind : WebhookCall.KINDS) {
            for (String outcome : new String[]{"accepted", "failed", "circuit_open"}) {
                timers.put(kind + '|' + outcome, Timer.builder(LATENCY)
                        .description("Time from sending a webhook to its outcome (near zero when the circuit is open)")
                        .tags("kind", kind, "outcome", outcome)
                        .publishPercentileHistogram()
                        .register(registry));
            }
            counter(registry, kind, "accepted", NO_REASON);
            counter(registry, kind, "circuit_open", NO_REASON);
            for (String reason : Failed.REASONS) {
                counter(registry, kind, "failed", reason);
            }
        }
        for (CircuitState state : CircuitState.values()) {
            Gauge.builder(CIRCUITS, circuits, c -> c.count(state))
                    .description("Apps whose webhook circuit breaker is in this state (apps never called are not counted)")
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    void record(String kind, WebhookOutcome outcome, Duration latency) {
        String name;
        String reason = NO_REASON;
        if (outcome instanceof Failed f) {
            name = "failed";
            reason = f.reason();
        } else if (outcome instanceof CircuitOpen) {
            name = "circuit_open";
        } else {
            name = "accepted";
        }
        timers.get(kind + '|' + name).record(latency);
        counters.get(kind + '|' + name + '|' + reason).increment();
    }

    private void counter(MeterRegistry registry, String kind, String outcome, String reason) {
        counters.put(kind + '|' + outcome + '|' + reason, Counter.builder(CALLS)
                .description("Webhook calls by outcome; reason is the failure reason, none otherwise")
                .tags("kind", kind, "outcome", outcome, "reason", reason)
                .register(registry));
    }
}
