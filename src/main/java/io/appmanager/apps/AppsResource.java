package io.appmanager.apps;

import io.appmanager.auth.AdminAuth;
import io.appmanager.auth.TokenVerifier;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;

/**
 * The admin app API, {@code /api/v1/apps} (docs/api.md). Every call needs an admin token; the
 * token is checked before the body. Bodies are read as bytes and parsed by {@link AppRequests}, so
 * refusals are strict and name the field.
 */
@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppsResource {

    private final AppRegistry registry;
    private final TokenVerifier tokens;

    public AppsResource(AppRegistry registry, TokenVerifier tokens) {
        this.registry = registry;
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<AppView>> register(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        AdminAuth.requireAdmin(tokens, authorization);
        return registry.register(AppRequests.registration(body))
                .map(app -> RestResponse.ResponseBuilder.<AppView>created(URI.create("/api/v1/apps/" + app.package_name()))
                        .entity(app).build());
    }

    @GET
    public Uni<AppView.Page> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                  @QueryParam("limit") String limit, @QueryParam("after") String after) {
        AdminAuth.requireAdmin(tokens, authorization);
        return registry.list(AppRequests.pageSize(limit), after);
    }

    @GET
    @Path("{package}")
    public Uni<AppView> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @PathParam("package") String packageName) {
        AdminAuth.requireAdmin(tokens, authorization);
        return registry.get(packageName);
    }

    @PATCH
    @Path("{package}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AppView> change(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @PathParam("package") String packageName, byte[] body) {
        AdminAuth.requireAdmin(tokens, authorization);
        return registry.change(packageName, AppRequests.changes(body));
    }

    @DELETE
    @Path("{package}")
    public Uni<Void> delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @PathParam("package") String packageName) {
        AdminAuth.requireAdmin(tokens, authorization);
        return registry.delete(packageName);
    }

    @POST
    @Path("{package}/rotate-key")
    public Uni<AppView.RotatedKey> rotateKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                             @PathParam("package") String packageName) {
        AdminAuth.requireAdmin(tokens, authorization);
        return registry.rotateKey(packageName);
    }

    @POST
    @Path("{package}/rotate-webhook-secret")
    public Uni<AppView.RotatedWebhookSecret> rotateWebhookSecret(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("package") String packageName) {
        AdminAuth.requireAdmin(tokens, authorization);
        return registry.rotateWebhookSecret(packageName);
    }
}
