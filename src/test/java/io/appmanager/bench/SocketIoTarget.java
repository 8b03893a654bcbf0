package io.appmanager.bench;

import io.appmanager.it.PackagedService;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Socket.IO v4 baseline (issue 5 (b)): {@code bench/socketio/server.js} under Node, with
 * connection state recovery on, fanning {@code POST /api/v1/events} bodies out to the room named by
 * their topic. Installs its one dependency with {@code npm ci --omit=dev} the first time (or when
 * package-lock.json is newer than node_modules). Sessions are {@link SocketIoSessions}; a session's
 * "token" is its handshake auth object, which carries the topic to join.
 */
public final class SocketIoTarget extends ChildProcessTarget {

    static final Path DIR = Path.of("bench", "socketio");

    private SocketIoTarget(Process process, int port) {
        super("socketio", process, port);
    }

    /** Why this target cannot run here (no node or npm on PATH, or no bench/socketio), or null when it can. */
    public static String unavailable() {
        if (!Files.isRegularFile(DIR.resolve("server.js"))) {
            return "no " + DIR.resolve("server.js") + " (run from the project root)";
        }
        for (String tool : List.of("node", "npm")) {
            try {
                Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    return tool + " --version failed";
                }
            } catch (IOException e) {
                return tool + " is not on PATH";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return null;
    }

    /** Whether {@code bench/socketio/node_modules} holds what package-lock.json pins (npm writes a hidden lockfile there). */
    static boolean installed() throws IOException {
        Path hidden = DIR.resolve("node_modules").resolve(".package-lock.json");
        return Files.isRegularFile(hidden)
                && Files.getLastModifiedTime(hidden).compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json"))) >= 0;
    }

    static void install() throws Exception {
        if (installed()) {
            return;
        }
        System.out.println("[socketio] npm ci --omit=dev in " + DIR);
        Process p = new ProcessBuilder("npm", "ci", "--omit=dev", "--no-audit", "--no-fund").directory(DIR.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("npm ci failed in " + DIR + ":\n" + out);
        }
    }

    public static SocketIoTarget start() throws Exception {
        install();
        int port = PackagedService.freePort();
        Process p = ListeningProcess.start("socketio",
                new ProcessBuilder("node", "--expose-gc", "server.js", Integer.toString(port)).directory(DIR.toFile()));
        return new SocketIoTarget(p, port);
    }

    /** The handshake auth object: the server joins the session to {@code topic}; the token is not checked. */
    @Override
    public String sessionToken(int i, String topic) {
        return "{\"token\":\"unchecked\",\"topic\":\"" + topic + "\"}";
    }

    @Override
    public Subscribers subscribers(Vertx vertx, Sessions.Options options, LatencyRecorder latency) {
        return new SocketIoSessions(vertx, options, latency);
    }

    @Override
    public MemoryProbe memory() {
        return new NodeMemory(port, pid());
    }
}
