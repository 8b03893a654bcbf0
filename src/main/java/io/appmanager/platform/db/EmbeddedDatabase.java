package io.appmanager.platform.db;

import io.quarkus.runtime.Startup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the embedded PostgreSQL (when enabled) and applies the Flyway migrations, before anything
 * else touches the database. Quarkus' own migrate-at-start is off because it would run before this
 * bean could start the server; pools connect lazily, so they wait for it harmlessly.
 */
@Startup
@ApplicationScoped
public class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    /**
     * One server per port per JVM: Quarkus restarts the application between test profiles, and a
     * second start on the same data directory would fail. The server outlives those restarts.
     */
    private static final ConcurrentHashMap<Integer, EmbeddedPostgres> RUNNING = new ConcurrentHashMap<>();

    private final DatabaseConfig config;
    private final Flyway flyway;

    public EmbeddedDatabase(DatabaseConfig config, Flyway flyway) {
        this.config = config;
        this.flyway = flyway;
    }

    @PostConstruct
    void start() {
        if (config.embedded().enabled()) {
            RUNNING.computeIfAbsent(config.embedded().port(), this::startServer);
        }
        var result = flyway.migrate();
        LOG.infof("database schema at version %s (%d migrations applied now)",
                flyway.info().current() == null ? "none" : flyway.info().current().getVersion(), result.migrationsExecuted);
    }

    private EmbeddedPostgres startServer(int port) {
        Path dir = Path.of(config.embedded().dataDir()).toAbsolutePath();
        long started = System.nanoTime();
        try {
            if (config.embedded().cleanOnStart()) {
                deleteRecursively(dir);
            }
            Files.createDirectories(dir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
            LOG.infof("embedded PostgreSQL on 127.0.0.1:%d, data in %s, up in %d ms", port, dir,
                    (System.nanoTime() - started) / 1_000_000);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(pg), "embedded-postgres-stop"));
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL on port " + port + " with data in "
                    + dir + ": " + e.getMessage() + " (set appmanager.db.embedded.enabled=false and configure "
                    + "quarkus.datasource.reactive.url / jdbc.url to use your own PostgreSQL)", e);
        }
    }

    private static void close(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            LOG.debug("embedded PostgreSQL did not stop cleanly", e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
