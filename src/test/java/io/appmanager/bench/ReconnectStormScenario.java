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
 * Scenario 3, reconnect storm: N sessions on one topic, a publisher going throughout at a modest
 * rate; every socket is dropped at once (no close frame: {@link AbruptClose}), then every session
 * reconnects and takes its session up again: AppManager with RESUME (replay, then {@code resumed}),
 * Socket.IO with connection state recovery (pid and offset; recovered), as fast as
 * {@link #IN_FLIGHT} handshakes at a time allow. Raw Vert.x has no resume: its sessions IDENTIFY
 * afresh ("reconnect only"), which shows the connection-rate ceiling; lost events mean nothing there.
 *
 * <p>Measured: time from the drop until the last session was back; per-session reconnect latency
 * (its connect started to {@code resumed}/recovered CONNECT); sessions refused or given a fresh
 * session (both count as failed resumes); for every session, every published event received exactly
 * once across the drop (lost, duplicated) and in order (seq gaps, index order); server CPU during the
 * storm and peak RSS.
 */
public final class ReconnectStormScenario implements Scenario {

    static final String TOPIC = "bench.reconnect";
    /** The target: 10k sessions back within 10 s, 0 events lost. */
    static final double TARGET_SECONDS = 10;
    /**
     * Handshakes in flight at once, on open and in the storm: as {@link FanoutScenario} opens sessions, so
     * the servers' accept backlogs do not overflow (a SYN dropped there costs a 1 s retransmit). A real
     * SDK fleet reconnects with jitter instead; without it this is the harsher case.
     */
    static final int IN_FLIGHT = 256;
    /** Publishing before the drop, so every session has a last seq/offset to resume from. */
    static final double LEAD_SECONDS = 3;
    /** Publishing after the last session is back, so live delivery after the replay is checked too. */
    static final double TAIL_SECONDS = 3;
    /**
     * The storm's time limit: below the resume windows of AppManager and Socket.IO (both 120 s), so a
     * session still out when it ends counts as failed by this scenario, never by a window that ran out.
     */
    static final Duration STORM_LIMIT = Duration.ofSeconds(100);
    /** Time for the last events to reach every session after the publisher stopped. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
    /** Points of the resumed-over-time curve kept per row (one per 1/50 of the sessions). */
    static final int CURVE_POINTS = 50;

    private final List<Integer> sizes;
    private final double publishPerSecond;
    private final int sourceAddresses;
    private final int eventsWhileDown;

    /**
     * @param publishPerSecond the publisher's rate throughout; the bench's 2/s: at 10k sessions 20k
     *                         deliveries/s, under what every target sustained in scenario 1 (25k/s), so
     *                         any backlog is the storm's, and a 10 s storm leaves about 20 events per
     *                         session to replay
     */
    public ReconnectStormScenario(List<Integer> sizes, double publishPerSecond, int sourceAddresses) {
        this(sizes, publishPerSecond, sourceAddresses, 0);
    }

    /**
     * @param eventsWhileDown the network stays down after the drop until this many more events were
     *                        published (the smoke test's proof that missed events are replayed; the
     *                        bench's 0 reconnects at once, the storm's worst case)
     */
    public ReconnectStormScenario(List<Integer> sizes, double publishPerSecond, int sourceAddresses, int eventsWhileDown) {
        this.eventsWhileDown = eventsWhileDown;
        this.sizes = sizes;
        this.publishPerSecond = publishPerSecond;
        this.sourceAddresses = sourceAddresses;
    }

    @Override
    public String name() {
        return "reconnect";
    }

    @Override
    public List<JsonObject> run(Vertx vertx, Target target) throws Exception {
        // one socket per session on each side: a dropped socket's descriptor is freed when its close runs
        // (TIME_WAIT holds a port, not a descriptor), before its replacement connects
        return FileLimits.eachSize(this, target, sizes, 1, n -> runSize(vertx, target, n));
    }

    private JsonObject runSize(Vertx vertx, Target target, int n) throws Exception {
        Sessions.Options options = new Sessions.Options("127.0.0.1", target.port(), Sessions.URI, n,
                sourceAddresses, IN_FLIGHT, true);
        try (Subscribers sessions = target.subscribers(vertx, options, new LatencyRecorder());
             Publisher publisher = new Publisher(vertx, "127.0.0.1", target.port(), target.publishToken(), TOPIC, 1)) {
            sessions.open(i -> target.sessionToken(i, TOPIC)).get(30, TimeUnit.MINUTES);
            progress(target, n, "%d sessions subscribed", n);
            PublishLoop publishing = new PublishLoop(publisher, publishPerSecond);
            long leadEvents = Math.max(1, Math.round(publishPerSecond * LEAD_SECONDS));
            await().atMost(Duration.ofSeconds((long) (LEAD_SECONDS * 10 + 10))).until(() -> publisher.published() >= leadEvents);

            Storm storm = new Storm(vertx, sessions, target, n);
            long atDrop = publisher.published();
            // no poll delay: with eventsWhileDown 0 the reconnects start at once, not 100 ms (Awaitility's default) later
            storm.run(target.resumes(), () -> await().pollDelay(Duration.ZERO).atMost(Duration.ofMinutes(1))
                    .until(() -> publisher.published() >= atDrop + eventsWhileDown));
            progress(target, n, "%d of %d back in %.2f s (%d fresh sessions, %d failed)", storm.back(), n, storm.lastBackSeconds(),
                    storm.fresh(), storm.failed());

            long tailFrom = publisher.published();
            long tailEvents = Math.max(1, Math.round(publishPerSecond * TAIL_SECONDS));
            await().atMost(Duration.ofSeconds((long) (TAIL_SECONDS * 10 + 10))).until(() -> publisher.published() >= tailFrom + tailEvents);
            Publisher.Step published = publishing.stop();
            long expected = publisher.published();
            boolean drained = !target.resumes() || awaitAll(sessions, n, expected);
            Delivery delivery = target.resumes() ? Delivery.check(sessions, expected) : null;
            JsonObject row = storm.row(row(target.name(), n)).put("publish_per_s", publishPerSecond)
                    .put("published", expected).put("events_while_down", eventsWhileDown).put("publish_failures", published.failed()).put("drained", drained)
                    .put("seq_out_of_order", sessions.outOfOrder()).put("sockets_closed_by_server", sessions.closedUnexpectedly());
            if (delivery != null) {
                row.put("events_lost", delivery.lost()).put("events_duplicated", delivery.duplicated())
                        .put("index_order_violations", delivery.outOfOrder());
            } else {
                row.put("events_lost", (Object) null).put("note", "reconnect only: no resume, so lost events do not apply");
            }
            progress(target, n, "published %d; lost %s, duplicated %s, seq out of order %d; server CPU %.2f cores, peak RSS %d MB",
                    expected, row.getValue("events_lost"), row.getValue("events_duplicated"), sessions.outOfOrder(),
                    row.getDouble("server_cpu_cores"), row.getLong("peak_rss_bytes") >> 20);
            return row;
        }
    }

    /** Waits until every session received every published event (or {@link #DRAIN_LIMIT}); a lost one never arrives. */
    private static boolean awaitAll(Subscribers sessions, int n, long published) {
        try {
            await().atMost(DRAIN_LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> sessions.delivered() >= n * published);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }


    /** Per target: time to all back, failures, lost; for AppManager whether it meets the targets. */
    @Override
    public JsonArray summary(List<JsonObject> rows) {
        return FileLimits.summaries(rows, (r, s) -> {
            s.put("all_back_seconds", r.getValue("all_back_seconds")).put("failed_resumes", r.getLong("failed_resumes"))
                    .put("events_lost", r.getValue("events_lost")).put("events_duplicated", r.getValue("events_duplicated"))
                    .put("server_cpu_cores", r.getDouble("server_cpu_cores"));
            if (r.getString("target").equals("appmanager")) {
                Double seconds = r.getDouble("all_back_seconds");
                Long lost = r.getLong("events_lost");
                s.put("target_seconds", TARGET_SECONDS).put("target_events_lost", 0)
                        .put("meets_target", seconds != null && seconds <= TARGET_SECONDS && lost != null && lost == 0
                                && r.getLong("failed_resumes") == 0);
            }
        });
    }

    @Override
    public String markdown(List<JsonObject> rows) {
        return FileLimits.table("## Scenario 3: reconnect storm\n\n"
                + "| target | sessions | all back in s | p50 / p99 / max reconnect ms | resumed | fresh | failed"
                + " | published | lost | duplicated | seq out of order | server CPU (cores) | peak RSS MB |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n", rows, r -> {
            JsonObject l = r.getJsonObject("reconnect_latency_ms");
            boolean resumes = r.getValue("events_lost") != null;
            return String.format("| %s | %,d | %s | %.0f / %.0f / %.0f | %,d | %,d | %,d | %,d | %s | %s | %d | %.2f | %,d |%n",
                    r.getString("target"), r.getInteger("sessions"),
                    r.getValue("all_back_seconds") == null ? "not all" : String.format("%.2f", r.getDouble("all_back_seconds")),
                    l.getDouble("p50"), l.getDouble("p99"), l.getDouble("max"), r.getLong("resumed"), r.getLong("fresh_sessions"),
                    r.getLong("failed_resumes"), r.getLong("published"),
                    resumes ? r.getValue("events_lost") : "n/a (reconnect only)", resumes ? r.getValue("events_duplicated") : "n/a",
                    r.getLong("seq_out_of_order"), r.getDouble("server_cpu_cores"), r.getLong("peak_rss_bytes") >> 20);
        });
    }

    @Override
    public List<Path> plots(List<JsonObject> rows, Path dir) throws IOException {
        return Plots.reconnect(rows.stream().filter(r -> !r.containsKey("skipped")).toList(), dir);
    }

}
