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
 * {@code sessions=1000,10000} · {@code deliveries=25000,35000,50000,…} (offered deliveries/s per step) ·
 * {@code step-seconds=8} · {@code fixed-load=50000} · {@code targets=raw-vertx,appmanager,socketio} ·
 * {@code source-addresses=4} · {@code scenarios=fanout,idle,reconnect,resurrection} ·
 * {@code idle-sessions=10000,50000} · {@code idle-seconds=5} · {@code reconnect-sessions=10000} ·
 * {@code reconnect-publish-per-s=2} · for the resurrection storm {@code resurrection-sessions=10000} ·
 * {@code resurrection-apps=10} · {@code resurrection-grace-ms=5000} · {@code resurrection-jitter-ms=} (default: the
 * server's first-attempt jitter, 5 s) · {@code out=target/bench} · {@code plots=docs/benchmarks} ·
 * {@code pin=fanout} (scenarios run with the load client on CPU 0 and the server under test on CPU 1; true: all,
 * false: none) ·
 * {@code jfr=<dir>} (no default: a JFR profile of each JVM target, {@code <dir>/<target>.jfr}) ·
 * {@code resummarise=<results.json>} (no target runs: an earlier run's rows of the named scenarios are
 * summarised, tabulated and plotted again into {@code out} and {@code plots}).
 */
public final class BenchMain {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("sessions", "1000,10000");
        a.put("deliveries", "25000,35000,50000,70000,100000,140000,200000,280000,400000");
        a.put("step-seconds", "8");
        a.put("fixed-load", "50000");
        a.put("targets", "raw-vertx,appmanager,socketio");
        a.put("scenarios", "fanout,idle,reconnect,resurrection");
        a.put("pin", "fanout");
        a.put("source-addresses", "4");
        a.put("resurrection-sessions", "10000");
        a.put("resurrection-apps", "10");
        a.put("resurrection-grace-ms", "5000");
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
        if (a.containsKey("jfr")) {
            java.nio.file.Files.createDirectories(Path.of(a.get("jfr")));
            System.setProperty("bench.jfr", a.get("jfr"));
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : a.get("scenarios").split(",")) {
            scenarios.add(scenario(name.trim(), a));
        }
        Map<Scenario, List<JsonObject>> rows = new LinkedHashMap<>();
        scenarios.forEach(s -> rows.put(s, new ArrayList<>()));
        if (a.containsKey("resummarise")) {
            // the rows of an earlier run, summarised, tabulated and plotted again by this code (no target runs)
            JsonObject earlier = new JsonObject(java.nio.file.Files.readString(Path.of(a.get("resummarise"))));
            for (Object o : earlier.getJsonArray("rows")) {
                JsonObject row = (JsonObject) o;
                scenarios.stream().filter(s -> s.name().equals(row.getString("scenario"))).findFirst()
                        .ifPresent(s -> rows.get(s).add(row));
            }
            report(a, earlier.getJsonObject("machine"), Instant.parse(earlier.getString("started")), rows);
            System.exit(0);
        }
        java.util.Set<String> pinned = pinnedScenarios(a.get("pin"), scenarios);
        // read while unpinned: a JVM pinned to one CPU reports one available processor
        JsonObject machine = Results.machine().put("pinned_scenarios", new JsonArray(List.copyOf(pinned)));
        System.out.println("machine: " + machine.encode());
        Instant started = Instant.now();
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
                            boolean pin = pinned.contains(s.name());
                            pin(ProcessHandle.current().pid(), pin ? CLIENT_CPU : BOTH_CPUS);
                            pin(target.pid(), pin ? SERVER_CPU : BOTH_CPUS);
                            System.out.println("== " + s.name() + " against " + target.name() + (pin
                                    ? ": server on CPU " + SERVER_CPU + ", load client on CPU " + CLIENT_CPU
                                    : ": server and load client on CPUs " + BOTH_CPUS));
                            rows.get(s).addAll(s.run(vertx, target));
                        }
                    }
                    if (a.containsKey("jfr") && !target.name().equals("socketio")) {
                        dumpProfile(target, Path.of(a.get("jfr")));
                    }
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        report(a, machine, started, rows);
        System.exit(0);
    }

    /** Writes results.json, results.md and the plots from every scenario's rows. */
    private static void report(Map<String, String> a, JsonObject machine, Instant started,
                               Map<Scenario, List<JsonObject>> rows) throws Exception {
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
    }

    private static Target start(String name) throws Exception {
        return switch (name) {
            case "appmanager" -> AppManagerTarget.start();
            case "raw-vertx" -> RawVertxTarget.start();
            case "socketio" -> SocketIoTarget.start();
            default -> throw new IllegalArgumentException("unknown target " + name + " (appmanager, raw-vertx, socketio)");
        };
    }

    /**
     * For the scenarios named by {@code pin} (default {@code fanout}; {@code true} all, {@code false} none) the
     * load client (this JVM: sessions and publisher) runs on CPU 0 and the server
     * under test on CPU 1, so a target's numbers are what one core of server does, not what is left of
     * two cores after the client took its share. Node's Socket.IO server uses one core for its JavaScript
     * anyway; the JVM targets lose their second core, which makes the comparison per core.
     */
    private static final String CLIENT_CPU = "0";
    private static final String SERVER_CPU = "1";
    /**
     * The other scenarios run unpinned: a handshake or resume storm is CPU-bound on both sides at once,
     * and a JVM's GC and JIT threads need the second CPU more than a steady fan-out does.
     */
    private static final String BOTH_CPUS = "0-1";

    private static java.util.Set<String> pinnedScenarios(String pin, List<Scenario> scenarios) {
        if (pin == null || pin.equals("false")) {
            return java.util.Set.of();
        }
        if (pin.equals("true")) {
            return scenarios.stream().map(Scenario::name).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
        return new java.util.TreeSet<>(Arrays.asList(pin.split(",")));
    }

    /** Pins every thread of {@code pid} (and the threads they start later) to {@code cpus}, with taskset. */
    private static void pin(long pid, String cpu) throws Exception {
        int exit = new ProcessBuilder("taskset", "-a", "-cp", cpu, Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("taskset -a -cp " + cpu + " " + pid + " failed with exit " + exit
                    + " (pinning needs util-linux taskset and 2 CPUs; pin=false runs without it)");
        }
    }

    /** Writes the target's JFR recording (started by {@link AppManagerTarget#jvmOptions}) to {@code <dir>/<target>.jfr}. */
    private static void dumpProfile(Target target, Path dir) throws Exception {
        Path file = dir.resolve(target.name() + ".jfr").toAbsolutePath();
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        int exit = new ProcessBuilder(jcmd, Long.toString(target.pid()), "JFR.dump", "name=bench", "filename=" + file)
                .inheritIO().start().waitFor();
        System.out.println(exit == 0 ? "profile of " + target.name() + ": " + file : "jcmd JFR.dump failed with exit " + exit);
    }

    /** Scenario names of the {@code scenarios} argument; each reads the settings it needs from {@code a}. */
    private static Scenario scenario(String name, Map<String, String> a) {
        return switch (name) {
            case "fanout" -> new FanoutScenario(ints(a.get("sessions")), ints(a.get("deliveries")),
                    Double.parseDouble(a.get("step-seconds")), Integer.parseInt(a.get("source-addresses")),
                    Integer.parseInt(a.get("fixed-load")));
            case "resurrection" -> new ResurrectionStormScenario(ints(a.get("resurrection-sessions")),
                    Integer.parseInt(a.get("resurrection-apps")), Long.parseLong(a.get("resurrection-grace-ms")),
                    a.containsKey("resurrection-jitter-ms") ? Long.valueOf(a.get("resurrection-jitter-ms")) : null,
                    Integer.parseInt(a.get("source-addresses")));
                        case "idle" -> new IdleFootprintScenario(ints(a.get("idle-sessions")), Integer.parseInt(a.get("source-addresses")),
                    Double.parseDouble(a.get("idle-seconds")));
            case "reconnect" -> new ReconnectStormScenario(ints(a.get("reconnect-sessions")),
                    Double.parseDouble(a.get("reconnect-publish-per-s")), Integer.parseInt(a.get("source-addresses")));
            default -> throw new IllegalArgumentException("unknown scenario " + name + " (fanout, idle, reconnect, resurrection)");
        };
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
