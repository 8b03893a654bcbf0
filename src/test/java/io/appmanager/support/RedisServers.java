package io.appmanager.support;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server for tests: the binary shipped in the embedded-redis Maven package (Redis 6.2),
 * started on a free port with nothing kept on disk. Tests never depend on the machine's own Redis.
 */
public final class RedisServers {

    /** A running server; {@link #stop()} kills it, {@link #restart()} brings an empty one back on the same port. */
    public static final class Handle implements AutoCloseable {
        private final int port;
        private RedisServer server;

        private Handle(int port) {
            this.port = port;
        }

        public int port() {
            return port;
        }

        /** For {@code quarkus.redis.hosts}. */
        public String url() {
            return "redis://127.0.0.1:" + port;
        }

        public synchronized void stop() {
            if (server != null) {
                try {
                    server.stop();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                server = null;
                awaitPortClosed();
            }
        }

        /**
         * embedded-redis force-stops with SIGKILL and does not wait for the process to die; a restart on the
         * same port must wait until nothing accepts connections there any more.
         */
        private void awaitPortClosed() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                } catch (IOException closed) {
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            throw new IllegalStateException("embedded Redis on port " + port + " did not stop within 10 s");
        }

        /** Stops and starts an empty server on the same port: what a Redis restart without persistence looks like. */
        public synchronized void restart() {
            stop();
            start();
        }

        synchronized void start() {
            try {
                server = RedisServer.newRedisServer()
                        .bind("127.0.0.1")
                        .port(port)
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .onShutdownForceStop(true)
                        .build();
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded Redis did not start on port " + port, e);
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    private RedisServers() {
    }

    public static Handle start() {
        Handle h = new Handle(freePort());
        h.start();
        return h;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
