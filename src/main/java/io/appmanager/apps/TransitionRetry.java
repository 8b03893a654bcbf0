package io.appmanager.apps;

import io.appmanager.platform.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a transition write that an outside event asked for (a socket's close, a webhook's answer, a
 * lapsed lease): nobody will ask again, so a PostgreSQL blip must not lose it. Jittered exponential
 * backoff for a bounded time, then it is surfaced: an ERROR line and
 * {@code appmanager.app.transitions.failed{event}}, and the failure goes on to the caller.
 * Each attempt is a fresh unit of work (its own transaction), so a write is applied at most once.
 */
@ApplicationScoped
public class TransitionRetry {

    private static final Logger LOG = Logger.getLogger(TransitionRetry.class);
    /** Each wait is spread by up to half of itself, so the writes of one blip do not come back together. */
    private static final double JITTER = 0.5;

    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Duration giveUpAfter;
    private final MeterRegistry registry;

    @Inject
    TransitionRetry(AppSessionsConfig config, MeterRegistry registry) {
        this(config.transitionRetry().firstBackoff(), config.transitionRetry().maxBackoff(),
                config.transitionRetry().giveUpAfter(), registry);
    }

    TransitionRetry(Duration firstBackoff, Duration maxBackoff, Duration giveUpAfter, MeterRegistry registry) {
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.giveUpAfter = giveUpAfter;
        this.registry = registry;
    }

    /**
     * Runs {@code write} (subscribed anew on every attempt) until it succeeds or {@code giveUpAfter} has
     * passed. {@code event} names the lifecycle event (the metric's tag: a closed vocabulary).
     */
    <T> Uni<T> write(String event, Object subject, Supplier<Uni<T>> write) {
        return Uni.createFrom().deferred(() -> {
            long deadline = System.nanoTime() + giveUpAfter.toNanos();
            // the last failure itself goes on once the time is up (a retry already waiting still runs)
            return Uni.createFrom().<T>deferred(write::get)
                    .onFailure(err -> worthRetrying(err) && System.nanoTime() < deadline).retry()
                    .withBackOff(firstBackoff, maxBackoff).withJitter(JITTER).indefinitely()
                    .onFailure(TransitionRetry::worthRetrying).invoke(err -> {
                        failed(event).increment();
                        LOG.errorf("%s of app session %s not recorded: gave up after %s (%s)", event, subject,
                                giveUpAfter, err.toString());
                    });
        });
    }

    /** An answer of ours (404, a refusal) is final; anything else is taken for the database being away. */
    private static boolean worthRetrying(Throwable err) {
        return !(err instanceof ApiException);
    }

    private Counter failed(String event) {
        return Counter.builder("appmanager.app.transitions.failed").tag("event", event)
                .description("Transition writes given up after retrying (PostgreSQL unreachable): lost unless resent")
                .register(registry);
    }
}
