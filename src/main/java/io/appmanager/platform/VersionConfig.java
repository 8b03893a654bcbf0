package io.appmanager.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What this build says about itself on /api/v1/version and in READY. */
@ConfigMapping(prefix = "appmanager.version")
public interface VersionConfig {

    /** Semantic version of the server; the build fills it from the pom. */
    @WithDefault("0.1.0")
    String server();

    /** Commit the build came from; "unknown" outside a release build. */
    @WithDefault("unknown")
    String gitSha();

    /** The wire API generation. Only "v1" exists. */
    @WithDefault("v1")
    String api();
}
