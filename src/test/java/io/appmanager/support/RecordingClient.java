package io.appmanager.support;

import io.appmanager.sdk.AccordClient;
import io.appmanager.sdk.ClientListener;
import io.appmanager.sdk.GatewayEvent;
import io.appmanager.sdk.ReadyInfo;
import io.appmanager.sdk.ReconnectPolicy;
import io.appmanager.sdk.ResumedInfo;
import io.appmanager.sdk.VersionNotice;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** An SDK client plus everything its listener saw, for assertions. */
public final class RecordingClient implements ClientListener, AutoCloseable {

    /** Fast but still exponential: tests exercise the same code path as production, in milliseconds. */
    public static final ReconnectPolicy FAST = ReconnectPolicy.defaults()
            .withBaseDelay(Duration.ofMillis(10))
            .withJitterUnit(Duration.ofMillis(10))
            .withInvalidSessionWait(Duration.ofMillis(10), Duration.ofMillis(50));

    private static final HttpClient SHARED_HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    public final List<ReadyInfo> readies = new CopyOnWriteArrayList<>();
    public final List<ResumedInfo> resumes = new CopyOnWriteArrayList<>();
    public final List<Integer> disconnects = new CopyOnWriteArrayList<>();
    public final List<VersionNotice> notices = new CopyOnWriteArrayList<>();
    public final List<String> anomalies = new CopyOnWriteArrayList<>();
    public final List<String> failures = new CopyOnWriteArrayList<>();
    public final AtomicInteger refreshes = new AtomicInteger();
    public final AccordClient client;

    public RecordingClient(String token, List<String> intents) {
        this(() -> token, null, intents);
    }

    public RecordingClient(Supplier<String> token, Supplier<String> refresher, List<String> intents) {
        this(token, refresher, intents, Map.of("purpose", "test"));
    }

    /** An app SDK: {@code properties} carry package_name and user_session_id, the token is "Bot amk_...". */
    public RecordingClient(Supplier<String> token, Supplier<String> refresher, List<String> intents,
                           Map<String, Object> properties) {
        this(Gw.uri(), token, refresher, intents, properties, null);
    }

    /**
     * A client of another gateway than the test instance: a packaged node, or a cluster's balancer.
     * These share one HttpClient (one selector thread), so hundreds of them do not cost a thread pair each.
     */
    public RecordingClient(URI gateway, String token, List<String> intents) {
        this(gateway, () -> token, null, intents, Map.of("purpose", "test"), SHARED_HTTP);
    }

    /** {@code http} null: the SDK's default, a new HttpClient for this client. */
    public RecordingClient(URI gateway, Supplier<String> token, Supplier<String> refresher, List<String> intents,
                           Map<String, Object> properties, HttpClient http) {
        AccordClient.Builder b = AccordClient.builder(gateway)
                .tokenProvider(token)
                .intents(intents)
                .properties(properties)
                .listener(this)
                .reconnectPolicy(FAST);
        if (http != null) {
            b.httpClient(http);
        }
        if (refresher != null) {
            b.tokenRefresher(() -> {
                refreshes.incrementAndGet();
                return refresher.get();
            });
        }
        this.client = b.build();
    }

    public RecordingClient start() {
        client.connect();
        return this;
    }

    public List<GatewayEvent> eventsOfType(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    @Override
    public void onReady(ReadyInfo ready) {
        readies.add(ready);
    }

    @Override
    public void onResumed(ResumedInfo resumed) {
        resumes.add(resumed);
    }

    @Override
    public void onEvent(GatewayEvent event) {
        events.add(event);
    }

    @Override
    public void onDisconnected(int code, String reason) {
        disconnects.add(code);
    }

    @Override
    public void onFailed(String reason) {
        failures.add(reason);
    }

    @Override
    public void onVersionMismatch(VersionNotice notice) {
        notices.add(notice);
    }

    @Override
    public void onSequenceAnomaly(long expected, long actual) {
        anomalies.add("expected " + expected + " got " + actual);
    }

    @Override
    public void close() {
        client.close();
    }
}
