package io.appmanager.platform;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What AccordKit asks on connect to compare major versions (seed 000). */
@Path("/api/v1/version")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {

    public record Version(String version, String git_sha, String api_version) {
    }

    private final VersionConfig config;

    public VersionResource(VersionConfig config) {
        this.config = config;
    }

    @GET
    public Version version() {
        return new Version(config.server(), config.gitSha(), config.api());
    }
}
