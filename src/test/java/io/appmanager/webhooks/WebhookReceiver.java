package io.appmanager.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on a free 127.0.0.1 port standing in for app servers: each path answers as the test
 * scripted it (200 by default) and every request is recorded with its headers and exact body bytes.
 */
final class WebhookReceiver implements AutoCloseable {

    /** A recorded request; header names are lower case. */
    record Received(String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange, WebhookReceiver receiver) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Slow answers wait on this; close() opens it, so no handler outlives the test. */
    private final CountDownLatch released = new CountDownLatch(1);

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static WebhookReceiver start() throws IOException {
        return new WebhookReceiver();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    WebhookReceiver answer(String path, Answer answer) {
        answers.put(path, answer);
        return this;
    }

    List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    int count(String path) {
        return received(path).size();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, Map.copyOf(headers), in.readAllBytes()));
            answers.getOrDefault(path, status(200)).answer(exchange, this);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- scripted answers

    static Answer status(int status) {
        return body(status, "");
    }

    static Answer body(int status, String body) {
        return (exchange, receiver) -> write(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer redirect(int status, String location) {
        return (exchange, receiver) -> {
            exchange.getResponseHeaders().add("Location", location);
            write(exchange, status, new byte[0]);
        };
    }

    /** Answers {@code status} with a body of {@code bytes} bytes, in 8 KiB writes. */
    static Answer huge(int status, int bytes) {
        return (exchange, receiver) -> {
            exchange.sendResponseHeaders(status, bytes);
            byte[] chunk = "0123456789abcdef".repeat(512).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int left = bytes; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, Math.min(left, chunk.length));
                }
            }
        };
    }

    /** Holds the answer until the test ends (or 30 s), far past any test timeout; then answers 200. */
    static Answer hanging() {
        return (exchange, receiver) -> {
            receiver.released.await(30, TimeUnit.SECONDS);
            write(exchange, 200, new byte[0]);
        };
    }

    private static void write(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
