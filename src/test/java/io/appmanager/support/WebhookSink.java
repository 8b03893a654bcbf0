package io.appmanager.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A real HTTP server standing in for an app server's webhook endpoint: records every request as
 * received (headers, raw body) and answers with a status the test chooses (200 unless queued or set).
 */
public final class WebhookSink implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the app server received it. */
    public record Received(long receivedAtMillis, Map<String, List<String>> headers, byte[] rawBody, JsonNode body) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public String type() {
            return body.path("type").asText();
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> queued = new ConcurrentLinkedQueue<>();
    private volatile int status = 200;
    private volatile long delayMillis;

    private WebhookSink(HttpServer server) {
        this.server = server;
    }

    public static WebhookSink start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            WebhookSink sink = new WebhookSink(server);
            server.createContext("/webhook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                JsonNode parsed;
                try {
                    parsed = JSON.readTree(body);
                } catch (IOException e) {
                    parsed = JSON.createObjectNode();
                }
                sink.received.add(new Received(System.currentTimeMillis(), Map.copyOf(exchange.getRequestHeaders()), body, parsed));
                if (sink.delayMillis > 0) {
                    try {
                        // an app server that hangs: the caller's timeout must fire first
                        Thread.sleep(sink.delayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                Integer next = sink.queued.poll();
                int code = next != null ? next : sink.status;
                byte[] answer = "{}".getBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(code, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhook");
    }

    /** Every later request is answered with this status. */
    public WebhookSink answer(int status) {
        this.status = status;
        return this;
    }

    /** Every later request is answered only after this long (a hanging app server). */
    public WebhookSink answerAfter(java.time.Duration delay) {
        this.delayMillis = delay.toMillis();
        return this;
    }

    /** The next requests are answered with these statuses, in order, before the standing answer. */
    public WebhookSink answerNext(Integer... statuses) {
        queued.addAll(List.of(statuses));
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(Predicate<Received> filter) {
        return received.stream().filter(filter).toList();
    }

    /** Requests of this type for this app session. */
    public List<Received> of(String type, String appSessionId) {
        return received(r -> r.type().equals(type) && r.body().path("app_session_id").asText().equals(appSessionId));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
