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

    private final Process process;
    private final int port;
    private final Path log;

    private PackagedService(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The production profile has no sealing key; each run gets a fresh one, as an operator would make. */
    private static String randomSealingKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    public static PackagedService start(Map<String, String> config) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after `package` (./mvnw verify)");
        }
        int port = freePort();
        Path log = Files.createTempFile("appmanager-it-", ".log");
        Path data = Files.createTempDirectory("appmanager-it-pg-");
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dappmanager.auth.hs256-secret=" + SECRET,
                "-Dappmanager.apps.secret-key=" + randomSealingKey(),
                "-Dappmanager.db.embedded.port=" + freePort(), "-Dappmanager.db.embedded.data-dir=" + data));
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PackagedService s = new PackagedService(p, port, log);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("service exited: " + s.output());
                }
                return s.ready();
            });
        } catch (RuntimeException | Error e) {
            // nobody holds the service yet to close it: a child that never got ready must not outlive the test
            p.destroyForcibly();
            throw e;
        }
        return s;
    }

    public int port() {
        return port;
    }

    public URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws?v=1&encoding=json");
    }

    public boolean ready() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, as Kubernetes sends it. */
    public void terminate() {
        process.destroy();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("service did not exit within " + timeout + ": " + output());
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

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
