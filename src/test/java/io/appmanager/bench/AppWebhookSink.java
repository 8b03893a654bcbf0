package io.appmanager.bench;

import io.appmanager.webhooks.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The app servers of the resurrection storm: one Vert.x HTTP server per app, each on an address of its
 * own (127.0.1.k; all of 127/8 is loopback on Linux), because AppManager pools webhook connections per app
 * host (20) as it would for real apps on their own hosts. Each request is answered as a healthy app server
 * answers (docs/webhooks.md): its signature checked with the app's secret, then {@code 202} with no body.
 * No new instance is started: the storm measures the dispatch of first attempts, not what follows.
 *
 * <p>Every request is recorded with its arrival time ({@link System#nanoTime()} of the bench JVM, taken when
 * its headers arrived), kind, reason, attempt and app session. A request that arrives for an app session
 * while another one for it is still unanswered counts as a concurrent start.
 */
final class AppWebhookSink implements AutoCloseable {

    /** One webhook as the app server received it. */
    record Call(long arrivedNanos, String appSessionId, String type, String reason, int attempt, String idempotencyKey,
                boolean signatureValid) {

        boolean isFirstResurrectionAttempt() {
            return "session_request".equals(type) && "resurrection".equals(reason) && attempt == 1;
        }

        boolean isResurrection() {
            return "session_request".equals(type) && "resurrection".equals(reason);
        }
    }

    private final Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Map<String, CompletableFuture<Void>> starts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Set<String> firstAttempted = ConcurrentHashMap.newKeySet();
    final LongAdder concurrentStarts = new LongAdder();
    final LongAdder malformed = new LongAdder();

    AppWebhookSink(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Starts the server of app {@code index} and returns its webhook URL; {@link #secret} must follow before calls. */
    URI listen(int index) throws Exception {
        if (index >= 254 * 254) {
            throw new IllegalArgumentException("one loopback address per app: at most " + 254 * 254 + " apps");
        }
        String host = "127.0." + (1 + index / 254) + "." + (1 + index % 254);
        HttpServer server = vertx.createHttpServer().requestHandler(this::onRequest);
        server.listen(0, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        servers.add(server);
        return URI.create("http://" + host + ":" + server.actualPort() + "/webhook/" + index);
    }

    /** The webhook secret of {@code packageName}, shown once at registration, to verify its calls. */
    void secret(String packageName, String webhookSecret) {
        secrets.put(packageName, webhookSecret.getBytes(StandardCharsets.UTF_8));
    }

    /** Completes when the start {@code session_request} of this app session arrived (before or after the call). */
    CompletableFuture<Void> startOf(String appSessionId) {
        return starts.computeIfAbsent(appSessionId, id -> new CompletableFuture<>());
    }

    /** App sessions whose first resurrection attempt arrived so far. */
    int firstAttempted() {
        return firstAttempted.size();
    }

    /** Every call received so far, in arrival order per connection. */
    List<Call> calls() {
        return List.copyOf(calls);
    }

    private void onRequest(HttpServerRequest request) {
        long arrived = System.nanoTime();
        request.body().onComplete(body -> {
            if (body.failed()) {
                malformed.increment();
                request.response().setStatusCode(400).end();
                return;
            }
            JsonObject json;
            try {
                json = body.result().toJsonObject();
            } catch (RuntimeException e) {
                malformed.increment();
                request.response().setStatusCode(400).end();
                return;
            }
            String id = json.getString("app_session_id", "");
            byte[] secret = secrets.get(json.getString("package_name", ""));
            boolean valid = secret != null && WebhookSigner.verify(secret, request.getHeader(WebhookSigner.TIMESTAMP),
                    request.getHeader(WebhookSigner.SIGNATURE), body.result().getBytes(), Instant.now(),
                    WebhookSigner.DEFAULT_TOLERANCE) == WebhookSigner.Verification.VALID;
            Call call = new Call(arrived, id, json.getString("type", ""), json.getString("reason", ""),
                    json.getInteger("attempt", 0), request.getHeader(WebhookSigner.IDEMPOTENCY_KEY), valid);
            calls.add(call);
            if (call.isFirstResurrectionAttempt()) {
                firstAttempted.add(id);
            }
            if (!valid) {
                // what an app server does with a forged or stale webhook; counted by the scenario
                request.response().setStatusCode(401).end();
                return;
            }
            AtomicInteger open = inFlight.computeIfAbsent(id, k -> new AtomicInteger());
            if ("session_request".equals(call.type()) && open.incrementAndGet() > 1) {
                concurrentStarts.increment();
            }
            Future<Void> answered = request.response().setStatusCode(202).end();
            answered.onComplete(done -> {
                if ("session_request".equals(call.type())) {
                    open.decrementAndGet();
                }
                if ("start".equals(call.reason())) {
                    startOf(id).complete(null);
                }
            });
        });
    }

    @Override
    public void close() {
        for (HttpServer s : servers) {
            Connecting.closeWithin5s(s.close());
        }
    }
}
