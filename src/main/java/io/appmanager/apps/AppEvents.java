package io.appmanager.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.fanout.EncodedEvent;
import io.appmanager.fanout.FanoutEngine;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the app-session service says on the gateway, and on which topic: requests and dropped
 * correlations for the platform, responses for an app session's connection, transitions for
 * operator dashboards. Topic names live here and nowhere else.
 */
@ApplicationScoped
public class AppEvents {

    private static final Logger LOG = Logger.getLogger(AppEvents.class);

    /** The topic every applied transition is announced on, for operator dashboards (admin tokens subscribe to it). */
    public static final String ADMIN_TOPIC = "admin.app-sessions";

    private final FanoutEngine engine;
    private final ObjectMapper json;

    public AppEvents(FanoutEngine engine, ObjectMapper json) {
        this.engine = engine;
        this.json = json;
    }

    /** The platform topic a package's requests (and dropped-correlation notices) are published to. */
    public static String requestsTopic(String packageName) {
        return "apps." + packageName + ".requests";
    }

    /** The topic an app session's connection always hears: where responses to its requests arrive. */
    public static String personalTopic(UUID appSessionId) {
        return "user:as:" + appSessionId;
    }

    /** Best effort: the history in PostgreSQL is the record; a lost announcement only delays a live view. */
    void transition(AppSessionView s, AppSessionState from, LifecycleEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id().toString());
        m.put("package_name", s.packageName());
        m.put("user_session_id", s.userSessionId());
        m.put("from", from == null ? null : from.name());
        m.put("to", s.state().name());
        m.put("event", event.getClass().getSimpleName());
        m.put("generation", s.generation());
        m.put("at", s.updatedAt() == null ? null : s.updatedAt().toString());
        publish(ADMIN_TOPIC, "app_session.transition", m)
                .subscribe().with(ok -> { }, err -> LOG.debugf("transition of %s not announced: %s", s.id(), err));
    }

    /** A different instance took over: the platform learns which requests will never be answered to it. */
    void correlationsDropped(AppSessionView s, List<String> ids) {
        publish(requestsTopic(s.packageName()), "app.correlations.dropped",
                Map.of("app_session_id", s.id().toString(), "correlation_ids", ids))
                .subscribe().with(ok -> { }, err -> LOG.warnf("dropped correlations of %s not announced: %s", s.id(), err));
    }

    Uni<Void> request(AppSessionView s, String correlationId, String type, Object data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app_session_id", s.id().toString());
        m.put("package_name", s.packageName());
        m.put("user_session_id", s.userSessionId());
        m.put("correlation_id", correlationId);
        m.put("type", type);
        m.put("data", data);
        return publish(requestsTopic(s.packageName()), "app.request", m);
    }

    Uni<Void> response(UUID appSessionId, String correlationId, String type, Object data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("correlation_id", correlationId);
        m.put("type", type);
        m.put("data", data);
        return publish(personalTopic(appSessionId), "app.response", m);
    }

    private Uni<Void> publish(String topic, String type, Object data) {
        EncodedEvent event = EncodedEvent.encode(json, 0, type, List.of(topic), data);
        return Uni.createFrom().completionStage(() -> engine.publish(event)).replaceWithVoid();
    }
}
