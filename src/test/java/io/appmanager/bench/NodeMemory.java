package io.appmanager.bench;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The Socket.IO server's memory from its {@code GET /memory} (bench/socketio/server.js): it runs
 * {@code global.gc()} (node --expose-gc, a full mark-compact) and answers {@code process.memoryUsage()}.
 */
final class NodeMemory implements MemoryProbe {

    /** A full collection of a 50k-socket heap takes well under this on 2 cores. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * HTTP/1.1: the JDK client's default (HTTP/2) sends {@code Upgrade: h2c}, which Node hands to the
     * upgrade listener engine.io registered for WebSockets, and that one drops the connection.
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final long pid;

    NodeMemory(int port, long pid) {
        this.port = port;
        this.pid = pid;
    }

    @Override
    public Footprint afterFullGc() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/memory"))
                .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /memory answered " + r.statusCode() + ": " + r.body());
        }
        JsonObject m = new JsonObject(r.body());
        if (!m.getBoolean("gc", false)) {
            throw new IllegalStateException("the Socket.IO server runs without --expose-gc: its heap would include garbage");
        }
        return new Footprint(m.getLong("heapUsed"), m.getLong("heapTotal"), m.getLong("external"), ProcStats.rssBytes(pid));
    }

    @Override
    public String note() {
        return "Node: V8 heapUsed after global.gc(), external (C++ objects bound to JS, incl. arrayBuffers) as direct, RSS";
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close on JDK 17; its threads are daemons
    }
}
