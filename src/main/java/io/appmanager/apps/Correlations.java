package io.appmanager.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.apps.persistence.AppSessionRecord;
import io.appmanager.platform.ApiException;
import io.appmanager.platform.db.DbContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * REQUEST and its response. A pending correlation id lives on the app-session row (id -> expiry), so it
 * is held across reconnects and listed in READY; a different instance starts with none
 * ({@link AppSessions} drops them with DropPendingCorrelations).
 */
@ApplicationScoped
public class Correlations {

    /** What a REQUEST came to; the SDK gets it as request.accepted or request.rejected. */
    public record RequestOutcome(String correlationId, boolean accepted, String reason, Instant expiresAt) {
        public static RequestOutcome rejected(String correlationId, String reason) {
            return new RequestOutcome(correlationId, false, reason, null);
        }

        public Map<String, Object> toEvent() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("correlation_id", correlationId);
            if (accepted) {
                m.put("expires_at", expiresAt.toString());
            } else {
                m.put("reason", reason);
            }
            return m;
        }
    }

    private final AppSessionsConfig config;
    private final AppEvents events;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();

    public Correlations(AppSessionsConfig config, AppEvents events, Vertx vertx) {
        this.config = config;
        this.events = events;
        this.vertx = vertx;
    }

    private record Pending(AppSessionView session, RequestOutcome outcome) {
    }

    /**
     * Records a pending correlation id (held across reconnects until answered or expired) and publishes
     * the request to the package's platform topic. Only the connection accepted at {@code generation} may ask.
     */
    public Uni<RequestOutcome> request(UUID id, long generation, String correlationId, String type, JsonNode data) {
        Instant now = clock.instant();
        Instant expires = now.plus(config.correlationTtl());
        return DbContext.run(vertx, () -> Panache.withTransaction(() -> AppSessionRecord
                        .<AppSessionRecord>findById(id, LockModeType.PESSIMISTIC_WRITE)
                        .map(r -> record(r, generation, correlationId, now, expires))))
                .chain(p -> p.session() == null ? Uni.createFrom().item(p.outcome())
                        : events.request(p.session(), correlationId, type, data)
                        .replaceWith(p.outcome())
                        .onFailure().recoverWithItem(RequestOutcome.rejected(correlationId, "engine_unavailable")));
    }

    private Pending record(AppSessionRecord r, long generation, String correlationId, Instant now, Instant expires) {
        if (r == null || r.generation != generation || r.state != AppSessionState.RUNNING) {
            return new Pending(null, RequestOutcome.rejected(correlationId, "not_owner"));
        }
        pruneExpired(r, now);
        if (r.pendingCorrelations.containsKey(correlationId)) {
            return new Pending(null, RequestOutcome.rejected(correlationId, "duplicate_correlation_id"));
        }
        if (r.pendingCorrelations.size() >= config.maxPendingCorrelations()) {
            return new Pending(null, RequestOutcome.rejected(correlationId, "too_many_pending"));
        }
        Map<String, Long> pending = new LinkedHashMap<>(r.pendingCorrelations);
        pending.put(correlationId, expires.toEpochMilli());
        r.pendingCorrelations = pending;
        return new Pending(AppSessionView.of(r), new RequestOutcome(correlationId, true, null, expires));
    }

    /**
     * The platform answers a pending request: the id is no longer pending, and the response goes to the
     * app session's personal topic, so it reaches whatever connection the session has now (a parked one
     * keeps it for RESUME; an instance that IDENTIFYs again gets it after READY).
     */
    public Uni<AppSessionView> respond(UUID id, String correlationId, String type, JsonNode data) {
        Instant now = clock.instant();
        return DbContext.run(vertx, () -> Panache.withTransaction(() -> AppSessionRecord
                        .<AppSessionRecord>findById(id, LockModeType.PESSIMISTIC_WRITE)
                        .map(r -> answered(r, id, correlationId, now))))
                .call(view -> events.response(id, correlationId, type, data));
    }

    private static AppSessionView answered(AppSessionRecord r, UUID id, String correlationId, Instant now) {
        if (r == null) {
            throw AppSessions.notFound(id);
        }
        if (r.state.isTerminal() || r.state == AppSessionState.STOPPING) {
            throw new ApiException(409, "app_session_ended", "app session " + id + " is " + r.state, null);
        }
        Long expiry = r.pendingCorrelations.get(correlationId);
        if (expiry == null || expiry <= now.toEpochMilli()) {
            throw new ApiException(404, "unknown_correlation", "correlation id " + correlationId
                    + " is not pending on this app session (answered, expired, or dropped)", "correlation_id");
        }
        Map<String, Long> pending = new LinkedHashMap<>(r.pendingCorrelations);
        pending.remove(correlationId);
        r.pendingCorrelations = pending;
        return AppSessionView.of(r);
    }

    /** Drops ids whose time ran out; done whenever the row is written for another reason. */
    static void pruneExpired(AppSessionRecord r, Instant now) {
        long nowMs = now.toEpochMilli();
        if (r.pendingCorrelations.values().stream().anyMatch(expiry -> expiry <= nowMs)) {
            Map<String, Long> kept = new LinkedHashMap<>();
            r.pendingCorrelations.forEach((id, expiry) -> {
                if (expiry > nowMs) {
                    kept.put(id, expiry);
                }
            });
            r.pendingCorrelations = kept;
        }
    }
}
