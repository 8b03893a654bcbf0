package io.appmanager.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.apps.persistence.AppSessionRecord;
import io.appmanager.apps.persistence.AppSessionTransitionRecord;
import io.appmanager.auth.AdminAuth;
import io.appmanager.auth.BearerHeader;
import io.appmanager.auth.Principal;
import io.appmanager.auth.TokenVerifier;
import io.appmanager.platform.ApiException;
import io.appmanager.platform.db.DbContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Admin API for app sessions: start an app for a user session, stop it, force a resurrection, list
 * sessions and read one session's history. Thin: decisions are {@link AppSessions}' and the lifecycle's.
 */
@Path("/api/v1/app-sessions")
@Produces(MediaType.APPLICATION_JSON)
public class AppSessionsResource {

    /** The gateway's rule for what a user session id can be (it becomes part of a topic name). */
    private static final Pattern USER_SESSION = Pattern.compile("[A-Za-z0-9_.:@-]{1,100}");
    /** Stop reasons are a word for the webhook and the history, not prose. */
    private static final Pattern REASON = Pattern.compile("[a-z0-9_]{1,64}");
    private static final int MAX_LIMIT = 500;

    private final AppSessions sessions;
    private final AppSessionCounts counts;
    private final Correlations correlations;
    private final TokenVerifier tokens;
    private final Vertx vertx;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final int maxEventBytes;

    public AppSessionsResource(AppSessions sessions, AppSessionCounts counts, Correlations correlations,
                               TokenVerifier tokens, Vertx vertx, com.fasterxml.jackson.databind.ObjectMapper json,
                               io.appmanager.fanout.FanoutConfig fanout) {
        this.counts = counts;
        this.correlations = correlations;
        this.json = json;
        this.maxEventBytes = fanout.maxEventBytes();
        this.sessions = sessions;
        this.tokens = tokens;
        this.vertx = vertx;
    }

    /** What an app session looks like on the API. */
    public record SessionJson(String id, String package_name, String user_session_id, String state, long generation,
                              int resurrection_attempts, Instant dropped_at, boolean webhook_accepted, String timer,
                              Instant timer_at, List<String> subscriptions, List<String> pending_correlation_ids,
                              String owner_node, String stop_reason, Instant created_at, Instant updated_at) {
        static SessionJson of(AppSessionView v) {
            return new SessionJson(v.id().toString(), v.packageName(), v.userSessionId(), v.state().name(), v.generation(),
                    v.resurrectionAttempts(), v.droppedAt(), v.webhookAccepted(),
                    v.timerKind() == null ? null : v.timerKind().name(), v.timerAt(), v.subscriptions(),
                    v.pendingCorrelations(), v.ownerNode(), v.stopReason(), v.createdAt(), v.updatedAt());
        }
    }

    public record TransitionJson(long id, Instant at, String from, String to, String event, Map<String, Object> detail,
                                 String node) {
    }

    /** Starts an app for a user session: {@code {"package_name", "user_session_id"}}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> start(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, JsonNode body) {
        AdminAuth.requireAdmin(tokens, authorization);
        StartBody start = StartBody.parse(body);
        return sessions.start(start.packageName(), start.userSessionId()).map(started -> Response
                .status(started.created() ? 201 : 200)
                .entity(SessionJson.of(started.session())).build());
    }

    /**
     * How many app sessions are in each state (every state, zeros included), for the operator page:
     * {@code {"at", "package", "counts": {"CONNECTING": n, …}, "live": n, "total": n}}; {@code live} leaves out
     * STOPPED and EVICTED. {@code ?package=} counts one app's.
     */
    @GET
    @Path("/counts")
    public Uni<Map<String, Object>> counts(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                           @QueryParam("package") String packageName) {
        AdminAuth.requireAdmin(tokens, authorization);
        App.packageFilter(packageName);
        Instant at = Instant.now();
        return counts.count(packageName).map(c -> {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("at", at.toString());
            out.put("package", packageName);
            out.put("counts", c.byState()); // an EnumMap: lifecycle order, names as keys
            out.put("live", c.live());
            out.put("total", c.total());
            return out;
        });
    }

    @GET
    @Path("/{id}")
    public Uni<SessionJson> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        AdminAuth.requireAdmin(tokens, authorization);
        UUID uuid = uuid(id);
        return sessions.find(uuid).map(v -> SessionJson.of(v.orElseThrow(() -> AppSessions.notFound(uuid))));
    }

    @GET
    public Uni<Map<String, Object>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                         @QueryParam("state") String state, @QueryParam("package") String packageName,
                                         @QueryParam("limit") String limit) {
        AdminAuth.requireAdmin(tokens, authorization);
        AppSessionState filter = state == null ? null : state(state);
        int n = limit(limit);
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        if (filter != null) {
            q.append(" and state = :state");
            params.put("state", filter);
        }
        if (packageName != null) {
            q.append(" and packageName = :pkg");
            params.put("pkg", packageName);
        }
        q.append(" order by createdAt desc, id");
        return DbContext.run(vertx, () -> Panache.withSession(() -> AppSessionRecord.<AppSessionRecord>find(q.toString(), params)
                        .page(0, n).list()))
                .map(rows -> Map.of("data", rows.stream().map(r -> SessionJson.of(AppSessionView.of(r))).toList()));
    }

    @GET
    @Path("/{id}/transitions")
    public Uni<Map<String, Object>> history(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                            @PathParam("id") String id) {
        AdminAuth.requireAdmin(tokens, authorization);
        UUID uuid = uuid(id);
        return sessions.find(uuid).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().failure(AppSessions.notFound(uuid));
            }
            return DbContext.run(vertx, () -> Panache.withSession(() -> AppSessionTransitionRecord
                            .<AppSessionTransitionRecord>find("appSessionId = ?1 order by id", uuid).list()))
                    .map(rows -> Map.<String, Object>of("data", rows.stream().map(h -> new TransitionJson(h.id, h.at,
                            h.fromState, h.toState, h.event, h.detail, h.node)).toList()));
        });
    }

    @POST
    @Path("/{id}/stop")
    public Uni<SessionJson> stop(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
                                 JsonNode body) {
        AdminAuth.requireAdmin(tokens, authorization);
        UUID uuid = uuid(id);
        String reason = stopReason(body);
        return sessions.stop(uuid, reason).map(SessionJson::of);
    }

    @POST
    @Path("/{id}/resurrect")
    public Uni<SessionJson> resurrect(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                      @PathParam("id") String id) {
        AdminAuth.requireAdmin(tokens, authorization);
        UUID uuid = uuid(id);
        return sessions.forceResurrection(uuid).map(step -> {
            if (step.transition().outcome() == Transition.Outcome.IGNORED) {
                throw new ApiException(409, "not_resurrectable", "an app session in " + step.session().state()
                        + " is not resurrected (only GRACE_PERIOD, DISCONNECTED, BACKOFF and EVICTED are)", null);
            }
            return SessionJson.of(step.session());
        });
    }

    /**
     * The platform answers an app's REQUEST. Allowed to admins and to publishers whose {@code publish}
     * claim covers {@code apps.<package>.responses}.
     */
    @POST
    @Path("/{id}/responses")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> respond(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                            @PathParam("id") String id, JsonNode body) {
        Principal principal = BearerHeader.principal(tokens, authorization);
        UUID uuid = uuid(id);
        ResponseBody response = ResponseBody.parse(body, maxEventBytes, json);
        return sessions.find(uuid).chain(found -> {
            AppSessionView v = found.orElseThrow(() -> AppSessions.notFound(uuid));
            String topic = "apps." + v.packageName() + ".responses";
            if (!principal.admin() && !principal.mayPublish(topic)) {
                throw ApiException.forbidden("token may not publish to " + topic, null);
            }
            return correlations.respond(uuid, response.correlationId(), response.type(), response.data());
        }).map(v -> Map.of("app_session_id", v.id().toString(), "correlation_id", response.correlationId(),
                "topic", AppEvents.personalTopic(v.id())));
    }

    /** A response body: {@code {correlation_id, type?, data?}}, nothing else. */
    record ResponseBody(String correlationId, String type, JsonNode data) {
        static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
        static final Pattern TYPE = Pattern.compile("[a-z0-9_.]{1,64}");

        static ResponseBody parse(JsonNode body, int maxBytes, com.fasterxml.jackson.databind.ObjectMapper json) {
            if (body == null || !body.isObject()) {
                throw ApiException.invalidField(null, "body must be a JSON object with correlation_id");
            }
            body.fieldNames().forEachRemaining(f -> {
                if (!List.of("correlation_id", "type", "data").contains(f)) {
                    throw ApiException.invalidField(f, "unknown field " + f);
                }
            });
            JsonNode id = body.get("correlation_id");
            if (id == null || !id.isTextual() || !CORRELATION_ID.matcher(id.textValue()).matches()) {
                throw ApiException.invalidField("correlation_id", "correlation_id must match " + CORRELATION_ID.pattern());
            }
            JsonNode type = body.get("type");
            if (type != null && !type.isNull() && (!type.isTextual() || !TYPE.matcher(type.textValue()).matches())) {
                throw ApiException.invalidField("type", "type must match " + TYPE.pattern());
            }
            JsonNode data = body.has("data") ? body.get("data") : com.fasterxml.jackson.databind.node.NullNode.getInstance();
            try {
                int size = json.writeValueAsBytes(data).length;
                if (size > maxBytes) {
                    throw new ApiException(413, "event_too_large", "data is " + size + " bytes; the limit is " + maxBytes, "data");
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw ApiException.invalidField("data", "data is not serialisable");
            }
            return new ResponseBody(id.textValue(), type == null || type.isNull() ? "response" : type.textValue(), data);
        }
    }

    // ---------------------------------------------------------------- input

    record StartBody(String packageName, String userSessionId) {
        static StartBody parse(JsonNode body) {
            if (body == null || !body.isObject()) {
                throw ApiException.invalidField(null, "body must be a JSON object with package_name and user_session_id");
            }
            body.fieldNames().forEachRemaining(f -> {
                if (!f.equals("user_session_id") && !f.equals("package_name")) {
                    throw ApiException.invalidField(f, "unknown field " + f);
                }
            });
            JsonNode pkg = body.get("package_name");
            if (pkg == null || !pkg.isTextual() || pkg.textValue().isEmpty()) {
                throw ApiException.invalidField("package_name", "package_name (a registered app) is required");
            }
            JsonNode us = body.get("user_session_id");
            if (us == null || !us.isTextual() || !USER_SESSION.matcher(us.textValue()).matches()) {
                throw ApiException.invalidField("user_session_id", "user_session_id must match " + USER_SESSION.pattern());
            }
            return new StartBody(pkg.textValue(), us.textValue());
        }
    }

    private static String stopReason(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return "user_disabled";
        }
        if (!body.isObject()) {
            throw ApiException.invalidField(null, "body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!f.equals("reason")) {
                throw ApiException.invalidField(f, "unknown field " + f);
            }
        });
        JsonNode reason = body.get("reason");
        if (reason == null || reason.isNull()) {
            return "user_disabled";
        }
        if (!reason.isTextual() || !REASON.matcher(reason.textValue()).matches()) {
            throw ApiException.invalidField("reason", "reason must match " + REASON.pattern());
        }
        return reason.textValue();
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, "not_found", "no app session " + id, null);
        }
    }

    private static AppSessionState state(String state) {
        try {
            return AppSessionState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("state", "state must be one of " + java.util.Arrays.toString(AppSessionState.values()));
        }
    }

    private static int limit(String limit) {
        if (limit == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the refusal
        }
        throw ApiException.invalidField("limit", "limit must be 1.." + MAX_LIMIT);
    }
}
