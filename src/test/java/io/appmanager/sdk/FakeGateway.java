package io.appmanager.sdk;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;

/**
 * A scriptable, single-process stand-in for the gateway: accepts WebSocket connections over a
 * plain {@link ServerSocket} (minimal RFC 6455, see {@link FakeConnection}) and lets a test
 * drive each connection by hand.
 */
final class FakeGateway implements AutoCloseable {
    /** Generous for a loopback server; a wait this long means the client really is stuck. */
    static final Duration PATIENCE = Duration.ofSeconds(5);
    /** Polling fast keeps millisecond-scale scenarios fast without burning a core. */
    static final Duration POLL = Duration.ofMillis(5);

    private final ServerSocket server;
    private final List<FakeConnection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> acceptedSockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private FakeGateway() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fake-gateway-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static FakeGateway start() {
        try {
            return new FakeGateway();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Awaitility preset used by all gateway tests. */
    static ConditionFactory eventually() {
        return await().atMost(PATIENCE).pollInterval(POLL).pollDelay(Duration.ZERO);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws?v=1&encoding=json");
    }

    /** Number of sockets that completed the WebSocket handshake so far. */
    int connectionCount() {
        return connections.size();
    }

    /** The {@code number}-th (1-based) connection, waiting for it to arrive. */
    FakeConnection connection(int number) {
        eventually().until(() -> connections.size() >= number);
        return connections.get(number - 1);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        acceptedSockets.forEach(FakeGateway::closeQuietly);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // server closed
            }
            acceptedSockets.add(socket);
            Thread reader = new Thread(() -> serve(socket), "fake-gateway-conn");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void serve(Socket socket) {
        try {
            FakeConnection connection = new FakeConnection(socket);
            connection.handshake();
            connections.add(connection);
            connection.readLoop();
        } catch (IOException e) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
