package io.appmanager.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 1, fan-out: N sessions all subscribed to one shared topic; one publisher publishes to it
 * at rising rates. Each step offers {@code deliveries/s = publish rate × N}; the ladder stops at the
 * first step that is not sustained:
 * <ul>
 *   <li>p99 publish-to-deliver latency ≥ 50 ms, or</li>
 *   <li>the publisher fell behind its schedule, or publishes failed, or</li>
 *   <li>deliveries did not catch up with publishes within {@link #DRAIN_SECONDS} after the step, or</li>
 *   <li>a socket closed, or a session saw a seq out of order.</li>
 * </ul>
 * A step that missed only the latency bound is still recorded as not sustained, but the ladder goes
 * on while deliveries keep up (and p99 stays under {@link #GIVE_UP_P99_MS}), so the plots show the
 * latency curve past the bound; it stops at the first step whose deliveries fall behind.
 * One row per step: offered and achieved deliveries/s, latency percentiles (ms), server CPU.
 */
public final class FanoutScenario implements Scenario {

    static final String TOPIC = "bench.fanout";
    static final double P99_LIMIT_MS = 50;
    static final double DRAIN_SECONDS = 5;
    static final double GIVE_UP_P99_MS = 1000;

    private final List<Integer> sizes;
    private final List<Integer> offeredDeliveriesPerSecond;
    private final double stepSeconds;
    private final int sourceAddresses;

    /** The offered deliveries/s whose latency the summary reports as "at a fixed load". */
    private final int fixedLoad;

    public FanoutScenario(List<Integer> sizes, List<Integer> offeredDeliveriesPerSecond, double stepSeconds, int sourceAddresses,
                          int fixedLoad) {
        this.fixedLoad = fixedLoad;
        this.sizes = sizes;
        this.offeredDeliveriesPerSecond = offeredDeliveriesPerSecond;
        this.stepSeconds = stepSeconds;
        this.sourceAddresses = sourceAddresses;
    }

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public JsonArray summary(List<JsonObject> rows) {
        return Results.summary(rows, fixedLoad);
    }

    @Override
    public String markdown(List<JsonObject> rows) {
        return "## Scenario 1: fan-out\n\n" + Results.markdown(rows);
    }

    @Override
    public List<Path> plots(List<JsonObject> rows, Path dir) throws IOException {
        return Plots.fanout(rows, dir);
    }

    @Override
    public List<JsonObject> run(Vertx vertx, Target target) throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        for (int n : sizes) {
            rows.addAll(runSize(vertx, target, n));
        }
        return rows;
    }

    private List<JsonObject> runSize(Vertx vertx, Target target, int n) throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        LatencyRecorder latency = new LatencyRecorder();
        List<String> tokens = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tokens.add(target.sessionToken(i, TOPIC));
        }
        Sessions.Options options = new Sessions.Options("127.0.0.1", target.port(), Sessions.URI, n,
                sourceAddresses, 256, false);
        long connectStart = System.nanoTime();
        try (Subscribers sessions = target.subscribers(vertx, options, latency);
             Publisher publisher = new Publisher(vertx, "127.0.0.1", target.port(), target.publishToken(), TOPIC, 64)) {
            sessions.open(tokens::get).get(10, TimeUnit.MINUTES);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            log(target, n, "%d sessions READY in %.1f s", n, connectSeconds);
            // warm-up: JIT both sides at the first step's load for 5 s, then forget what it recorded
            publisher.run((double) offeredDeliveriesPerSecond.get(0) / n, 5).get(1, TimeUnit.MINUTES);
            awaitDrained(sessions, publisher, n);
            latency.interval();
            for (int offered : offeredDeliveriesPerSecond) {
                double rate = (double) offered / n;
                long deliveredBefore = sessions.delivered();
                long publishedBefore = publisher.published();
                long outOfOrderBefore = sessions.outOfOrder();
                long closedBefore = sessions.closedUnexpectedly();
                double cpuBefore = ProcStats.cpuSeconds(target.pid());
                long start = System.nanoTime();
                Publisher.Step step = publisher.run(rate, stepSeconds).get(5, TimeUnit.MINUTES);
                double elapsed = (System.nanoTime() - start) / 1e9;
                long deliveredInStep = sessions.delivered() - deliveredBefore;
                boolean drained = awaitDrained(sessions, publisher, n);
                double cpu = ProcStats.cpuSeconds(target.pid()) - cpuBefore;
                Histogram h = latency.interval();
                LatencyRecorder.Percentiles p = LatencyRecorder.Percentiles.of(h);
                long expected = (publisher.published() - publishedBefore) * n;
                long delivered = sessions.delivered() - deliveredBefore;
                long outOfOrder = sessions.outOfOrder() - outOfOrderBefore;
                long closed = sessions.closedUnexpectedly() - closedBefore;
                boolean keptUp = !step.behind() && step.failed() == 0 && drained && outOfOrder == 0 && closed == 0;
                boolean sustained = keptUp && p.p99() < P99_LIMIT_MS;
                JsonObject row = new JsonObject()
                        .put("scenario", name()).put("target", target.name()).put("sessions", n)
                        .put("publish_rate_per_s", round(rate))
                        .put("offered_deliveries_per_s", offered)
                        .put("achieved_deliveries_per_s", Math.round(deliveredInStep / elapsed))
                        .put("step_seconds", round(elapsed))
                        .put("published", step.ok()).put("publish_failures", step.failed())
                        .put("publisher_behind", step.behind())
                        .put("expected_deliveries", expected).put("delivered", delivered)
                        .put("out_of_order", outOfOrder).put("sockets_closed", closed)
                        .put("latency_ms", new JsonObject().put("count", p.count()).put("p50", p.p50()).put("p90", p.p90())
                                .put("p99", p.p99()).put("p999", p.p999()).put("max", p.max()))
                        .put("server_cpu_cores", round(cpu / elapsed))
                        .put("server_rss_mb", ProcStats.rssBytes(target.pid()) / (1024 * 1024))
                        .put("connect_seconds", round(connectSeconds))
                        .put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                        .put("kept_up", keptUp)
                        .put("sustained", sustained);
                if (step.lastFailure() != null && step.failed() > 0) {
                    row.put("last_publish_failure", step.lastFailure());
                }
                rows.add(row);
                log(target, n, "offered %,d/s (%.1f ev/s): achieved %,d/s, p50 %.2f p99 %.2f max %.2f ms, cpu %.2f, delivered %d/%d%s",
                        offered, rate, row.getLong("achieved_deliveries_per_s"), p.p50(), p.p99(), p.max(), cpu / elapsed,
                        delivered, expected, sustained ? "" : keptUp ? "  (p99 over the bound)" : "  -> fell behind, stopping");
                if (!keptUp || p.p99() >= GIVE_UP_P99_MS) {
                    break;
                }
            }
        }
        return rows;
    }

    /** Waits until every published event reached every session, at most {@link #DRAIN_SECONDS}. */
    private static boolean awaitDrained(Subscribers sessions, Publisher publisher, int n) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (DRAIN_SECONDS * 1e9);
        while (System.nanoTime() < deadline) {
            if (sessions.delivered() >= publisher.published() * n) {
                return true;
            }
            Thread.sleep(20);
        }
        return sessions.delivered() >= publisher.published() * n;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void log(Target target, int n, String format, Object... args) {
        System.out.printf("[fanout %s n=%d] %s%n", target.name(), n, String.format(format, args));
    }
}
