package io.appmanager.apps;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reconnect and resurrection meters dashboards read (reconnect success rate and latency,
 * resurrection rate, false-resurrection rate). Tags come from fixed vocabularies only: attach
 * paths, resurrection outcomes and states; never a package name or a session id.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class LifecycleMetrics {

    /** Upper end of the lateness histogram's buckets: the default resurrection horizon, rounded up. */
    private static final Duration TIMER_LATENESS_HORIZON = Duration.ofMinutes(5);

    private final Map<AttachPath, Counter> attempts = new EnumMap<>(AttachPath.class);
    private final Map<AttachPath, Counter> successes = new EnumMap<>(AttachPath.class);
    private final Map<LifecycleEffect.RecordResurrection.Outcome, Counter> resurrections =
            new EnumMap<>(LifecycleEffect.RecordResurrection.Outcome.class);
    private final Map<AppSessionState, AtomicLong> byState = new EnumMap<>(AppSessionState.class);
    private final Map<LifecycleEffect.TimerKind, Timer> timerLateness = new EnumMap<>(LifecycleEffect.TimerKind.class);
    private final Counter falseResurrections;
    private final Timer reconnectLatency;
    private final Counter leaseRenewalsFailed;
    private final Counter leaseLapses;
    private final Counter orphansAdopted;

    public LifecycleMetrics(MeterRegistry registry) {
        for (AttachPath p : reconnectPaths()) {
            String tag = p.name().toLowerCase(Locale.ROOT);
            attempts.put(p, Counter.builder("appmanager.app.reconnect.attempts").tag("path", tag)
                    .description("SDK connections that claimed (or were inferred) to be a reconnect").register(registry));
            successes.put(p, Counter.builder("appmanager.app.reconnect.successes").tag("path", tag)
                    .description("Reconnects accepted: the same instance is back").register(registry));
        }
        for (var o : LifecycleEffect.RecordResurrection.Outcome.values()) {
            resurrections.put(o, Counter.builder("appmanager.app.resurrections")
                    .tag("outcome", o.name().toLowerCase(Locale.ROOT))
                    .description("Resurrections through the app's webhook, by outcome").register(registry));
        }
        falseResurrections = Counter.builder("appmanager.app.false_resurrections")
                .description("The original instance came back after a resurrection was started for it").register(registry);
        reconnectLatency = Timer.builder("appmanager.app.reconnect.latency")
                .description("From the drop to the accepted reconnect (READY or RESUMED follows at once)")
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
        leaseRenewalsFailed = Counter.builder("appmanager.app.lease.renewals.failed")
                .description("Lease renewals of this node that could not reach PostgreSQL").register(registry);
        leaseLapses = Counter.builder("appmanager.app.lease.lapses")
                .description("Times this node found its own lease lapsed and stopped acting as owner").register(registry);
        orphansAdopted = Counter.builder("appmanager.app.orphans.adopted")
                .description("App sessions of dead nodes this node gave restart grace (CloudRestarted)").register(registry);
        for (LifecycleEffect.TimerKind k : LifecycleEffect.TimerKind.values()) {
            timerLateness.put(k, Timer.builder("appmanager.app.timer.lateness").tag("kind", k.name().toLowerCase(Locale.ROOT))
                    .description("How late a due app-session timer fired: commit of its transition minus its due time")
                    .publishPercentileHistogram()
                    .publishPercentiles(0.5, 0.99)
                    // buckets up to the default resurrection horizon (307 s): a timer later than that is an outage
                    // whatever its exact figure, and the 30 s default would put a stalled herd's tail in +Inf
                    .maximumExpectedValue(TIMER_LATENESS_HORIZON)
                    .register(registry));
        }
        for (AppSessionState s : AppSessionState.values()) {
            AtomicLong n = new AtomicLong();
            byState.put(s, n);
            Gauge.builder("appmanager.app.sessions", n, AtomicLong::get).tag("state", s.name().toLowerCase(Locale.ROOT))
                    .description("App sessions by state (all nodes, refreshed from PostgreSQL)").register(registry);
        }
    }

    /** The paths on which a connection counts as a reconnect attempt; NEW_INSTANCE is recorded as INFERRED. */
    static AttachPath[] reconnectPaths() {
        return new AttachPath[]{AttachPath.RESUME, AttachPath.TOKEN, AttachPath.HINT, AttachPath.INFERRED};
    }

    void reconnectAttempted(AttachPath path) {
        if (path != AttachPath.NEW_INSTANCE) {
            attempts.get(path).increment();
        }
    }

    void record(LifecycleEffect effect) {
        if (effect instanceof LifecycleEffect.RecordReconnect r) {
            successes.get(r.path()).increment();
            reconnectLatency.record(r.latency().isNegative() ? Duration.ZERO : r.latency());
        } else if (effect instanceof LifecycleEffect.RecordResurrection r) {
            resurrections.get(r.outcome()).increment();
        } else if (effect instanceof LifecycleEffect.RecordFalseResurrection) {
            falseResurrections.increment();
        }
    }

    /** A due timer's event was applied (its transition committed) {@code lateness} after its due time. */
    void timerFired(LifecycleEffect.TimerKind kind, Duration lateness) {
        // the claim selects timer_at <= now on this node's clock, so only another node's clock can make it negative
        timerLateness.get(kind).record(lateness.isNegative() ? Duration.ZERO : lateness);
    }

    void leaseRenewalFailed() {
        leaseRenewalsFailed.increment();
    }

    void leaseLapsed() {
        leaseLapses.increment();
    }

    void orphansAdopted(int n) {
        orphansAdopted.increment(n);
    }

    void sessionsByState(Map<AppSessionState, Long> counts) {
        byState.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L)));
    }
}
