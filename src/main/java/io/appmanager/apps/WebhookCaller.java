package io.appmanager.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.apps.LifecycleEffect.CallWebhook;
import io.appmanager.apps.LifecycleEffect.WebhookKind;
import io.appmanager.gateway.GatewayConfig;
import io.appmanager.platform.db.DbContext;
import io.appmanager.webhooks.WebhookCall;
import io.appmanager.webhooks.WebhookDispatcher;
import io.appmanager.webhooks.WebhookOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Carries out CallWebhook: builds the session_request / stop_request body (docs/webhooks.md), signs
 * it with the app's secret through the dispatcher, and turns the answer into the lifecycle event it
 * means. A stop completes whatever the app answers: a stop does not wait for the app's consent.
 */
@ApplicationScoped
public class WebhookCaller {

    private static final Logger LOG = Logger.getLogger(WebhookCaller.class);

    private final AppDirectory directory;
    private final WebhookDispatcher dispatcher;
    private final ObjectMapper json;
    private final String websocketUrl;
    private final io.vertx.core.Vertx vertx;

    public WebhookCaller(AppDirectory directory, WebhookDispatcher dispatcher, ObjectMapper json,
                         AppSessionsConfig config, GatewayConfig gateway, io.vertx.core.Vertx vertx,
                         @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int httpPort) {
        this.vertx = vertx;
        this.directory = directory;
        this.dispatcher = dispatcher;
        this.json = json;
        String base = config.websocketUrl().or(gateway::publicUrl).orElse("ws://localhost:" + httpPort);
        this.websocketUrl = base.endsWith("/ws") || base.contains("/ws?") ? base
                : (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/ws?v=1&encoding=json";
    }

    /**
     * @param after    the session as committed by the transition that emitted the call
     * @param answered receives the event the answer means, with {@code after} to guard against overtaking
     */
    void call(AppSessionView after, CallWebhook call, BiConsumer<AppSessionView, LifecycleEvent> answered) {
        send(after, call).subscribe().with(
                event -> answered.accept(after, event),
                err -> {
                    // the dispatcher never fails; this is a bug or an app deleted meanwhile: fail the attempt, do not hang
                    LOG.errorf(err, "webhook for app session %s could not be sent", after.id());
                    answered.accept(after, call.kind() == WebhookKind.STOP_REQUEST
                            ? new LifecycleEvent.StopCompleted() : new LifecycleEvent.WebhookFailed("not_sent"));
                });
    }

    private record Prepared(WebhookCall call, LifecyclePolicy policy) {
    }

    private Uni<LifecycleEvent> send(AppSessionView s, CallWebhook call) {
        // read the app's URL and secret in a unit of work of their own: the transition's session is closed
        return DbContext.run(vertx, () -> directory.find(s.packageName()).chain(app -> {
                    if (app.isEmpty()) {
                        return Uni.createFrom().failure(new IllegalStateException("app " + s.packageName() + " is gone"));
                    }
                    return directory.webhookSecret(s.packageName()).map(secret -> new Prepared(new WebhookCall(
                            s.packageName(), app.get().webhookUrl(), secret, idempotencyKey(s, call),
                            kindName(call.kind()), body(s, call)), app.get().policy()));
                }))
                .chain(p -> dispatcher.send(p.call())
                        .map(outcome -> meaning(call.kind(), outcome, pastHorizon(s, p.policy(), Instant.now()))));
    }

    /**
     * Whether this outage has lasted longer than the whole resurrection horizon could. Past it, an open
     * breaker spends the attempt like any failure: otherwise the sessions of one dead app, sharing one
     * breaker that lets a single probe through per delay, would each wait for their turn and the
     * horizon would stretch with their number.
     */
    static boolean pastHorizon(AppSessionView s, LifecyclePolicy policy, Instant now) {
        Instant outageStart = s.droppedAt() != null ? s.droppedAt() : s.createdAt();
        return outageStart != null && java.time.Duration.between(outageStart, now).compareTo(ResurrectionBackoff.horizon(policy)) > 0;
    }

    static LifecycleEvent meaning(WebhookKind kind, WebhookOutcome outcome, boolean pastHorizon) {
        if (kind == WebhookKind.STOP_REQUEST) {
            return new LifecycleEvent.StopCompleted();
        }
        if (outcome instanceof WebhookOutcome.Accepted) {
            return new LifecycleEvent.WebhookAccepted();
        }
        if (outcome instanceof WebhookOutcome.CircuitOpen open) {
            return pastHorizon ? new LifecycleEvent.WebhookFailed(CIRCUIT_OPEN_PAST_HORIZON) : new LifecycleEvent.CircuitOpen(open.retryAfter());
        }
        return new LifecycleEvent.WebhookFailed(((WebhookOutcome.Failed) outcome).reason());
    }

    /** The history's reason when an open breaker counted as a failed attempt (see {@link #pastHorizon}). */
    static final String CIRCUIT_OPEN_PAST_HORIZON = "circuit_open_past_horizon";

    /**
     * A session_request is keyed by the transition that emitted it (generation, attempt and the moment it
     * was committed): a forced resurrection restarts at attempt 1 and must not look like a replay. A
     * stop_request is one delivery per app session, so a resend after a restart is deduplicated.
     */
    static String idempotencyKey(AppSessionView s, CallWebhook call) {
        if (call.kind() == WebhookKind.STOP_REQUEST) {
            return s.id() + ":stop";
        }
        return s.id() + ":g" + s.generation() + ":a" + call.attempt() + ":" + s.updatedAt().toEpochMilli();
    }

    private byte[] body(AppSessionView s, CallWebhook call) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("type", kindName(call.kind()));
        b.put("app_session_id", s.id().toString());
        b.put("package_name", s.packageName());
        b.put("user_session_id", s.userSessionId());
        if (call.kind() == WebhookKind.SESSION_REQUEST) {
            b.put("reason", s.droppedAt() == null && s.state() == AppSessionState.CONNECTING ? "start" : "resurrection");
            b.put("attempt", call.attempt());
            b.put("websocket_url", websocketUrl);
        } else {
            b.put("reason", s.stopReason() == null ? "system_stop" : s.stopReason());
        }
        b.put("timestamp", Instant.now().toString());
        try {
            return json.writeValueAsBytes(b);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serialises", e);
        }
    }

    private static String kindName(WebhookKind kind) {
        return kind == WebhookKind.SESSION_REQUEST ? "session_request" : "stop_request";
    }
}
