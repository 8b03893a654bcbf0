package io.appmanager.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes {@code message.create} events to one topic at a fixed rate over {@code POST /api/v1/events}
 * (Vert.x HttpClient, keep-alive pool). Each event's data carries its index and its publish time
 * ({@link System#nanoTime()} of this JVM, taken just before the request is written), so
 * {@link Sessions} measures publish-to-deliver in the same clock.
 *
 * <p>The schedule is open-loop: a 1 ms timer sends whatever the rate says is due, capped by
 * {@code maxInFlight} outstanding requests. A server that cannot keep up makes the publisher fall
 * behind its schedule, which {@link Step#behind()} reports. With {@code maxInFlight} 1 each publish
 * waits for the previous 200, so events are published in index order (the smoke test relies on it).
 */
public final class Publisher implements AutoCloseable {

    private final Vertx vertx;
    private final HttpClient http;
    private final String host;
    private final int port;
    private final String token;
    private final String topic;
    private final int maxInFlight;
    private final AtomicLong nextIndex = new AtomicLong();
    final LongAdder ok = new LongAdder();
    final LongAdder failed = new LongAdder();
    private volatile String lastFailure;

    public Publisher(Vertx vertx, String host, int port, String token, String topic, int maxInFlight) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.token = token;
        this.topic = topic;
        this.maxInFlight = maxInFlight;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setMaxPoolSize(Math.max(1, Math.min(maxInFlight, 32))).setConnectTimeout(10_000));
    }

    /** What one fixed-rate run did. */
    public record Step(long due, long sent, long ok, long failed, String lastFailure) {
        public boolean behind() {
            return sent < due * 0.98;
        }
    }

    /** Publishes at {@code perSecond} for {@code seconds}; completes when every request has been answered. */
    public CompletableFuture<Step> run(double perSecond, double seconds) {
        CompletableFuture<Step> done = new CompletableFuture<>();
        long start = System.nanoTime();
        long total = Math.max(1, Math.round(perSecond * seconds));
        long okBefore = ok.sum();
        long failedBefore = failed.sum();
        long[] sent = {0};
        int[] inFlight = {0};
        long[] answered = {0};
        vertx.runOnContext(v -> {
            // all scheduling state lives on this one context
            io.vertx.core.Context ctx = vertx.getOrCreateContext();
            Runnable[] pump = new Runnable[1];
            pump[0] = () -> {
                long due = Math.min(total, (long) Math.floor((System.nanoTime() - start) / 1e9 * perSecond) + 1);
                while (sent[0] < due && inFlight[0] < maxInFlight) {
                    sent[0]++;
                    inFlight[0]++;
                    send(() -> ctx.runOnContext(x -> {
                        inFlight[0]--;
                        answered[0]++;
                        if (answered[0] == total) {
                            done.complete(new Step(total, sent[0], ok.sum() - okBefore, failed.sum() - failedBefore, lastFailure));
                        } else {
                            pump[0].run();
                        }
                    }));
                }
            };
            long timer = vertx.setPeriodic(1, id -> {
                if (sent[0] >= total) {
                    vertx.cancelTimer(id);
                    return;
                }
                pump[0].run();
            });
            done.whenComplete((s, e) -> vertx.cancelTimer(timer));
            pump[0].run();
        });
        return done;
    }

    /** Publishes {@code count} events one after the other (each waits for the previous answer). */
    public CompletableFuture<Step> sequential(long count) {
        CompletableFuture<Step> done = new CompletableFuture<>();
        long okBefore = ok.sum();
        long failedBefore = failed.sum();
        long[] n = {0};
        Runnable[] one = new Runnable[1];
        one[0] = () -> {
            if (n[0] == count) {
                done.complete(new Step(count, count, ok.sum() - okBefore, failed.sum() - failedBefore, lastFailure));
                return;
            }
            n[0]++;
            send(() -> vertx.runOnContext(v -> one[0].run()));
        };
        vertx.runOnContext(v -> one[0].run());
        return done;
    }

    public long published() {
        return ok.sum();
    }

    private void send(Runnable answered) {
        long index = nextIndex.getAndIncrement();
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI("/api/v1/events")
                        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json"))
                .compose(req -> req.send(Buffer.buffer(Frames.publish(topic, index, System.nanoTime())))
                        .compose(resp -> resp.body().map(body -> {
                            if (resp.statusCode() == 200) {
                                ok.increment();
                            } else {
                                failed.increment();
                                lastFailure = resp.statusCode() + " " + body;
                            }
                            return null;
                        })))
                .onFailure(e -> {
                    failed.increment();
                    lastFailure = e.toString();
                })
                .onComplete(r -> answered.run());
    }

    @Override
    public void close() {
        http.close();
    }
}
