package io.appmanager.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One reconnect storm ({@link ReconnectStormScenario}): drops every session's socket at once, then
 * reconnects them all, {@link ReconnectStormScenario#IN_FLIGHT} at a time, and records when and how
 * each came back, the server's CPU over the storm and its peak RSS.
 */
final class Storm {

    private static final int PENDING = 0;
    private static final int RESUMED = 1;
    private static final int FRESH = 2;
    private static final int FAILED = 3;
    /** RSS sampling period: fine enough to see a peak of a storm that lasts seconds. */
    private static final long RSS_SAMPLE_MS = 100;

    private final Vertx vertx;
    private final Subscribers sessions;
    private final Target target;
    private final int n;
    private final AtomicLongArray backAt;
    private final AtomicIntegerArray outcome;
    private final LatencyRecorder reconnectLatency = new LatencyRecorder();
    private volatile String firstFailure;
    private long dropNanos;
    private double cpuSeconds;
    private double stormSeconds;
    private long peakRss;

    Storm(Vertx vertx, Subscribers sessions, Target target, int n) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.target = target;
        this.n = n;
        this.backAt = new AtomicLongArray(n);
        this.outcome = new AtomicIntegerArray(n);
    }

    /**
     * @param resume RESUME/recover (false: the raw baseline, which can only IDENTIFY afresh)
     * @param outage runs between the drop and the first reconnect: the network is down until it returns
     */
    void run(boolean resume, Runnable outage) throws Exception {
        long pid = target.pid();
        // written by the sampler on an event loop, read here
        AtomicLong peak = new AtomicLong(ProcStats.rssBytes(pid));
        long sampler = vertx.setPeriodic(RSS_SAMPLE_MS, id -> peak.accumulateAndGet(ProcStats.rssBytes(pid), Math::max));
        double cpuBefore = ProcStats.cpuSeconds(pid);
        dropNanos = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sessions.drop(i);
        }
        outage.run();
        var all = Connecting.paced(n, ReconnectStormScenario.IN_FLIGHT, i -> {
            long start = System.nanoTime();
            return sessions.reconnect(i, resume).transform(r -> {
                long now = System.nanoTime();
                backAt.set(i, now);
                reconnectLatency.delivered(start, now);
                if (r.failed() && firstFailure == null) {
                    firstFailure = "session " + i + ": " + r.cause();
                }
                outcome.set(i, r.failed() ? FAILED : r.result() ? RESUMED : FRESH);
                // a failure is a result here, not a reason to stop the storm
                return Future.succeededFuture();
            });
        }, "reconnect");
        try {
            all.get(ReconnectStormScenario.STORM_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            firstFailure = firstFailure != null ? firstFailure : "not all back within " + ReconnectStormScenario.STORM_LIMIT;
        }
        stormSeconds = (System.nanoTime() - dropNanos) / 1e9;
        cpuSeconds = ProcStats.cpuSeconds(pid) - cpuBefore;
        vertx.cancelTimer(sampler);
        peakRss = Math.max(peak.get(), ProcStats.rssBytes(pid));
    }

    long back() {
        return count(RESUMED);
    }

    long fresh() {
        return count(FRESH);
    }

    /** Refused, closed, or not back within the limit. */
    long failed() {
        return n - back() - fresh();
    }

    /** Seconds from the drop until the last session that came back did so. */
    double lastBackSeconds() {
        long last = 0;
        for (int i = 0; i < n; i++) {
            if (outcome.get(i) != PENDING) {
                last = Math.max(last, backAt.get(i) - dropNanos);
            }
        }
        return last / 1e9;
    }

    private long count(int what) {
        long c = 0;
        for (int i = 0; i < n; i++) {
            if (outcome.get(i) == what) {
                c++;
            }
        }
        return c;
    }

    /** Adds the storm's measurements to {@code row}. */
    JsonObject row(JsonObject row) {
        long back = back();
        double last = round(lastBackSeconds());
        row.put("all_back_seconds", back == n ? last : null)
                .put("last_back_seconds", last)
                .put("resumed", back).put("fresh_sessions", fresh()).put("failed_resumes", failed() + fresh())
                .put("reconnect_latency_ms", percentiles())
                .put("server_cpu_cores", round(cpuSeconds / stormSeconds)).put("storm_seconds", round(stormSeconds))
                .put("peak_rss_bytes", peakRss)
                .put("resumed_over_time", curve());
        if (firstFailure != null) {
            row.put("first_failure", firstFailure);
        }
        return row;
    }

    private JsonObject percentiles() {
        LatencyRecorder.Percentiles p = LatencyRecorder.Percentiles.of(reconnectLatency.interval());
        return new JsonObject().put("count", p.count()).put("p50", p.p50()).put("p90", p.p90()).put("p99", p.p99())
                .put("max", p.max());
    }

    /** [seconds since the drop, sessions back by then] at every 1/{@code CURVE_POINTS} of the sessions that came back. */
    private JsonArray curve() {
        long[] times = new long[(int) back()];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (outcome.get(i) == RESUMED) {
                times[k++] = backAt.get(i) - dropNanos;
            }
        }
        Arrays.sort(times);
        JsonArray points = new JsonArray();
        int step = Math.max(1, times.length / ReconnectStormScenario.CURVE_POINTS);
        for (int j = step - 1; j < times.length; j += step) {
            points.add(new JsonArray().add(round(Math.max(times[j], 1_000_000) / 1e9)).add(j + 1));
        }
        if (times.length > 0 && (times.length % step) != 0) {
            points.add(new JsonArray().add(round(times[times.length - 1] / 1e9)).add(times.length));
        }
        return points;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
