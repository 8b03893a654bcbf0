package io.appmanager.it;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP load balancer in the test JVM, like a cloud L4 balancer without sticky sessions:
 * every accepted connection goes to the next backend round-robin; a backend that refuses the
 * connection (a killed node) is skipped for the next one; bytes are piped both ways (with
 * back-pressure) on Vert.x event loops, and when either side closes, both are closed. It knows
 * nothing of HTTP or WebSocket and does no health checks: taking a draining node out is the
 * caller's job ({@link #backends(List)}), as Kubernetes removes a terminating pod's endpoint.
 */
public final class TcpBalancer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000));
    private final NetServer server;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<Integer, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger refusedByAll = new AtomicInteger();
    private volatile List<Integer> backends;

    private TcpBalancer(List<Integer> backends) {
        this.backends = List.copyOf(backends);
        this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setAcceptBacklog(1024));
        server.connectHandler(this::accept);
    }

    /** Listens on a free port of 127.0.0.1 and balances over these backend ports (also on 127.0.0.1). */
    public static TcpBalancer start(List<Integer> backends) {
        TcpBalancer b = new TcpBalancer(backends);
        try {
            b.server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            b.close();
            throw new IllegalStateException("balancer did not start", e);
        }
        return b;
    }

    public int port() {
        return server.actualPort();
    }

    /** Replaces the backend list; connections already piped stay where they are. */
    public void backends(List<Integer> ports) {
        this.backends = List.copyOf(ports);
    }

    public List<Integer> backends() {
        return backends;
    }

    /** Connections to this backend that are open now. */
    public int openConnections(int backendPort) {
        AtomicInteger n = open.get(backendPort);
        return n == null ? 0 : n.get();
    }

    /** Connections ever piped to this backend. */
    public int acceptedConnections(int backendPort) {
        AtomicInteger n = accepted.get(backendPort);
        return n == null ? 0 : n.get();
    }

    /** Client connections closed because no backend accepted them. */
    public int refusedByAll() {
        return refusedByAll.get();
    }

    private void accept(NetSocket front) {
        front.pause();
        // the client may go away while we are still connecting to a backend
        AtomicBoolean frontClosed = new AtomicBoolean();
        front.closeHandler(v -> frontClosed.set(true));
        front.exceptionHandler(e -> front.close());
        List<Integer> candidates = backends;
        int start = Math.floorMod(next.getAndIncrement(), Math.max(1, candidates.size()));
        connect(candidates, start, 0).onComplete(r -> {
            if (r.failed()) {
                refusedByAll.incrementAndGet();
                front.close();
                return;
            }
            pipe(front, frontClosed, r.result().socket(), r.result().port());
        });
    }

    private record Backend(NetSocket socket, int port) {
    }

    /** Tries the candidates from {@code start} on, each once, until one accepts. */
    private Future<Backend> connect(List<Integer> candidates, int start, int tried) {
        if (tried >= candidates.size()) {
            return Future.failedFuture("no backend accepted the connection");
        }
        int port = candidates.get((start + tried) % candidates.size());
        Promise<Backend> p = Promise.promise();
        client.connect(port, "127.0.0.1").onComplete(r -> {
            if (r.succeeded()) {
                p.complete(new Backend(r.result(), port));
            } else {
                connect(candidates, start, tried + 1).onComplete(p);
            }
        });
        return p.future();
    }

    private void pipe(NetSocket front, AtomicBoolean frontClosed, NetSocket back, int port) {
        accepted.computeIfAbsent(port, k -> new AtomicInteger()).incrementAndGet();
        AtomicInteger count = open.computeIfAbsent(port, k -> new AtomicInteger());
        count.incrementAndGet();
        AtomicInteger closed = new AtomicInteger();
        // either side gone (FIN, RST, kill -9): close the other; count the pair once
        front.closeHandler(v -> {
            back.close();
            if (closed.getAndIncrement() == 0) {
                count.decrementAndGet();
            }
        });
        back.closeHandler(v -> {
            front.close();
            if (closed.getAndIncrement() == 0) {
                count.decrementAndGet();
            }
        });
        if (frontClosed.get()) {
            back.close(); // closed before the handler above was in place
            return;
        }
        // the pipes take over the exception handlers: a failed read or write ends the pipe, the close handlers do the rest
        front.pipe().endOnComplete(false).to(back);
        back.pipe().endOnComplete(false).to(front);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the test is ending anyway; the event loop threads are daemons
        }
    }
}
