package io.appmanager.apps;

import io.appmanager.auth.AdminAuth;
import io.appmanager.auth.TokenVerifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GET /api/v1/stats: the four dashboard rates over the last 1, 5 and 15 minutes, computed from the
 * transition history in PostgreSQL, so they cover every node and survive restarts. Prometheus has
 * the same facts as counters ({@link LifecycleMetrics}); this is for dashboards without Prometheus.
 */
@Path("/api/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    /** The windows dashboards show, like load averages. */
    private static final int[] WINDOWS_MINUTES = {1, 5, 15};

    /**
     * One pass over the last 15 minutes of history; each window is a FILTER on {@code at >= $n}, so the
     * six measures of every window come out of the same scan. Columns are {@code <measure><minutes>}.
     */
    private static final String QUERY = buildQuery();

    private static String buildQuery() {
        StringBuilder select = new StringBuilder("select ");
        for (int i = 0; i < WINDOWS_MINUTES.length; i++) {
            String in = "at >= $" + (i + 1);
            String w = Integer.toString(WINDOWS_MINUTES[i]);
            select.append(i == 0 ? "" : ", ")
                    .append("count(*) filter (where ").append(in).append(" and detail->>'reconnect_attempt' = 'true') as a").append(w)
                    .append(", count(*) filter (where ").append(in).append(" and detail ? 'reconnect_latency_ms') as s").append(w)
                    .append(", avg((detail->>'reconnect_latency_ms')::float8) filter (where ").append(in).append(") as l").append(w)
                    .append(", count(*) filter (where ").append(in).append(" and detail->'resurrections' ? 'ATTEMPTED') as t").append(w)
                    // a resurrection is counted once, at its first attempt: retries come from BACKOFF
                    .append(", count(*) filter (where ").append(in).append(" and detail->'resurrections' ? 'ATTEMPTED'")
                    .append(" and from_state is distinct from 'BACKOFF') as r").append(w)
                    .append(", count(*) filter (where ").append(in).append(" and detail->>'false_resurrection' = 'true') as f").append(w)
                    .append(", count(*) filter (where ").append(in).append(" and event = 'SocketClosed') as d").append(w);
        }
        int longest = WINDOWS_MINUTES.length;
        return select.append(" from app_session_transitions where at >= $").append(longest)
                .append(" and ($").append(longest + 1).append("::text is null or app_session_id in ")
                .append("(select id from app_sessions where package_name = $").append(longest + 1).append("))")
                .toString();
    }

    private final Pool pool;
    private final TokenVerifier tokens;

    public StatsResource(Pool pool, TokenVerifier tokens) {
        this.pool = pool;
        this.tokens = tokens;
    }

    @GET
    public Uni<Map<String, Object>> stats(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                          @QueryParam("package") String packageName) {
        AdminAuth.requireAdmin(tokens, authorization);
        App.packageFilter(packageName);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return pool.preparedQuery(QUERY)
                .execute(Tuple.of(now.minusMinutes(WINDOWS_MINUTES[0]), now.minusMinutes(WINDOWS_MINUTES[1]),
                        now.minusMinutes(WINDOWS_MINUTES[2]), packageName))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Map<String, Object> windows = new LinkedHashMap<>();
                    for (int minutes : WINDOWS_MINUTES) {
                        windows.put(minutes + "m", window(row, Integer.toString(minutes), minutes));
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("at", now.toInstant().toString());
                    out.put("package", packageName);
                    out.put("windows", windows);
                    return out;
                });
    }

    /**
     * One window. Rates are null when their denominator is zero: "no reconnects were attempted" is not
     * "every reconnect failed", and a dashboard must be able to tell.
     */
    static Map<String, Object> window(Row row, String suffix, int minutes) {
        long attempts = row.getLong("a" + suffix);
        long successes = row.getLong("s" + suffix);
        Double latency = row.getDouble("l" + suffix);
        long resurrections = row.getLong("r" + suffix);
        long resurrectionAttempts = row.getLong("t" + suffix);
        long falseResurrections = row.getLong("f" + suffix);
        long drops = row.getLong("d" + suffix);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("reconnect_attempts", attempts);
        w.put("reconnect_successes", successes);
        w.put("reconnect_success_rate", ratio(successes, attempts));
        w.put("avg_reconnect_latency_ms", latency);
        w.put("drops", drops);
        w.put("resurrections", resurrections);
        w.put("resurrection_attempts", resurrectionAttempts);
        w.put("resurrections_per_minute", (double) resurrections / minutes);
        w.put("resurrection_rate", ratio(resurrections, drops));
        w.put("false_resurrections", falseResurrections);
        w.put("false_resurrection_rate", ratio(falseResurrections, resurrections));
        return w;
    }

    static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
