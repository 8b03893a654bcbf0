package io.appmanager.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.impl.VertxInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** How both load clients (Accord and Socket.IO) open their sessions: source addresses and pacing. */
final class Connecting {

    private Connecting() {
    }

    /** Waits up to 5 s for a client or server to close, ignoring its failure: the run is over either way. */
    static void closeWithin5s(Future<Void> closing) {
        closing.toCompletionStage().toCompletableFuture().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }

    /**
     * One client per source address 127.0.0.1 … 127.0.0.k: Vert.x has the local address on the client
     * options only, and each address has its own ephemeral port range.
     */
    static List<WebSocketClient> clientsPerSourceAddress(Vertx vertx, Sessions.Options options) {
        List<WebSocketClient> clients = new ArrayList<>();
        for (int a = 0; a < options.sourceAddresses(); a++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setLocalAddress("127.0.0." + (a + 1))
                    .setMaxConnections(Math.max(options.sessions(), 1))
                    .setConnectTimeout(60_000)
                    .setMaxMessageSize(1 << 20)));
        }
        return clients;
    }

    /**
     * Runs {@code connect} on a context of its own, on the next event loop (round-robin). A WebSocket
     * connect made off the event loops (the first connects come from the scenario's thread) completes
     * its future on a context other than the connection's, so the handlers a {@code ClientWebSocket}
     * installs in that completion run a hop later, after Vert.x resumed the socket: a first frame the
     * server sends at once (HELLO, engine.io's open packet) could arrive with no handler and be lost.
     * On its own context the completion runs on the connection's loop before any frame is read.
     */
    static void onEventLoop(Vertx vertx, Runnable connect) {
        ((VertxInternal) vertx).createEventLoopContext().runOnContext(v -> connect.run());
    }

    /**
     * Connects sessions 0 … n-1, at most {@code inFlight} handshakes at a time (so the server's accept
     * backlog does not overflow); completes when all are connected, or with the first failure.
     */
    static CompletableFuture<Void> paced(int n, int inFlight, IntFunction<Future<?>> connect, String what) {
        CompletableFuture<Void> all = new CompletableFuture<>();
        if (n == 0) {
            all.complete(null);
            return all;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Runnable[] startNext = new Runnable[1];
        startNext[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= n) {
                return;
            }
            connect.apply(i).onComplete(r -> {
                if (r.failed()) {
                    all.completeExceptionally(new IllegalStateException(what + " " + i + " failed to connect", r.cause()));
                    return;
                }
                if (done.incrementAndGet() == n) {
                    all.complete(null);
                }
                startNext[0].run();
            });
        };
        for (int k = 0; k < Math.min(inFlight, n); k++) {
            startNext[0].run();
        }
        return all;
    }
}
