package io.appmanager.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmark suite: every scenario against every target, one target process at a time,
 * then writes {@code target/bench/results.json} (and the same rows as a Markdown table in
 * {@code results.md}) and the PNG plots in {@code docs/benchmarks/}.
 * The documented command is {@code ./mvnw -B -Pbench verify -DskipTests} (docs/benchmarks.md).
 *
 * <p>Arguments ({@code key=value}, any order; {@code defaults} alone means all defaults):
 * {@code sessions=1000,10000} · {@code deliveries=25000,50000,…} (offered deliveries/s per step) ·
 * {@code step-seconds=8} · {@code fixed-load=50000} · {@code targets=raw-vertx,appmanager,socketio} ·
 * {@code source-addresses=4} · {@code scenarios=fanout} (also {@code idle}, {@code reconnect}) ·
 * {@code idle-sessions=10000,50000} · {@code idle-seconds=5} · {@code reconnect-sessions=10000} ·
 * {@code reconnect-publish-per-s=2} · {@code out=target/bench} · {@code plots=docs/benchmarks}.
 */
public final class BenchMain {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("sessions", "1000,10000");
        a.put("deliveries", "25000,50000,100000,200000,400000,800000");
        a.put("step-seconds", "8");
        a.put("fixed-load", "50000");
        a.put("targets", "raw-vertx,appmanager,socketio");
        a.put("scenarios", "fanout");
        a.put("source-addresses", "4");
        a.put("idle-sessions", "10000,50000");
        a.put("idle-seconds", "5");
        a.put("reconnect-sessions", "10000");
        a.put("reconnect-publish-per-s", "2");
        a.put("out", "target/bench");
        a.put("plots", "docs/benchmarks");
        for (String arg : args) {
            for (String part : arg.trim().split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    a.put(part.substring(0, eq), part.substring(eq + 1));
                } else if (!part.isEmpty() && !part.equals("defaults")) {
                    throw new IllegalArgumentException("unknown argument " + part + " (expected key=value)");
                }
            }
        }
        System.out.println("bench settings: " + a);
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : a.get("scenarios").split(",")) {
            scenarios.add(scenario(name.trim(), a));
        }
        JsonObject machine = Results.machine();
        System.out.println("machine: " + machine.encode());
        Instant started = Instant.now();
        Map<Scenario, List<JsonObject>> rows = new LinkedHashMap<>();
        scenarios.forEach(s -> rows.put(s, new ArrayList<>()));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            for (String name : a.get("targets").split(",")) {
                String skip = name.trim().equals("socketio") ? SocketIoTarget.unavailable() : null;
                if (skip != null) {
                    System.out.println("== socketio skipped: " + skip);
                    continue;
                }
                try (Target target = start(name.trim())) {
                    System.out.println("== " + target.name() + " (pid " + target.pid() + ", port " + target.port() + ")");
                    for (Scenario s : scenarios) {
                        if (s.appliesTo(target.name())) {
                            rows.get(s).addAll(s.run(vertx, target));
                        }
                    }
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        JsonArray summary = new JsonArray();
        List<JsonObject> allRows = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        List<Path> plots = new ArrayList<>();
        for (Map.Entry<Scenario, List<JsonObject>> e : rows.entrySet()) {
            summary.addAll(e.getKey().summary(e.getValue()));
            allRows.addAll(e.getValue());
            table.append(e.getKey().markdown(e.getValue())).append('\n');
            plots.addAll(e.getKey().plots(e.getValue(), Path.of(a.get("plots"))));
        }
        Path out = Path.of(a.get("out"), "results.json");
        Results.write(out, machine, started, allRows, summary);
        java.nio.file.Files.writeString(out.resolveSibling("results.md"), table);
        System.out.println(table);
        System.out.println("summary: " + summary.encodePrettily());
        System.out.println("wrote " + out + " and " + plots);
        System.exit(0);
    }

    private static Target start(String name) throws Exception {
        return switch (name) {
            case "appmanager" -> AppManagerTarget.start();
            case "raw-vertx" -> RawVertxTarget.start();
            case "socketio" -> SocketIoTarget.start();
            default -> throw new IllegalArgumentException("unknown target " + name + " (appmanager, raw-vertx, socketio)");
        };
    }

    /** Scenario names of the {@code scenarios} argument; each reads the settings it needs from {@code a}. */
    private static Scenario scenario(String name, Map<String, String> a) {
        return switch (name) {
            case "fanout" -> new FanoutScenario(ints(a.get("sessions")), ints(a.get("deliveries")),
                    Double.parseDouble(a.get("step-seconds")), Integer.parseInt(a.get("source-addresses")),
                    Integer.parseInt(a.get("fixed-load")));
            case "idle" -> new IdleFootprintScenario(ints(a.get("idle-sessions")), Integer.parseInt(a.get("source-addresses")),
                    Double.parseDouble(a.get("idle-seconds")));
            case "reconnect" -> new ReconnectStormScenario(ints(a.get("reconnect-sessions")),
                    Double.parseDouble(a.get("reconnect-publish-per-s")), Integer.parseInt(a.get("source-addresses")));
            default -> throw new IllegalArgumentException("unknown scenario " + name + " (fanout, idle, reconnect)");
        };
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
