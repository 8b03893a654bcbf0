package io.appmanager.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAccumulator;

/**
 * Scenario 4, resurrection storm (issue 5): N app sessions whose SDK sockets are connected lose them all at
 * once, so every reconnect grace runs out together and AppManager resurrects each through its app's webhook.
 *
 * <ol>
 *   <li>Setup (reported, not measured): {@code apps} apps are registered, each with its own {@link AppWebhookSink}
 *   server, the storm's grace and a start timeout long enough that no second attempt can follow within the
 *   run. N app sessions are started over the admin API, paced; each start's {@code session_request} reaches
 *   the sink, which answers 202; then every session's SDK connects and IDENTIFYs with its app's key (READY).</li>
 *   <li>The drop: every SDK socket is closed without a close frame, one after the other as fast as the bench
 *   can issue it.</li>
 *   <li>The storm, until every app session's first resurrection attempt reached the sink (or a timeout), then
 *   {@link #SETTLE} more to catch a late duplicate: arrival of each first attempt since the drop, dispatch rate,
 *   the server's timer lateness ({@code appmanager.app.timer.lateness}, from two readings of {@code /q/metrics}),
 *   server CPU and RSS.</li>
 * </ol>
 *
 * Correctness, checked at every size: every app session got exactly one first attempt, none before the drop plus
 * its grace, no two starts of one session in flight at once, every webhook correctly signed.
 */
public final class ResurrectionStormScenario implements Scenario {

    /**
     * Starts in flight during setup. Each is a transaction plus a signed webhook; 32 keeps the server's
     * database pool (20) busy without queueing minutes of requests behind it.
     */
    static final int STARTS_IN_FLIGHT = 32;
    /** SDK handshakes in flight, as the fan-out scenario paces them (the server's accept backlog). */
    static final int CONNECTS_IN_FLIGHT = 256;
    /**
     * The API's largest start timeout. The sink acknowledges but starts no instance, so with the default (30 s)
     * a storm slower than that would send attempt 2 for its first sessions and mix retries into the measurement.
     */
    static final long START_TIMEOUT_MS = 600_000;
    /** Waiting on after the last first attempt: a duplicate racing it would arrive within the dispatch's own time. */
    static final long SETTLE_MS = 3_000;
    /** Past grace and jitter, how long the storm may take before the run is reported incomplete. */
    static final long STORM_TIMEOUT_MS = 300_000;
    /** Points of the cumulative curve kept per row for the plot: enough for a smooth line, small in the JSON. */
    static final int CURVE_POINTS = 200;

    private static final String LATENESS = "appmanager_app_timer_lateness_seconds";

    private final List<Integer> sizes;
    private final int apps;
    private final long graceMs;
    /** The first-attempt jitter given to the apps; null leaves the server's default (5 s). */
    private final Long jitterMs;
    private final int sourceAddresses;

    public ResurrectionStormScenario(List<Integer> sizes, int apps, long graceMs, Long jitterMs, int sourceAddresses) {
        if (apps < 1) {
            throw new IllegalArgumentException("resurrection-apps must be at least 1");
        }
        this.sizes = sizes;
        this.apps = apps;
        this.graceMs = graceMs;
        this.jitterMs = jitterMs;
        this.sourceAddresses = sourceAddresses;
    }

    @Override
    public String name() {
        return "resurrection";
    }

    /** Only AppManager has app sessions, graces and webhooks; the baselines have nothing to resurrect. */
    @Override
    public boolean appliesTo(String targetName) {
        return targetName.equals("appmanager");
    }

    @Override
    public List<JsonObject> run(Vertx vertx, Target target) throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        for (int n : sizes) {
            rows.add(storm(vertx, target, n).row());
        }
        return rows;
    }

    /** One storm's row, and the sink's calls and drop instant for checks beyond the row (the smoke test). */
    record Storm(JsonObject row, List<AppWebhookSink.Call> calls, List<String> appSessionIds, long dropNanos) {
    }

    Storm storm(Vertx vertx, Target target, int n) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setMaxPoolSize(STARTS_IN_FLIGHT).setConnectTimeout(10_000));
        Admin admin = new Admin(http, target.port(), target.adminToken());
        List<App> registered = new ArrayList<>();
        try (AppWebhookSink sink = new AppWebhookSink(vertx)) {
            for (int a = 0; a < apps; a++) {
                registered.add(register(admin, sink, "bench-storm-" + run + ".app" + a, a));
            }
            long effectiveJitterMs = registered.get(0).jitterMs();
            try {
                return stormWith(vertx, target, n, admin, sink, registered, effectiveJitterMs);
            } finally {
                // deleting an app deletes its sessions: no timer of this storm fires into a later scenario
                for (App app : registered) {
                    admin.expect(204, HttpMethod.DELETE, "/api/v1/apps/" + app.packageName(), null);
                }
            }
        } finally {
            http.close();
        }
    }

    private Storm stormWith(Vertx vertx, Target target, int n, Admin admin, AppWebhookSink sink, List<App> registered,
                            long effectiveJitterMs) throws Exception {
        String[] ids = new String[n];
        PrometheusText atSetup = PrometheusText.parse(admin.metrics());
        long setupStart = System.nanoTime();
        Connecting.paced(n, STARTS_IN_FLIGHT, i -> start(admin, sink, registered.get(i % apps), i, ids), "app session start")
                .get(30, TimeUnit.MINUTES);
        double startSeconds = seconds(System.nanoTime() - setupStart);
        progress(target, n, "%d app sessions started (start webhooks acknowledged) in %.1f s", n, startSeconds);

        Sessions.Options options = new Sessions.Options("127.0.0.1", target.port(), Sessions.URI, n,
                sourceAddresses, CONNECTS_IN_FLIGHT, false);
        try (Sessions sdks = new Sessions(vertx, options, new LatencyRecorder())) {
            long connectStart = System.nanoTime();
            DbPoolWatch connectPool = DbPoolWatch.start(vertx, admin);
            sdks.openIdentifying(i -> identify(registered.get(i % apps), i)).get(30, TimeUnit.MINUTES);
            double connectSeconds = seconds(System.nanoTime() - connectStart);
            JsonObject connectPoolSeen = connectPool.stop();
            progress(target, n, "%d SDKs READY in %.1f s", n, connectSeconds);

            PrometheusText before = PrometheusText.parse(admin.metrics());
            double cpuBefore = ProcStats.cpuSeconds(target.pid());
            Optional<Double> dbCpuBefore = EmbeddedPostgresProcesses.cpuSeconds(target.pid());
            long rssBefore = ProcStats.rssBytes(target.pid());
            AtomicLong rssMax = new AtomicLong(rssBefore);
            long sampler = vertx.setPeriodic(250, t -> rssMax.accumulateAndGet(ProcStats.rssBytes(target.pid()), Math::max));

            DbPoolWatch stormPool = DbPoolWatch.start(vertx, admin);
            long drop = System.nanoTime();
            for (Sessions.Session s : sdks.sessions()) {
                s.drop();
            }
            long dropIssued = System.nanoTime();
            progress(target, n, "dropped %d SDK sockets in %.0f ms; grace %d ms, first-attempt jitter %d ms", n,
                    (dropIssued - drop) / 1e6, graceMs, effectiveJitterMs);

            awaitFirstAttempts(sink, n, Duration.ofMillis(graceMs + effectiveJitterMs + STORM_TIMEOUT_MS));
            long stormEnd = System.nanoTime();
            double cpu = ProcStats.cpuSeconds(target.pid()) - cpuBefore;
            // the embedded database shares the machine and does the storm's writes: its CPU, when it can be found
            Double dbCores = dbCpuBefore.flatMap(b -> EmbeddedPostgresProcesses.cpuSeconds(target.pid())
                    .map(a -> round(Math.max(0, a - b) / seconds(stormEnd - drop)))).orElse(null);
            // a measurement window, not a wait for a condition: whatever arrives in it is counted
            Thread.sleep(SETTLE_MS);
            vertx.cancelTimer(sampler);
            JsonObject stormPoolSeen = stormPool.stop();
            PrometheusText after = PrometheusText.parse(admin.metrics());

            List<AppWebhookSink.Call> calls = sink.calls();
            JsonObject row = analyse(target, n, ids, calls, drop, before, after)
                    .put("apps", apps).put("grace_ms", graceMs).put("first_attempt_jitter_ms", effectiveJitterMs)
                    .put("start_timeout_ms", START_TIMEOUT_MS)
                    .put("setup_start_seconds", round(startSeconds)).put("setup_connect_seconds", round(connectSeconds))
                    .put("drop_issue_ms", round((dropIssued - drop) / 1e6))
                    .put("storm_seconds", round(seconds(stormEnd - drop)))
                    .put("concurrent_starts", sink.concurrentStarts.sum())
                    .put("sink_malformed_requests", sink.malformed.sum())
                    .put("server_cpu_cores", round(cpu / seconds(stormEnd - drop)))
                    .put("db_cpu_cores", dbCores)
                    .put("server_rss_mb_before", rssBefore / (1024 * 1024))
                    .put("server_rss_mb_max", rssMax.get() / (1024 * 1024))
                    .put("server_lease_lapses_during_setup", Math.round(before.since(atSetup, "appmanager_app_lease_lapses_total",
                            Map.of())))
                    .put("server_db_pool_during_connects", connectPoolSeen)
                    .put("server_db_pool_during_storm", stormPoolSeen)
                    .put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            progress(target, n, "%s", summaryLine(row));
            return new Storm(row, calls, List.of(ids), drop);
        }
    }

    /** Until every app session's first attempt arrived, or {@code atMost}; an incomplete storm is reported, not thrown. */
    private static void awaitFirstAttempts(AppWebhookSink sink, int n, Duration atMost) {
        try {
            Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> sink.firstAttempted() >= n);
        } catch (ConditionTimeoutException incomplete) {
            System.out.printf("[resurrection] only %d of %d first attempts within %s%n", sink.firstAttempted(), n, atMost);
        }
    }

    /** What the row says about the first attempts, the duplicates and the server's own readings. */
    private JsonObject analyse(Target target, int n, String[] ids, List<AppWebhookSink.Call> calls, long drop,
                               PrometheusText before, PrometheusText after) {
        Map<String, List<AppWebhookSink.Call>> firstAttempts = new HashMap<>();
        long laterAttempts = 0;
        long stormCalls = 0;
        long invalid = 0;
        for (AppWebhookSink.Call c : calls) {
            if (!c.signatureValid()) {
                invalid++;
            }
            if (c.isFirstResurrectionAttempt()) {
                firstAttempts.computeIfAbsent(c.appSessionId(), k -> new ArrayList<>()).add(c);
            } else if (c.isResurrection()) {
                laterAttempts++;
            }
            if (c.arrivedNanos() >= drop) {
                stormCalls++;
            }
        }
        long duplicates = 0;
        long early = 0;
        long missing = 0;
        long graceNanos = TimeUnit.MILLISECONDS.toNanos(graceMs);
        long[] firstNanos = new long[n];
        int got = 0;
        for (String id : ids) {
            List<AppWebhookSink.Call> mine = firstAttempts.getOrDefault(id, List.of());
            if (mine.isEmpty()) {
                missing++;
                continue;
            }
            duplicates += mine.size() - 1;
            long first = mine.stream().mapToLong(AppWebhookSink.Call::arrivedNanos).min().orElseThrow();
            if (first < drop + graceNanos) {
                early++;
            }
            firstNanos[got++] = first - drop;
        }
        long[] offsets = Arrays.copyOf(firstNanos, got);
        Arrays.sort(offsets);
        JsonObject row = new JsonObject().put("scenario", name()).put("target", target.name()).put("sessions", n)
                .put("first_attempts", (long) got).put("missing_first_attempts", missing)
                .put("duplicate_first_attempts", duplicates).put("later_attempts", laterAttempts)
                .put("early_first_attempts", early).put("invalid_signatures", invalid)
                .put("all_first_attempts_once", missing == 0 && duplicates == 0 && early == 0);
        if (got > 0) {
            double spreadSeconds = seconds(offsets[got - 1] - offsets[0]);
            row.put("first_attempt_ms_since_drop", new JsonObject()
                            .put("min", ms(offsets[0])).put("p50", ms(percentile(offsets, 50)))
                            .put("p99", ms(percentile(offsets, 99))).put("max", ms(offsets[got - 1]))
                            .put("spread", ms(offsets[got - 1] - offsets[0])))
                    .put("first_attempts_per_s", spreadSeconds > 0 ? Math.round(got / spreadSeconds) : got)
                    .put("peak_first_attempts_per_s", peakPerSecond(offsets))
                    .put("webhook_calls_per_s", spreadSeconds > 0 ? Math.round(stormCalls / spreadSeconds) : stormCalls)
                    .put("first_attempts_over_time", curve(offsets));
        }
        JsonObject lateness = new JsonObject();
        for (String kind : List.of("grace", "resurrection", "start_timeout")) {
            Map<String, String> tag = Map.of("kind", kind);
            double count = after.since(before, LATENESS + "_count", tag);
            JsonObject k = new JsonObject().put("count", Math.round(count));
            if (count > 0) {
                k.put("mean", round(1000 * after.since(before, LATENESS + "_sum", tag) / count))
                        .put("p50", msOf(after.quantileSince(before, LATENESS, tag, 0.50)))
                        .put("p99", msOf(after.quantileSince(before, LATENESS, tag, 0.99)))
                        .put("max_recent", round(1000 * after.value(LATENESS + "_max", tag)));
            }
            lateness.put(kind, k);
        }
        Map<String, String> accepted = Map.of("kind", "session_request", "outcome", "accepted");
        return row.put("timer_lateness_ms", lateness)
                .put("server_resurrections_attempted", Math.round(after.since(before, "appmanager_app_resurrections_total",
                        Map.of("outcome", "attempted"))))
                .put("server_webhook_latency_ms_p99", msOf(after.quantileSince(before,
                        "appmanager_webhook_latency_seconds", accepted, 0.99)))
                .put("server_lease_lapses", Math.round(after.since(before, "appmanager_app_lease_lapses_total", Map.of())))
                .put("server_transitions_failed", Math.round(after.since(before, "appmanager_app_transitions_failed_total",
                        Map.of())));
    }

    // ---------------------------------------------------------------- setup

    /** A registered app of the storm: its key (for the SDKs) and the effective jitter it runs on. */
    private record App(String packageName, String apiKey, long jitterMs) {
    }

    private App register(Admin admin, AppWebhookSink sink, String packageName, int index) throws Exception {
        URI webhook = sink.listen(index);
        JsonObject policy = new JsonObject().put("start_timeout_ms", START_TIMEOUT_MS);
        if (jitterMs != null) {
            policy.put("first_attempt_jitter_ms", jitterMs);
        }
        JsonObject body = new JsonObject().put("package_name", packageName).put("webhook_url", webhook.toString())
                .put("reconnect_grace_ms", graceMs).put("policy", policy);
        JsonObject created = admin.expect(201, HttpMethod.POST, "/api/v1/apps", body);
        sink.secret(packageName, created.getString("webhook_secret"));
        return new App(packageName, created.getString("api_key"),
                created.getJsonObject("policy").getLong("first_attempt_jitter_ms"));
    }

    /** Starts app session {@code i} and completes once the app's server got its start webhook. */
    private static Future<Void> start(Admin admin, AppWebhookSink sink, App app, int i, String[] ids) {
        JsonObject body = new JsonObject().put("package_name", app.packageName()).put("user_session_id", userSession(i));
        return admin.call(HttpMethod.POST, "/api/v1/app-sessions", body).compose(reply -> {
            if (reply.status() != 201) {
                return Future.failedFuture("start " + i + " answered " + reply.status() + ": " + reply.body());
            }
            ids[i] = reply.body().toJsonObject().getString("id");
            return Future.fromCompletionStage(sink.startOf(ids[i]));
        });
    }

    private static String userSession(int i) {
        return "us-" + i;
    }

    /** The IDENTIFY an app's SDK sends for user session {@code i} (docs/protocol.md, App sessions). */
    private static String identify(App app, int i) {
        return new JsonObject().put("op", 2).put("data", new JsonObject()
                .put("token", "Bot " + app.apiKey())
                .put("intents", new JsonArray().add("messages"))
                .put("properties", new JsonObject().put("package_name", app.packageName())
                        .put("user_session_id", userSession(i)))).encode();
    }

    /** The admin API and the metrics page of the target, over one keep-alive client. */
    private record Admin(HttpClient http, int port, String token) {

        record Reply(int status, Buffer body) {
        }

        Future<Reply> call(HttpMethod method, String uri, JsonObject body) {
            RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri)
                    .putHeader("Authorization", "Bearer " + token);
            if (body != null) {
                options.putHeader("Content-Type", "application/json");
            }
            return http.request(options)
                    .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
                    .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b)));
        }

        JsonObject expect(int status, HttpMethod method, String uri, JsonObject body) throws Exception {
            Reply reply = call(method, uri, body).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (reply.status() != status) {
                throw new IllegalStateException(method + " " + uri + " answered " + reply.status() + ": " + reply.body());
            }
            return reply.body().length() == 0 ? new JsonObject() : reply.body().toJsonObject();
        }

        String metrics() throws Exception {
            Reply reply = call(HttpMethod.GET, "/q/metrics", null).toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            return reply.body().toString();
        }
    }

    /**
     * The server's database pool, scraped from {@code /q/metrics} once a second: the most requests seen waiting
     * for one of its connections, and the longest wait it reported. App-session transitions, timer claims and the
     * ownership lease's renewals all queue there, so a long wait explains late timers and a lapsed lease.
     */
    private static final class DbPoolWatch {
        /** Once a second: a scrape costs the server a few milliseconds, and pool waits that matter last seconds. */
        private static final long SCRAPE_MS = 1000;

        private final Vertx vertx;
        private final DoubleAccumulator queueMax = new DoubleAccumulator(Math::max, 0);
        private final DoubleAccumulator delayMaxSeconds = new DoubleAccumulator(Math::max, 0);
        private final long timer;

        private DbPoolWatch(Vertx vertx, Admin admin) {
            this.vertx = vertx;
            this.timer = vertx.setPeriodic(SCRAPE_MS, t -> admin.call(HttpMethod.GET, "/q/metrics", null).onSuccess(reply -> {
                PrometheusText m = PrometheusText.parse(reply.body().toString());
                queueMax.accumulate(m.value("sql_pool_queue_size", Map.of()));
                delayMaxSeconds.accumulate(m.value("sql_pool_queue_delay_seconds_max", Map.of()));
            }));
        }

        static DbPoolWatch start(Vertx vertx, Admin admin) {
            return new DbPoolWatch(vertx, admin);
        }

        JsonObject stop() {
            vertx.cancelTimer(timer);
            return new JsonObject().put("waiting_max", Math.round(queueMax.get()))
                    .put("wait_ms_max", round(1000 * delayMaxSeconds.get()));
        }
    }

    // ---------------------------------------------------------------- results

    @Override
    public JsonArray summary(List<JsonObject> rows) {
        JsonArray out = new JsonArray();
        for (JsonObject r : rows) {
            JsonObject lateness = r.getJsonObject("timer_lateness_ms");
            out.add(new JsonObject().put("scenario", name()).put("target", r.getString("target"))
                    .put("sessions", r.getInteger("sessions"))
                    .put("all_first_attempts_once", r.getBoolean("all_first_attempts_once"))
                    .put("duplicate_first_attempts", r.getLong("duplicate_first_attempts"))
                    .put("concurrent_starts", r.getLong("concurrent_starts"))
                    .put("first_attempts_per_s", r.getLong("first_attempts_per_s"))
                    .put("webhook_calls_per_s", r.getLong("webhook_calls_per_s"))
                    .put("first_attempt_ms_since_drop", r.getJsonObject("first_attempt_ms_since_drop"))
                    .put("expected_spread_ms", r.getLong("first_attempt_jitter_ms"))
                    .put("timer_lateness_ms_p99", new JsonObject()
                            .put("grace", lateness.getJsonObject("grace").getDouble("p99"))
                            .put("resurrection", lateness.getJsonObject("resurrection").getDouble("p99")))
                    .put("server_cpu_cores", r.getDouble("server_cpu_cores"))
                    .put("db_cpu_cores", r.getValue("db_cpu_cores")));
        }
        return out;
    }

    @Override
    public String markdown(List<JsonObject> rows) {
        if (rows.isEmpty()) {
            return "## Scenario 4: resurrection storm\n\nNot run: it needs the appmanager target (the baselines have no app sessions).\n";
        }
        StringBuilder b = new StringBuilder("## Scenario 4: resurrection storm\n\n"
                + "| target | app sessions | apps | setup s (start + connect) | first attempts / missing / duplicates / early"
                + " | first attempt after drop ms (min / p50 / p99 / max) | spread ms (jitter) | first attempts/s (peak 1 s)"
                + " | webhook calls/s | timer lateness p99 ms (grace / resurrection) | server CPU (cores) | its PostgreSQL CPU (cores)"
                + " | server RSS MB (max) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonObject r : rows) {
            JsonObject f = r.getJsonObject("first_attempt_ms_since_drop", new JsonObject());
            JsonObject l = r.getJsonObject("timer_lateness_ms");
            b.append(String.format("| %s | %,d | %d | %.1f + %.1f | %,d / %,d / %,d / %,d | %s / %s / %s / %s | %s (%,d) | %s (%s) | %s | %s / %s | %.2f | %s | %,d |%n",
                    r.getString("target"), r.getInteger("sessions"), r.getInteger("apps"),
                    r.getDouble("setup_start_seconds"), r.getDouble("setup_connect_seconds"),
                    r.getLong("first_attempts"), r.getLong("missing_first_attempts"), r.getLong("duplicate_first_attempts"),
                    r.getLong("early_first_attempts"),
                    f.getValue("min"), f.getValue("p50"), f.getValue("p99"), f.getValue("max"),
                    f.getValue("spread"), r.getLong("first_attempt_jitter_ms"),
                    r.getValue("first_attempts_per_s"), r.getValue("peak_first_attempts_per_s"), r.getValue("webhook_calls_per_s"),
                    l.getJsonObject("grace").getValue("p99"), l.getJsonObject("resurrection").getValue("p99"),
                    r.getDouble("server_cpu_cores"), r.getValue("db_cpu_cores"), r.getLong("server_rss_mb_max")));
        }
        return b.toString();
    }

    /**
     * First attempts (cumulative) against seconds since the drop, linear: with every grace timer on time and the
     * jitter uniform on [0, J], the curve is the dashed ramp from the grace to grace + J; lateness shifts it right
     * and a server that cannot keep up flattens it.
     */
    @Override
    public List<Path> plots(List<JsonObject> rows, Path dir) throws IOException {
        if (rows.isEmpty()) {
            return List.of();
        }
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Path file = dir.resolve("resurrection-first-attempts.png");
        List<Plots.Series> lines = new ArrayList<>();
        int colour = 0;
        for (JsonObject r : rows) {
            List<double[]> points = new ArrayList<>();
            points.add(new double[]{0, 0});
            for (Object o : r.getJsonArray("first_attempts_over_time", new JsonArray())) {
                JsonArray p = (JsonArray) o;
                points.add(new double[]{p.getDouble(0), p.getDouble(1)});
            }
            // AppManager is the only target of this scenario: the legend names the size
            String label = "n=" + r.getInteger("sessions");
            lines.add(new Plots.Series(label, points, false, colour));
            double grace = r.getLong("grace_ms") / 1000.0;
            double jitter = r.getLong("first_attempt_jitter_ms") / 1000.0;
            lines.add(new Plots.Series(label + " if on time", List.of(new double[]{grace, 0},
                    new double[]{grace + jitter, r.getInteger("sessions")}), true, colour));
            colour++;
        }
        Plots.chart(file, "Resurrection storm: first attempts at the app servers", "seconds since the drop",
                "first attempts (cumulative)", lines, false, false);
        return List.of(file);
    }

    /** [seconds since the drop, first attempts so far] at up to {@link #CURVE_POINTS} evenly spaced ranks. */
    private static JsonArray curve(long[] sortedOffsets) {
        JsonArray points = new JsonArray();
        int step = Math.max(1, sortedOffsets.length / CURVE_POINTS);
        for (int i = step - 1; i < sortedOffsets.length; i += step) {
            points.add(new JsonArray().add(round(seconds(sortedOffsets[i]))).add(i + 1));
        }
        if (sortedOffsets.length % step != 0) {
            points.add(new JsonArray().add(round(seconds(sortedOffsets[sortedOffsets.length - 1]))).add(sortedOffsets.length));
        }
        return points;
    }

    /** The most first attempts in any one-second window (sliding over arrivals). */
    private static long peakPerSecond(long[] sortedOffsets) {
        long best = 0;
        int from = 0;
        for (int to = 0; to < sortedOffsets.length; to++) {
            while (sortedOffsets[to] - sortedOffsets[from] >= TimeUnit.SECONDS.toNanos(1)) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }

    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String summaryLine(JsonObject r) {
        JsonObject l = r.getJsonObject("timer_lateness_ms");
        return String.format("first attempts %d/%d (dup %d, early %d, later %d, concurrent %d), since drop %s, %s first attempts/s"
                        + " (peak %s), lateness p99 grace %s ms resurrection %s ms, cpu %.2f (db %s), rss max %d MB, db pool %s,"
                        + " lease lapses %s",
                r.getLong("first_attempts"), r.getInteger("sessions"), r.getLong("duplicate_first_attempts"),
                r.getLong("early_first_attempts"), r.getLong("later_attempts"), r.getLong("concurrent_starts"),
                r.getJsonObject("first_attempt_ms_since_drop", new JsonObject()).encode(), r.getValue("first_attempts_per_s"),
                r.getValue("peak_first_attempts_per_s"), l.getJsonObject("grace").getValue("p99"),
                l.getJsonObject("resurrection").getValue("p99"), r.getDouble("server_cpu_cores"), r.getValue("db_cpu_cores"),
                r.getLong("server_rss_mb_max"),
                r.getJsonObject("server_db_pool_during_storm").encode(), r.getValue("server_lease_lapses"));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double ms(long nanos) {
        return round(nanos / 1e6);
    }

    /** Seconds from a histogram as ms; null (not NaN, which JSON cannot carry) when nothing was recorded. */
    private static Double msOf(double seconds) {
        return Double.isNaN(seconds) ? null : round(1000 * seconds);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
