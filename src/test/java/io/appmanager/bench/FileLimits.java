package io.appmanager.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Session counts against the open-files limit ({@code ulimit -n}) of the load client and of the
 * server: each session is a socket on both sides. A count that does not fit is skipped with a row
 * saying so and how to raise the limit, instead of failing halfway with EMFILE; the summary and
 * table helpers carry such rows through as they are.
 */
final class FileLimits {

    /** Descriptors a process needs besides its sessions (jars, pipes, the publisher, epoll, the embedded database's). */
    static final long SPARE_FILES = 1000;
    static final String RAISE_LIMIT = "run `ulimit -n 200000` (as root) in the shell before the mvn command";

    private FileLimits() {
    }

    /** One session count's run, giving its row. */
    interface SizeRun {
        JsonObject run(int n) throws Exception;
    }

    /**
     * Runs each count the limits allow, in order; a {@code skipped} row for each they do not.
     *
     * @param socketsPerSession sockets each side holds per session at the peak
     */
    static List<JsonObject> eachSize(Scenario scenario, Target target, List<Integer> sizes, int socketsPerSession, SizeRun run)
            throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        for (int n : sizes) {
            String tooMany = tooManyFor(target, (long) n * socketsPerSession);
            if (tooMany != null) {
                scenario.progress(target, n, "skipped: %s", tooMany);
                rows.add(scenario.row(target.name(), n).put("skipped", tooMany));
            } else {
                rows.add(run.run(n));
            }
        }
        return rows;
    }

    /**
     * One summary object per row: its scenario, target and sessions; a skipped row adds why, any
     * other row is completed by {@code measured} (given the row and the summary object).
     */
    static JsonArray summaries(List<JsonObject> rows, BiConsumer<JsonObject, JsonObject> measured) {
        JsonArray out = new JsonArray();
        for (JsonObject r : rows) {
            JsonObject s = new JsonObject().put("scenario", r.getString("scenario")).put("target", r.getString("target"))
                    .put("sessions", r.getInteger("sessions"));
            if (r.containsKey("skipped")) {
                s.put("skipped", r.getString("skipped"));
            } else {
                measured.accept(r, s);
            }
            out.add(s);
        }
        return out;
    }

    /**
     * A Markdown table: {@code header} (its heading line and separator), then a line per row from
     * {@code measured}, or for a skipped row its target, sessions and why, the other cells empty.
     */
    static String table(String header, List<JsonObject> rows, Function<JsonObject, String> measured) {
        int columns = (int) header.lines().filter(l -> l.startsWith("|---")).findFirst().orElseThrow().chars()
                .filter(c -> c == '|').count() - 1;
        StringBuilder b = new StringBuilder(header);
        for (JsonObject r : rows) {
            b.append(r.containsKey("skipped")
                    ? String.format("| %s | %,d | skipped: %s |%s%n", r.getString("target"), r.getInteger("sessions"),
                    r.getString("skipped"), "|".repeat(columns - 3))
                    : measured.apply(r));
        }
        return b.toString();
    }

    /** Why {@code sockets} do not fit the open-files limits of this JVM or the server, or null. */
    private static String tooManyFor(Target target, long sockets) {
        long mine = ProcStats.openFilesLimit(ProcessHandle.current().pid());
        long server = ProcStats.openFilesLimit(target.pid());
        long needed = sockets + SPARE_FILES;
        if ((mine >= 0 && mine < needed) || (server >= 0 && server < needed)) {
            return String.format("%,d sockets need about %,d open files in the load client and in the server;"
                    + " the limits are %,d and %,d: %s", sockets, needed, mine, server, RAISE_LIMIT);
        }
        return null;
    }
}
