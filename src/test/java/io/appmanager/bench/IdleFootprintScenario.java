package io.appmanager.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Scenario 2, idle footprint: what an idle session costs the server. Per N: the server's memory
 * with no sessions (after a warm-up and a full collection), then with N sessions identified,
 * subscribed to one topic and heartbeating (one event checks every one of them is live), again
 * after a full collection; the difference over N is the cost per session. Heap and direct memory
 * come from the server itself ({@link MemoryProbe}), RSS from /proc.
 *
 * <p>An N the open-files limit cannot hold is skipped with a row saying so ({@link FileLimits}).
 */
public final class IdleFootprintScenario implements Scenario {

    static final String TOPIC = "bench.idle";
    /** The target: AppManager's idle session at most 10 KB (10,240 bytes) above the raw baseline's. */
    static final long TARGET_BYTES_ABOVE_RAW = 10 * 1024;
    /**
     * Warm-up sessions opened and closed before the first empty measurement, so that classes loaded
     * and code compiled by the first handshakes do not count per session. 1,000: the first fan-out
     * runs showed handshake times settle well before that.
     */
    static final int WARM_UP_SESSIONS = 1000;
    /** How long a closed run's sockets may take to be gone from the server before the next empty measurement. */
    static final Duration CLOSED_WITHIN = Duration.ofSeconds(120);
    /** Server descriptors that may outlive a run (the publisher's keep-alive connection, a late reaped socket): thousands may not. */
    static final long CLOSED_SLACK = 10;

    private final List<Integer> sizes;
    private final int sourceAddresses;
    private final double idleSeconds;

    /** @param idleSeconds how long the sessions sit idle before the measurement (heartbeats go on meanwhile) */
    public IdleFootprintScenario(List<Integer> sizes, int sourceAddresses, double idleSeconds) {
        this.sizes = sizes;
        this.sourceAddresses = sourceAddresses;
        this.idleSeconds = idleSeconds;
    }

    @Override
    public String name() {
        return "idle";
    }

    @Override
    public List<JsonObject> run(Vertx vertx, Target target) throws Exception {
        try (MemoryProbe memory = target.memory()) {
            hold(vertx, target, Math.min(WARM_UP_SESSIONS, sizes.stream().mapToInt(Integer::intValue).max().orElse(0)), 0);
            return FileLimits.eachSize(this, target, sizes, 1, n -> measure(vertx, target, memory, n));
        }
    }

    private JsonObject measure(Vertx vertx, Target target, MemoryProbe memory, int n) throws Exception {
        long filesBefore = ProcStats.openFiles(target.pid());
        MemoryProbe.Footprint empty = memory.afterFullGc();
        long start = System.nanoTime();
        JsonObject row = row(target.name(), n);
        hold(vertx, target, n, idleSeconds, () -> {
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            long serverFiles = ProcStats.openFiles(target.pid()) - filesBefore;
            MemoryProbe.Footprint idle = memory.afterFullGc();
            row.put("connect_seconds", round(connectSeconds))
                    .put("server_sockets_added", serverFiles)
                    .put("empty", footprint(empty)).put("idle", footprint(idle))
                    .put("per_session_bytes", new JsonObject()
                            .put("heap", (idle.heapUsed() - empty.heapUsed()) / n)
                            .put("direct", (idle.direct() - empty.direct()) / n)
                            .put("heap_plus_direct", (idle.heapUsed() + idle.direct() - empty.heapUsed() - empty.direct()) / n)
                            .put("rss", (idle.rss() - empty.rss()) / n))
                    .put("note", memory.note());
            progress(target, n, "READY in %.1f s; per session: heap %,d B, direct %,d B, RSS %,d B (heap %,d -> %,d MB)",
                    connectSeconds, perSession(row, "heap"), perSession(row, "direct"), perSession(row, "rss"),
                    empty.heapUsed() >> 20, idle.heapUsed() >> 20);
        }, row);
        // the next N's empty measurement must not see this N's sockets still closing
        await().atMost(CLOSED_WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> ProcStats.openFiles(target.pid()) <= filesBefore + CLOSED_SLACK);
        return row;
    }

    /** Opens n sessions, checks each is live with one event, waits {@code idleSeconds}, then closes them. */
    private void hold(Vertx vertx, Target target, int n, double idleSeconds) throws Exception {
        hold(vertx, target, n, idleSeconds, () -> { }, new JsonObject());
    }

    private void hold(Vertx vertx, Target target, int n, double idleSeconds, Measurement whileOpen, JsonObject row)
            throws Exception {
        if (n == 0) {
            return;
        }
        Sessions.Options options = new Sessions.Options("127.0.0.1", target.port(), Sessions.URI, n,
                sourceAddresses, 256, false);
        try (Subscribers sessions = target.subscribers(vertx, options, new LatencyRecorder());
             Publisher publisher = new Publisher(vertx, "127.0.0.1", target.port(), target.publishToken(), TOPIC, 1)) {
            sessions.open(i -> target.sessionToken(i, TOPIC)).get(30, TimeUnit.MINUTES);
            publisher.sequential(1).get(1, TimeUnit.MINUTES);
            await().atMost(Duration.ofMinutes(2)).until(() -> sessions.delivered() >= n);
            // idle on purpose: sessions only heartbeat during this time (not a wait for anything)
            Thread.sleep((long) (idleSeconds * 1000));
            whileOpen.run();
            row.put("sessions_open", n - sessions.closedUnexpectedly()).put("sockets_closed", sessions.closedUnexpectedly())
                    .put("delivered_check_event", sessions.delivered());
        }
    }

    /** What to read while the sessions are open. */
    private interface Measurement {
        void run() throws Exception;
    }

    private static JsonObject footprint(MemoryProbe.Footprint f) {
        return new JsonObject().put("heap_used_bytes", f.heapUsed()).put("heap_committed_bytes", f.heapCommitted())
                .put("direct_bytes", f.direct()).put("rss_bytes", f.rss());
    }

    /**
     * Per target and N the bytes per idle session; for AppManager also how many more than the raw
     * baseline's (heap plus direct, and RSS), next to the 10 KB target.
     */
    @Override
    public JsonArray summary(List<JsonObject> rows) {
        return FileLimits.summaries(rows, (r, s) -> {
            s.put("per_session_bytes", r.getJsonObject("per_session_bytes"));
            if (r.getString("target").equals("appmanager")) {
                rows.stream().filter(b -> b.getString("target").equals("raw-vertx") && b.getInteger("sessions").equals(r.getInteger("sessions"))
                        && b.containsKey("per_session_bytes")).findFirst().ifPresent(raw -> {
                    long above = perSession(r, "heap_plus_direct") - perSession(raw, "heap_plus_direct");
                    s.put("heap_plus_direct_bytes_above_raw_vertx", above)
                            .put("rss_bytes_above_raw_vertx", perSession(r, "rss") - perSession(raw, "rss"))
                            .put("target_bytes_above_raw_vertx", TARGET_BYTES_ABOVE_RAW)
                            .put("meets_target", above <= TARGET_BYTES_ABOVE_RAW);
                });
            }
        });
    }

    private static long perSession(JsonObject row, String key) {
        return row.getJsonObject("per_session_bytes").getLong(key);
    }

    @Override
    public String markdown(List<JsonObject> rows) {
        return FileLimits.table("## Scenario 2: idle footprint\n\n"
                + "| target | sessions | heap B/session | direct B/session | heap+direct B/session | RSS B/session"
                + " | heap MB empty → idle | direct MB empty → idle | RSS MB empty → idle | READY in s |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n", rows, r -> {
            JsonObject p = r.getJsonObject("per_session_bytes");
            JsonObject e = r.getJsonObject("empty");
            JsonObject i = r.getJsonObject("idle");
            return String.format("| %s | %,d | %,d | %,d | %,d | %,d | %s | %s | %s | %.1f |%n", r.getString("target"),
                    r.getInteger("sessions"), p.getLong("heap"), p.getLong("direct"), p.getLong("heap_plus_direct"), p.getLong("rss"),
                    mb(e, i, "heap_used_bytes"), mb(e, i, "direct_bytes"), mb(e, i, "rss_bytes"), r.getDouble("connect_seconds"));
        });
    }

    private static String mb(JsonObject empty, JsonObject idle, String key) {
        return String.format("%,d → %,d", empty.getLong(key) >> 20, idle.getLong(key) >> 20);
    }

    @Override
    public List<Path> plots(List<JsonObject> rows, Path dir) throws IOException {
        return Plots.idle(rows, dir);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
