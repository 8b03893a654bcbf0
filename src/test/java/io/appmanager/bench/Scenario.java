package io.appmanager.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One benchmark scenario, run against each {@link Target} of an invocation in turn so the targets
 * are measured side by side on the same machine in the same run. Each result row is one JSON object
 * with at least {@code scenario}, {@code target} and {@code sessions}. A scenario also owns how its
 * rows are summarised (ratios against the baselines, the targets), tabulated and plotted:
 * {@link BenchMain} only runs scenarios and collects what they return.
 */
public interface Scenario {

    String name();

    /** Whether this scenario means anything for {@code targetName} (a resurrection storm has no baseline peer). */
    default boolean appliesTo(String targetName) {
        return true;
    }

    List<JsonObject> run(Vertx vertx, Target target) throws Exception;

    /** Summary objects for {@code results.json} from this scenario's rows of every target. */
    JsonArray summary(List<JsonObject> rows);

    /** The rows as a Markdown section (heading and table) for {@code results.md} and docs/benchmarks.md. */
    String markdown(List<JsonObject> rows);

    /** A new row of this scenario: its scenario, target and sessions keys. */
    default JsonObject row(String target, int sessions) {
        return new JsonObject().put("scenario", name()).put("target", target).put("sessions", sessions);
    }

    /** Progress on the console, prefixed with this scenario, the target and N. */
    default void progress(Target target, int n, String format, Object... args) {
        System.out.printf("[%s %s n=%d] %s%n", name(), target.name(), n, String.format(format, args));
    }

    /** Writes this scenario's PNG plots into {@code dir}; returns the files written. */
    default List<Path> plots(List<JsonObject> rows, Path dir) throws IOException {
        return List.of();
    }
}
