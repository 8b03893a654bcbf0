package io.appmanager.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One benchmark scenario, run against each {@link Target} of an invocation in turn so the targets
 * are measured side by side on the same machine in the same run. Each result row is one JSON object
 * with at least {@code scenario}, {@code target} and {@code sessions}.
 */
public interface Scenario {

    String name();

    List<JsonObject> run(Vertx vertx, Target target) throws Exception;
}
