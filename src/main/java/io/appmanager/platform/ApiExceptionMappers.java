package io.appmanager.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every refusal, ours or the framework's, to the one JSON error shape. */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return toResponse(e);
    }

    /** The one place an ApiException becomes a response; capability-specific mappers delegate here. */
    public static Response toResponse(ApiException e) {
        Response.ResponseBuilder b = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of(e.code(), e.getMessage(), e.field()));
        e.headers().forEach(b::header);
        return b.build();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        String field = null;
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            field = m.getPath().get(m.getPath().size() - 1).getFieldName();
        }
        return json(400, "malformed_body", "request body is not valid JSON for this endpoint: "
                + e.getOriginalMessage(), field);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(404, "not_found", "no such resource", null);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return json(405, "method_not_allowed", "method not allowed on this resource", null);
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e) {
        return json(415, "unsupported_media_type", "send the body as application/json", null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String cause = e.getCause() instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return json(status, status == 400 ? "malformed_body" : "http_" + status, cause, null);
    }

    private static Response json(int status, String code, String message, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of(code, message, field)).build();
    }
}
