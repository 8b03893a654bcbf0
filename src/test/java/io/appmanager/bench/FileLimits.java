package io.appmanager.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Session counts against the open-files limit ({@code ulimit -n}) of the load client and of the
 * server: each session is a socket on both sides. A count that does not fit is skipped with a row
 * saying so and how to raise the limit, instead of failing halfway with EMFILE.
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
    static List<JsonObject> eachSize(String scenario, Target target, List<Integer> sizes, int socketsPerSession, SizeRun run)
            throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        for (int n : sizes) {
            String tooMany = tooManyFor(target, (long) n * socketsPerSession);
            if (tooMany != null) {
                System.out.printf("[%s %s n=%d] skipped: %s%n", scenario, target.name(), n, tooMany);
                rows.add(new JsonObject().put("scenario", scenario).put("target", target.name()).put("sessions", n)
                        .put("skipped", tooMany));
            } else {
                rows.add(run.run(n));
            }
        }
        return rows;
    }

    /** A summary's start for {@code row}: its scenario, target and sessions, and why it was skipped if it was. */
    static JsonObject summaryOf(JsonObject row) {
        JsonObject s = new JsonObject().put("scenario", row.getString("scenario")).put("target", row.getString("target"))
                .put("sessions", row.getInteger("sessions"));
        return row.containsKey("skipped") ? s.put("skipped", row.getString("skipped")) : s;
    }

    /** A skipped row as a Markdown table row of {@code columns} cells. */
    static String markdownSkipped(JsonObject row, int columns) {
        return String.format("| %s | %,d | skipped: %s |%s%n", row.getString("target"), row.getInteger("sessions"),
                row.getString("skipped"), "|".repeat(columns - 3));
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
