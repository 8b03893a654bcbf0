package io.appmanager.gateway;

import io.appmanager.fanout.Hub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's meters. Tags are low-cardinality by construction: reasons and outcomes come from
 * fixed vocabularies, close codes from {@link CloseCodes}. docs/operations.md lists them.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class GatewayMetrics {

    /** Why a frame was refused; the {@code reason} tag of frames_rejected. */
    enum Rejection {
        too_large, undecodable, binary, unknown_op, not_authenticated, already_authenticated,
        rate_limited, invalid_payload
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final LongAdder lostWhileParked = new LongAdder();
    private final LongAdder lostOnExpiry = new LongAdder();

    public GatewayMetrics(MeterRegistry registry, SessionRegistry sessions, Hub hub) {
        this.registry = registry;
        Gauge.builder("appmanager.gateway.connections", sessions, SessionRegistry::connectionCount)
                .description("Open gateway sockets").register(registry);
        Gauge.builder("appmanager.gateway.sessions", sessions, SessionRegistry::liveCount)
                .tag("state", "live").description("Sessions by state").register(registry);
        Gauge.builder("appmanager.gateway.sessions", sessions, SessionRegistry::parkedCount)
                .tag("state", "parked").description("Sessions by state").register(registry);
        FunctionCounter.builder("appmanager.events.delivered", hub, Hub::deliveredCount)
                .description("Event deliveries to sessions (one per session per event)").register(registry);
        FunctionCounter.builder("appmanager.events.dropped", lostWhileParked, LongAdder::sum)
                .tag("reason", "replay_overflow")
                .description("Events a parked session's replay log evicted before the client got them")
                .register(registry);
        FunctionCounter.builder("appmanager.events.dropped", lostOnExpiry, LongAdder::sum)
                .tag("reason", "session_expired")
                .description("Events a session never got because it was not resumed in time")
                .register(registry);
        FunctionCounter.builder("appmanager.events.unrouted", hub, Hub::undeliverableCount)
                .description("Published events that matched no session on this node").register(registry);
        // Registered at zero so dashboards and alerts see every series from the first scrape.
        for (Rejection r : Rejection.values()) {
            counter("appmanager.gateway.frames.rejected", "reason", r.name());
        }
        counter("appmanager.gateway.slow_consumer.closes", null, null);
        counter("appmanager.gateway.identifies", null, null);
        counter("appmanager.gateway.resumes", "outcome", "resumed");
        counter("appmanager.gateway.replayed.events", null, null);
        counter("appmanager.gateway.sessions.expired", null, null);
        counter("appmanager.gateway.sessions.moved", "direction", "in");
        counter("appmanager.gateway.sessions.moved", "direction", "out");
    }

    /** A session another node held was rebuilt here for a RESUME. */
    void adopted() {
        counter("appmanager.gateway.sessions.moved", "direction", "in").increment();
    }

    /** Another node resumed a session this node held. */
    void handedOver() {
        counter("appmanager.gateway.sessions.moved", "direction", "out").increment();
    }

    /** Sessions add to this from the hub thread; a counter object, not a bean call, to keep delivery cheap. */
    LongAdder lostWhileParked() {
        return lostWhileParked;
    }

    void frameRejected(Rejection reason) {
        counter("appmanager.gateway.frames.rejected", "reason", reason.name()).increment();
    }

    void serverClose(CloseCodes code) {
        counter("appmanager.gateway.closes", "code", Integer.toString(code.code)).increment();
    }

    void slowConsumerClosed() {
        counter("appmanager.gateway.slow_consumer.closes", null, null).increment();
    }

    void identified() {
        counter("appmanager.gateway.identifies", null, null).increment();
    }

    void resumed(long replayedEvents) {
        counter("appmanager.gateway.resumes", "outcome", "resumed").increment();
        counter("appmanager.gateway.replayed.events", null, null).increment(replayedEvents);
    }

    void resumeRefused(String reason) {
        counter("appmanager.gateway.resumes", "outcome", reason).increment();
    }

    void sessionExpired(long missedEvents) {
        counter("appmanager.gateway.sessions.expired", null, null).increment();
        lostOnExpiry.add(missedEvents);
    }

    private Counter counter(String name, String tag, String value) {
        String key = name + '|' + value;
        return counters.computeIfAbsent(key, k -> {
            Counter.Builder b = Counter.builder(name);
            if (tag != null) {
                b.tag(tag, value);
            }
            return b.register(registry);
        });
    }
}
