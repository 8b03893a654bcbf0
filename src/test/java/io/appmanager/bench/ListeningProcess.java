package io.appmanager.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts a baseline server as a child process and waits for its {@code listening <port>} line; the
 * rest of its output is echoed with a {@code [name]} prefix. The process is killed when this JVM ends.
 */
final class ListeningProcess {

    private ListeningProcess() {
    }

    static Process start(String name, ProcessBuilder builder) throws Exception {
        Process p = builder.redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "stop-" + name));
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("listening ")) {
                        listening.complete(null);
                    } else {
                        System.out.println("[" + name + "] " + line);
                    }
                }
            } catch (Exception ignored) {
                // the process ended
            }
            listening.completeExceptionally(new IllegalStateException(name + " exited before listening"));
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            listening.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        return p;
    }
}
