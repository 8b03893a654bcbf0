package io.appmanager.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) in a child process, as an
 * operator runs it: for tests that need a real process (signals, restarts, several nodes).
 */
public final class PackagedService implements AutoCloseable {

    public static final String SECRET = "it-only-secret-0123456789abcdef0123456789";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;
    private final String name;
    /** The embedded PostgreSQL's data directory, when this service runs one (null with an external database). */
    private final Path embeddedDataDir;
    private final long launchedAt = System.nanoTime();

    private PackagedService(Process process, int port, Path log, String name, Path embeddedDataDir) {
        this.embeddedDataDir = embeddedDataDir;
        this.process = process;
        this.port = port;
        this.log = log;
        this.name = name;
    }

    /** The production profile has no sealing key; each run gets a fresh one, as an operator would make. */
    public static String randomSealingKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /**
     * One service with its own embedded PostgreSQL (fresh port and data directory), the test HS256
     * secret and a fresh sealing key; {@code config} overrides any of them. Returns once ready.
     */
    public static PackagedService start(Map<String, String> config) throws Exception {
        return start(List.of(), config);
    }

    /** {@link #start(Map)} with JVM options (e.g. a larger {@code -Xmx}; the last one given wins). */
    public static PackagedService start(List<String> jvmOptions, Map<String, String> config) throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("appmanager.auth.hs256-secret", SECRET);
        all.put("appmanager.apps.secret-key", randomSealingKey());
        all.put("appmanager.db.embedded.port", Integer.toString(freePort()));
        all.put("appmanager.db.embedded.data-dir", Files.createTempDirectory("appmanager-it-pg-").toString());
        all.putAll(config);
        return launch("service", freePort(), jvmOptions, all).awaitReady();
    }

    /**
     * Starts the process and returns at once, without waiting for readiness, so several can boot in
     * parallel. {@code config} is passed as is (nothing added but the port and host): for a node of a
     * {@link Cluster} it carries the shared database, secrets and node id. {@code jvmOptions} go
     * before the -D properties (after {@code -Xmx256m}).
     */
    public static PackagedService launch(String name, int port, List<String> jvmOptions, Map<String, String> config)
            throws IOException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after `package` (./mvnw verify)");
        }
        Path log = Files.createTempFile("appmanager-it-" + name + "-", ".log");
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m"));
        cmd.addAll(jvmOptions);
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // a test JVM that is stopped (Ctrl-C, a failsafe timeout) must not leave services running
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "stop-" + name));
        String dataDir = config.get("appmanager.db.embedded.data-dir");
        return new PackagedService(p, port, log, name, dataDir == null ? null : Path.of(dataDir));
    }

    /** Waits until /q/health/ready answers 200; a process that exits or never gets ready is killed and reported with its log. */
    public PackagedService awaitReady() {
        try {
            await().atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + output());
                }
                return ready();
            });
        } catch (RuntimeException | Error e) {
            // nobody holds the service yet to close it: a child that never got ready must not outlive the test
            process.destroyForcibly();
            if (e instanceof org.awaitility.core.ConditionTimeoutException) {
                throw new AssertionError(name + " not ready within " + BOOT_TIMEOUT + "; last log lines:\n" + tail(100), e);
            }
            throw e;
        }
        return this;
    }

    /** Time from launch to now, for boot-time reports right after {@link #awaitReady()}. */
    public Duration sinceLaunch() {
        return Duration.ofNanos(System.nanoTime() - launchedAt);
    }

    public Path logFile() {
        return log;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws?v=1&encoding=json");
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public boolean ready() {
        return readiness().status() == 200;
    }

    /** What /q/health/ready answered: 200 with the checks' data, 503 while not ready (or draining). */
    public record Readiness(int status, String body) {
    }

    /** GET /q/health/ready; status -1 and an empty body when nothing answers on the port. */
    public Readiness readiness() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(http("/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return new Readiness(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Readiness(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Readiness(-1, "");
        }
    }

    /** SIGTERM, as Kubernetes sends it; returns at once (see {@link #awaitExit}). */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM and wait for the process to exit; returns the exit code (0, or 143 for SIGTERM). */
    public int terminateAndWait(Duration timeout) throws InterruptedException {
        terminate();
        return awaitExit(timeout);
    }

    /** SIGKILL (kill -9): no drain, no shutdown hook; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + timeout + ": " + tail(100));
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The last {@code lines} lines of the log, headed with the node's name and port, for assertion messages. */
    public String tail(int lines) {
        List<String> all = output().lines().toList();
        return "---- " + name + " (port " + port + ", pid " + process.pid() + (process.isAlive() ? ", alive" : ", exited")
                + ", log " + log + ") last " + Math.min(lines, all.size()) + " of " + all.size() + " lines ----\n"
                + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        stopEmbeddedDatabase();
    }

    /**
     * A killed service cannot stop its embedded PostgreSQL (pg_ctl daemonised it, so it is no child of the
     * service): without this every integration test and benchmark run left an idle postmaster behind.
     * SIGTERM is PostgreSQL's smart shutdown, immediate once its clients are gone; the data directory this
     * class made goes with it.
     */
    private void stopEmbeddedDatabase() {
        if (embeddedDataDir == null) {
            return;
        }
        try {
            process.waitFor(30, TimeUnit.SECONDS);
            Path pidFile = embeddedDataDir.resolve("postmaster.pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                ProcessHandle.of(pid).ifPresent(pg -> {
                    pg.destroy();
                    pg.onExit().completeOnTimeout(pg, 10, TimeUnit.SECONDS).join();
                });
            }
            if (embeddedDataDir.getFileName().toString().startsWith("appmanager-it-pg-")) {
                try (var files = Files.walk(embeddedDataDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println(name + ": embedded PostgreSQL in " + embeddedDataDir + " not stopped: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
