package io.appmanager.apps;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;

/**
 * How many app sessions are in each state, across every node: one {@code group by state} in PostgreSQL
 * (the {@code app_sessions_by_state} index covers it), never a list of sessions. The operator page
 * reads it on load and after every (re)connect to the admin topic, so a missed announcement cannot
 * leave its counts wrong for long.
 */
@ApplicationScoped
public class AppSessionCounts {

    private static final String QUERY = "select state, count(*) as n from app_sessions"
            + " where $1::text is null or package_name = $1 group by state";

    private final Pool pool;

    public AppSessionCounts(Pool pool) {
        this.pool = pool;
    }

    /** @param byState every state, zeros included, in lifecycle order */
    public record Counts(Map<AppSessionState, Long> byState) {

        /** The sessions not in a terminal state (STOPPED, EVICTED). */
        public long live() {
            return byState.entrySet().stream().filter(e -> !e.getKey().isTerminal()).mapToLong(Map.Entry::getValue).sum();
        }

        public long total() {
            return byState.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** {@code packageName} null counts every app's sessions. */
    public Uni<Counts> count(String packageName) {
        return pool.preparedQuery(QUERY).execute(Tuple.of(packageName)).map(rows -> {
            Map<AppSessionState, Long> byState = new EnumMap<>(AppSessionState.class);
            for (AppSessionState s : AppSessionState.values()) {
                byState.put(s, 0L);
            }
            for (Row row : rows) {
                byState.put(AppSessionState.valueOf(row.getString("state")), row.getLong("n"));
            }
            return new Counts(byState);
        });
    }
}
