package io.appmanager.platform.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The embedded PostgreSQL that makes the service run on a machine with only a JDK. Production
 * points {@code quarkus.datasource.reactive.url} and {@code quarkus.datasource.jdbc.url} at its
 * own PostgreSQL and sets {@code appmanager.db.embedded.enabled=false}.
 */
@ConfigMapping(prefix = "appmanager.db")
public interface DatabaseConfig {

    Embedded embedded();

    interface Embedded {
        /** Start a real PostgreSQL (a binary from a Maven package) in-process and use it. */
        @WithDefault("true")
        boolean enabled();

        /** Port it listens on (127.0.0.1 only); the datasource URLs are built from it. */
        @WithDefault("54329")
        int port();

        /** Where it keeps its data, so state survives a restart of the service. */
        @WithDefault("data/postgres")
        String dataDir();

        /** Start from an empty data directory (the test profile does: every run starts clean). */
        @WithDefault("false")
        boolean cleanOnStart();
    }
}
