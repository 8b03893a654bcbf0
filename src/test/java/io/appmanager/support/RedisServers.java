package io.appmanager.support;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

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
            }
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
