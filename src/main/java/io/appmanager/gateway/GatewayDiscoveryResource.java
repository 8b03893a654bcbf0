package io.appmanager.gateway;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/** Where clients should connect: the configured public URL, else the one this request came in on. */
@Path("/api/v1/gateway")
@Produces(MediaType.APPLICATION_JSON)
public class GatewayDiscoveryResource {

    private final GatewayConfig config;

    public GatewayDiscoveryResource(GatewayConfig config) {
        this.config = config;
    }

    @GET
    public Map<String, Map<String, String>> gateway(@Context HttpServerRequest request) {
        String base = config.publicUrl().map(GatewayDiscoveryResource::stripSlash)
                .orElseGet(() -> ("https".equals(request.scheme()) ? "wss://" : "ws://") + request.host());
        return Map.of("data", Map.of("url", base + "/ws?v=" + QueryCheck.VERSION + "&encoding=" + QueryCheck.ENCODING));
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
