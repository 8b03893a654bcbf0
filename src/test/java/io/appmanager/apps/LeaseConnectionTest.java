package io.appmanager.apps;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The lease's connection fails a statement rather than waiting forever when PostgreSQL goes silent on
 * it (a half-open socket after a failover, a cut network: no RST, nothing answers), and the statement
 * after that gets a fresh connection. Without that a renewal would hang, no later tick would run, and
 * the node would never notice its lease lapse while its peers adopt its sessions. A proxy in front of
 * a real PostgreSQL swallows every byte while silenced.
 */
class LeaseConnectionTest {

    /** Short clocks so the silent connection is given up in seconds; the same ratio as the defaults (2 s, 10 s). */
    private static final AppSessionsConfig.Lease LEASE = new AppSessionsConfig.Lease() {
        @Override
        public Duration renewInterval() {
            return Duration.ofMillis(600);
        }

        @Override
        public Duration ttl() {
            return Duration.ofSeconds(3);
        }
    };
    /** Far above the ttl, for a loaded 2-core machine; a statement that hangs never gets there. */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(30);

    @Test
    void aStatementOnASilentConnectionFailsAndTheNextOneGetsAFreshConnection() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start(); SilenceableProxy proxy = new SilenceableProxy(pg.getPort())) {
            Pool pool = LeaseConnection.build(vertx, List.of("postgresql://127.0.0.1:" + proxy.port() + "/postgres"),
                    Optional.of("postgres"), Optional.of("postgres"), LEASE);
            assertEquals(1, selectOne(pool).await().atMost(ANSWER_WAIT));

            proxy.silence();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            selectOne(pool).subscribe().with(answer -> outcome.complete(null), outcome::complete);
            await().atMost(ANSWER_WAIT).until(outcome::isDone);
            assertNotNull(outcome.get(), "the statement failed rather than being answered");

            proxy.restore();
            assertEquals(1, selectOne(pool).await().atMost(ANSWER_WAIT), "a fresh connection");
            pool.close().await().atMost(ANSWER_WAIT);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static Uni<Integer> selectOne(Pool pool) {
        return pool.query("select 1").execute().map(rows -> rows.iterator().next().getInteger(0));
    }

    /** Relays TCP to PostgreSQL; while silenced it reads and drops every byte both ways, keeping the sockets open. */
    private static final class SilenceableProxy implements AutoCloseable {

        private final ServerSocket server;
        private final int upstreamPort;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile boolean silent;

        SilenceableProxy(int upstreamPort) throws IOException {
            this.upstreamPort = upstreamPort;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            daemon("proxy-accept", this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        void silence() {
            silent = true;
        }

        void restore() {
            silent = false;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    sockets.add(client);
                    sockets.add(upstream);
                    daemon("proxy-up", () -> relay(client, upstream));
                    daemon("proxy-down", () -> relay(upstream, client));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void relay(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!silent) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException closed) {
                // either side went away: the other side's relay ends with it
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            sockets.forEach(SilenceableProxy::closeQuietly);
        }

        private static void daemon(String name, Runnable work) {
            Thread t = new Thread(work, name);
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
