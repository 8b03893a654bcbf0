package io.appmanager.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.auth.BearerHeader;
import io.appmanager.auth.TokenVerifier;
import io.appmanager.platform.ApiException;
import io.appmanager.platform.ApiExceptionMappers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.concurrent.CompletionStage;

/** POST /api/v1/events: publish one event to one or more topics. Checks live in {@link PublishService}. */
@Path("/api/v1/events")
public class EventsResource {

    /** Set on the answer to a publish whose idempotency key was seen before: nothing was sent again. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final PublishService publisher;
    private final TokenVerifier tokens;

    public EventsResource(PublishService publisher, TokenVerifier tokens) {
        this.publisher = publisher;
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> publish(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, JsonNode body) {
        return publisher.publish(BearerHeader.principal(tokens, authorization), body)
                .thenApply(o -> Response.ok(o.published()).header(REPLAYED_HEADER, o.repeated()).build());
    }

    @ServerExceptionMapper
    public Response engineDown(FanoutEngine.EngineUnavailable e) {
        if (e.outcomeUnknown()) {
            return ApiExceptionMappers.toResponse(new ApiException(504, "engine_timeout", e.getMessage()
                    + "; the event may still be delivered: retry with the same idempotency_key", null));
        }
        return ApiExceptionMappers.toResponse(new ApiException(503, "engine_unavailable", e.getMessage(), null));
    }
}
