package io.appmanager.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.auth.Principal;
import io.appmanager.platform.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishing, in the order the checks are cheapest: rate, authorisation, encoding and size,
 * idempotency, then the engine. Nothing reaches a session unless every check passed.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class PublishService {

    /** What the publisher is told; a repeated idempotency key gets the same one. */
    public record Published(String id, String type, List<String> topics) {
    }

    private final FanoutConfig config;
    private final FanoutEngine engine;
    private final ObjectMapper json;
    private final PublishRateLimiter rate;
    private final IdempotencyCache<Published> idempotency;
    private final AtomicLong sequence = new AtomicLong();
    /** Ids are unique per process start; the start time keeps them unique across restarts. */
    private final String idPrefix = "evt_" + Long.toString(System.currentTimeMillis(), 36) + "_";
    private final Counter published;
    private final Counter refusedRate;

    public PublishService(FanoutConfig config, FanoutEngine engine, ObjectMapper json, MeterRegistry registry) {
        this.config = config;
        this.engine = engine;
        this.json = json;
        this.rate = new PublishRateLimiter(config.publishRatePerSecond(), config.publishRateBurst());
        this.idempotency = new IdempotencyCache<>(config.idempotencyWindow().toNanos(), config.idempotencyMaxKeys());
        this.published = Counter.builder("appmanager.events.published").register(registry);
        this.refusedRate = Counter.builder("appmanager.events.publish.refused").tag("reason", "rate_limited").register(registry);
    }

    /** Result of a publish: the outcome and whether it repeats an earlier one (idempotency). */
    public record Outcome(Published published, boolean repeated) {
    }

    public CompletionStage<Outcome> publish(Principal publisher, JsonNode body) {
        if (!publisher.isPublisher()) {
            throw ApiException.forbidden("token has no publish claim", null);
        }
        long wait = rate.acquire(publisher.id(), System.nanoTime());
        if (wait > 0) {
            refusedRate.increment();
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + TimeUnit.SECONDS.toNanos(1) - 1));
            throw new ApiException(429, "rate_limited", "publish rate exceeded; retry after " + seconds + " s",
                    null, Map.of("Retry-After", Long.toString(seconds)));
        }
        PublishRequest request = PublishRequest.parse(body, config.maxTopicsPerEvent());
        for (String topic : request.topics()) {
            if (!publisher.mayPublish(topic)) {
                throw ApiException.forbidden("token may not publish to " + topic, body.has("topics") ? "topics" : "topic");
            }
        }
        long id = sequence.incrementAndGet();
        EncodedEvent event = EncodedEvent.encode(json, id, request.type(), request.topics(), request.data());
        int size = event.utf8Bytes();
        if (size > config.maxEventBytes()) {
            throw new ApiException(413, "event_too_large", "encoded event is " + size
                    + " bytes; the limit is " + config.maxEventBytes(), "data");
        }
        Published result = new Published(idPrefix + id, request.type(), request.topics());
        if (request.idempotencyKey().isEmpty()) {
            return send(event, result).thenApply(p -> new Outcome(p, false));
        }
        IdempotencyCache.Lookup<Published> lookup = idempotency.getOrStart(
                publisher.id() + '\n' + request.idempotencyKey().get(), System.nanoTime(),
                () -> send(event, result).toCompletableFuture());
        return lookup.outcome().thenApply(p -> new Outcome(p, lookup.repeated()));
    }

    private CompletableFuture<Published> send(EncodedEvent event, Published result) {
        return engine.publish(event).toCompletableFuture().thenApply(v -> {
            published.increment();
            return result;
        });
    }
}
