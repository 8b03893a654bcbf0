package io.appmanager.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.support.RedisServers;
import io.appmanager.support.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.core.ConditionTimeoutException;

import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;


/**
 * Several packaged service processes ("nodes") sharing one PostgreSQL and optionally one Redis,
 * behind a {@link TcpBalancer}: the shape operators run (replicas behind a plain load balancer, no
 * sticky sessions). PostgreSQL is an embedded server started here in the test JVM (the nodes'
 * own embedded database is off); Redis is the binary from the embedded-redis Maven package. Every
 * node gets the same HS256 secret and the same sealing key (what one node seals another unseals)
 * and its own {@code appmanager.app-sessions.node-id}.
 *
 * <p>{@link #close()} kills everything, whatever state a failed test left it in.
 */
public final class Cluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOG_LINES = 100;
    /**
     * Test-only JVM options for the nodes: C1 only and the serial GC cut the CPU a boot takes by about
     * a third, which matters with several nodes starting on 2 shared cores. Not production tuning.
     */
    public static final List<String> NODE_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final EmbeddedPostgres postgres;
    private final RedisServers.Handle redis;
    private final Map<String, String> nodeConfig;
    private final List<PackagedService> nodes = new ArrayList<>();
    private final List<String> nodeIds = new ArrayList<>();
    /** Every process ever started, current and gone, so a failure can show the log of a node that died. */
    private final List<PackagedService> incarnations = new ArrayList<>();
    private TcpBalancer balancer;
    private int restarts;

    private Cluster(EmbeddedPostgres postgres, RedisServers.Handle redis, Map<String, String> nodeConfig) {
        this.postgres = postgres;
        this.redis = redis;
        this.nodeConfig = nodeConfig;
    }

    /**
     * Starts PostgreSQL (and Redis when asked), then {@code nodes} nodes in parallel, then the
     * balancer over them; returns when every node is ready. {@code commonConfig} goes to every node
     * and may override anything set here.
     */
    public static Cluster start(int nodes, Map<String, String> commonConfig, boolean withRedis) throws Exception {
        long started = System.nanoTime();
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(Files.createTempDirectory("appmanager-cluster-pg-"))
                .setCleanDataDirectory(true)
                .setPort(PackagedService.freePort())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300")
                .start();
        RedisServers.Handle redis = null;
        Cluster c = null;
        try {
            redis = withRedis ? RedisServers.start() : null;
            Map<String, String> config = new LinkedHashMap<>();
            config.put("appmanager.auth.hs256-secret", PackagedService.SECRET);
            config.put("appmanager.apps.secret-key", PackagedService.randomSealingKey());
            config.put("appmanager.db.embedded.enabled", "false");
            config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + pg.getPort() + "/postgres");
            config.put("quarkus.datasource.jdbc.url", jdbcUrl(pg.getPort()));
            if (redis != null) {
                config.put("appmanager.fanout.engine", "redis");
                config.put("appmanager.fanout.redis.url", redis.url());
            }
            config.putAll(commonConfig);
            c = new Cluster(pg, redis, Map.copyOf(config));
            for (int i = 0; i < nodes; i++) {
                c.nodeIds.add("node-" + i);
                c.nodes.add(c.launch(i));
            }
            for (PackagedService n : c.nodes) {
                n.awaitReady();
            }
            c.balancer = TcpBalancer.start(c.nodes.stream().map(PackagedService::port).toList());
            System.out.printf("cluster: %d nodes ready in %d ms (PostgreSQL, %sbalancer on %d)%n", nodes,
                    (System.nanoTime() - started) / 1_000_000, redis == null ? "" : "Redis on " + redis.port() + ", ",
                    c.balancer.port());
            for (PackagedService n : c.nodes) {
                System.out.printf("cluster: %s on port %d, log %s%n", n.name(), n.port(), n.logFile());
            }
            return c;
        } catch (Exception | Error e) {
            if (c != null) {
                c.close();
            } else {
                if (redis != null) {
                    redis.close();
                }
                pg.close();
            }
            throw e;
        }
    }

    private PackagedService launch(int i) throws Exception {
        Map<String, String> config = new LinkedHashMap<>(nodeConfig);
        config.put("appmanager.app-sessions.node-id", nodeIds.get(i));
        PackagedService s = PackagedService.launch(nodeIds.get(i), PackagedService.freePort(), NODE_JVM_OPTIONS, config);
        incarnations.add(s);
        return s;
    }

    public int size() {
        return nodes.size();
    }

    /** The current process of node {@code i} (a new one after {@link #restart}). */
    public PackagedService node(int i) {
        return nodes.get(i);
    }

    public String nodeId(int i) {
        return nodeIds.get(i);
    }

    /**
     * kill -9. The balancer is not told, as a real one would not be before its health check
     * notices: it keeps trying the dead port and skips it because the connection is refused.
     */
    public void kill(int i) throws InterruptedException {
        nodes.get(i).kill();
    }

    /**
     * SIGTERM as Kubernetes does it: the node leaves the balancer first (its endpoint is removed),
     * then gets the signal; returns its exit code once it has exited (drained).
     */
    public int terminate(int i) throws InterruptedException {
        PackagedService n = nodes.get(i);
        balancer.backends(balancer.backends().stream().filter(p -> p != n.port()).toList());
        int exit = n.terminateAndWait(Duration.ofSeconds(60));
        if (exit != 0 && exit != 143) {
            throw new AssertionError(n.name() + " exited with " + exit + " after SIGTERM\n" + n.tail(LOG_LINES));
        }
        return exit;
    }

    /** Starts node {@code i} again with the same node id, on a new port. */
    public PackagedService restart(int i) throws Exception {
        return restart(i, nodeIds.get(i));
    }

    /**
     * Starts node {@code i} again (killing what is left of it) on a new port with this node id;
     * once it is ready, the balancer sends to the new port instead of the old one.
     */
    public PackagedService restart(int i, String nodeId) throws Exception {
        PackagedService old = nodes.get(i);
        old.kill();
        nodeIds.set(i, nodeId);
        restarts++;
        PackagedService fresh = launch(i);
        nodes.set(i, fresh);
        fresh.awaitReady();
        List<Integer> ports = new ArrayList<>(balancer.backends());
        ports.remove(Integer.valueOf(old.port()));
        ports.add(fresh.port());
        balancer.backends(ports);
        System.out.printf("cluster: %s restarted on port %d, ready in %d ms, log %s%n", nodeId, fresh.port(),
                fresh.sinceLaunch().toMillis(), fresh.logFile());
        return fresh;
    }

    public TcpBalancer balancer() {
        return balancer;
    }

    public int balancerPort() {
        return balancer.port();
    }

    /** The gateway through the balancer. */
    public URI ws() {
        return URI.create("ws://127.0.0.1:" + balancer.port() + "/ws?v=1&encoding=json");
    }

    /** An HTTP address through the balancer (each request may land on any node). */
    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + balancer.port() + path);
    }

    /** The Redis server, or null when started without one. */
    public RedisServers.Handle redis() {
        return redis;
    }

    /** The shared database, for tests that count rows; user and password {@code postgres}. */
    public String jdbcUrl() {
        return jdbcUrl(postgres.getPort());
    }

    public Connection jdbc() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The config every node gets (before its node id), as -D properties. */
    public Map<String, String> nodeConfig() {
        return nodeConfig;
    }

    /** A token every node accepts. */
    public static Tokens.Builder token(String sub) {
        return Tokens.of(sub).signedWith(PackagedService.SECRET);
    }

    /** Open gateway sockets on node {@code i}, from its readiness data; -1 when it does not answer. */
    public int connections(int i) {
        PackagedService.Readiness r = nodes.get(i).readiness();
        if (r.status() != 200) {
            return -1;
        }
        try {
            for (JsonNode check : JSON.readTree(r.body()).path("checks")) {
                if ("gateway".equals(check.path("name").asText())) {
                    return check.path("data").path("connections").asInt();
                }
            }
            return -1;
        } catch (Exception e) {
            throw new AssertionError("readiness of " + nodes.get(i).name() + " is not JSON: " + r.body(), e);
        }
    }

    /** {@link #connections} of every node, in order. */
    public List<Integer> connectionsPerNode() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            out.add(connections(i));
        }
        return out;
    }

    /** The last lines of every node's log, current processes and those that died or were replaced. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder("\n==== cluster: balancer ").append(balancer == null ? "-" : balancer.port())
                .append(" backends ").append(balancer == null ? "-" : balancer.backends())
                .append(", restarts ").append(restarts).append(" ====\n");
        for (PackagedService s : incarnations) {
            b.append(s.tail(LOG_LINES)).append('\n');
        }
        return b.toString();
    }

    /** Awaitility with a failure message that says what was awaited and carries every node's log. */
    public void await(String what, Duration atMost, Callable<Boolean> condition) {
        try {
            org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " (not within " + atMost + ")" + diagnostics(), e);
        }
    }

    @Override
    public void close() {
        for (PackagedService s : incarnations) {
            s.close();
        }
        if (balancer != null) {
            balancer.close();
        }
        if (redis != null) {
            try {
                redis.close();
            } catch (RuntimeException e) {
                // the test result matters more than a Redis that did not stop cleanly
            }
        }
        try {
            postgres.close();
        } catch (Exception e) {
            // as above
        }
    }
}
