package io.appmanager.apps;

import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The connection {@link NodeLease} registers, renews and releases the lease on, apart from the main
 * reactive pool: when thousands of transitions queue for the main pool's connections (10,000 SDK sockets
 * dropping at once) a renewal queued with them reaches PostgreSQL after the lease expired, and the node
 * would close its healthy sockets too (decision 0014). Built from the main datasource's URL and
 * credentials, so it follows the embedded server's port and an external PostgreSQL alike.
 */
@ApplicationScoped
public class LeaseConnection {

    private static final Logger LOG = Logger.getLogger(LeaseConnection.class);
    /**
     * One: the lease's statements never overlap (a tick waits for the last one), and each node holds this
     * connection on top of the main pool's, so PostgreSQL's max_connections pays for it once per node.
     */
    private static final int SIZE = 1;
    /** Quarkus accepts reactive URLs with this prefix; the Vert.x parser does not. */
    private static final String QUARKUS_URL_PREFIX = "vertx-reactive:";

    private final Pool pool;

    public LeaseConnection(Vertx vertx, AppSessionsConfig config,
                           @ConfigProperty(name = "quarkus.datasource.reactive.url") List<String> urls,
                           @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                           @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.pool = build(vertx, urls, username, password, config.lease());
    }

    /** The pool on its own, for a test that points it at a PostgreSQL it can make go silent. */
    static Pool build(Vertx vertx, List<String> urls, Optional<String> username, Optional<String> password,
                      AppSessionsConfig.Lease lease) {
        List<SqlConnectOptions> servers = urls.stream()
                .<SqlConnectOptions>map(url -> connectOptions(url, username, password, lease)).toList();
        PoolOptions options = new PoolOptions()
                .setName("appmanager-lease")
                .setMaxSize(SIZE)
                // a renewal that cannot get the connection within a renew interval counts as one not answered
                .setConnectionTimeout((int) lease.renewInterval().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        return Pool.newInstance(PgBuilder.pool().with(options).connectingTo(servers).using(vertx).build());
    }

    private static PgConnectOptions connectOptions(String url, Optional<String> username, Optional<String> password,
                                                   AppSessionsConfig.Lease lease) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith(QUARKUS_URL_PREFIX)
                ? url.substring(QUARKUS_URL_PREFIX.length()) : url);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        // a PostgreSQL that is gone (no answer to SYN) fails the attempt within a renew interval, not the default 60 s
        options.setConnectTimeout((int) lease.renewInterval().toMillis());
        // a socket silent for a whole ttl (a half-open connection after a failover) is closed, failing its
        // statement, so the pool opens a fresh one; a live lease writes on it every renew interval
        options.setIdleTimeout((int) lease.ttl().toMillis());
        options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        return options;
    }

    Pool pool() {
        return pool;
    }

    /** After the ShutdownEvent observers, so NodeLease has released the lease on it; nothing waits for the close. */
    @PreDestroy
    void close() {
        pool.close().subscribe().with(
                ignored -> LOG.debug("lease connection closed"),
                err -> LOG.debugf("lease connection not closed cleanly (%s)", err.toString()));
    }
}
