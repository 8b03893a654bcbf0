package io.appmanager.webhooks;

import io.appmanager.platform.VersionConfig;
import io.appmanager.webhooks.WebhookCircuits.Circuit;
import io.appmanager.webhooks.WebhookOutcome.CircuitOpen;
import io.appmanager.webhooks.WebhookOutcome.Failed;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * Sends webhooks: one signed POST per {@link #send}, with a deadline, through the app's circuit breaker.
 * No retries here: the lifecycle retries with jittered backoff (ResurrectionBackoff) and must see every
 * outcome. docs/webhooks.md is the contract; decision 0009 explains the libraries.
 *
 * <p>Non-blocking throughout: the request runs on Vert.x, the breaker is SmallRye Fault Tolerance's guard of a
 * {@code Uni}, and the outcome is delivered on the caller's Vert.x context (or an event loop, for a caller
 * that is not on one), so a caller in a Hibernate Reactive transaction can go on where it was.
 */
@Startup
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    /**
     * Response bytes kept: 64 KiB is far more than an acknowledgement needs (only the status decides; the start
     * of the body goes into a failure's detail), and little enough that many answers at once pin no memory.
     */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    /**
     * Keep-alive connections per app host. The lifecycle spreads a herd of resurrections to ~200 webhooks a
     * second; 20 connections answering in ~50 ms carry 400 a second, and a hung app holds at most 20 of our
     * sockets. Requests waiting for a connection count against their own timeout.
     */
    static final int MAX_CONNECTIONS_PER_HOST = 20;

    private static final TypeLiteral<Uni<WebhookOutcome>> GUARDED_TYPE = new TypeLiteral<>() {
    };
    private static final BodyCodec<byte[]> BODY = BodyCodec.newInstance(new BoundedBody(MAX_RESPONSE_BYTES));

    private final Vertx vertx;
    private final WebhooksConfig config;
    private final String serverVersion;
    private final WebClient client;
    private final WebhookCircuits<TypedGuard<Uni<WebhookOutcome>>> circuits;
    private final WebhookMetrics metrics;

    WebhookDispatcher(Vertx vertx, WebhooksConfig config, VersionConfig version, MeterRegistry registry) {
        WebhooksConfigCheck.check(config);
        this.vertx = vertx;
        this.config = config;
        this.serverVersion = version.server();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setFollowRedirects(false)
                .setUserAgentEnabled(false) // WebhookSigner sets AppManager/<version>
                .setKeepAlive(true)
                .setMaxPoolSize(MAX_CONNECTIONS_PER_HOST)
                .setConnectTimeout(Math.toIntExact(config.timeout().toMillis())));
        WebhooksConfig.CircuitBreaker breaker = config.circuitBreaker();
        this.circuits = new WebhookCircuits<>(breaker.maxPackages(), breaker.idleEviction(), System::nanoTime,
                this::newGuard);
        this.metrics = new WebhookMetrics(registry, circuits);
    }

    /** Never fails: every problem is an outcome. Runs the POST with the configured timeout, through the app's circuit breaker. */
    public Uni<WebhookOutcome> send(WebhookCall call) {
        return Uni.createFrom().deferred(() -> dispatch(call, vertx.getDelegate().getOrCreateContext()));
    }

    /** Circuit state per package for metrics/admin: CLOSED, OPEN, HALF_OPEN. */
    public CircuitState circuitState(String packageName) {
        return circuits.state(packageName);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    private Uni<WebhookOutcome> dispatch(WebhookCall call, Context caller) {
        long start = System.nanoTime();
        Circuit<TypedGuard<Uni<WebhookOutcome>>> circuit = circuits.acquire(call.packageName());
        return circuit.guard().get(() -> postFailingOnCountedFailures(call))
                .onFailure(CountedFailure.class).recoverWithItem(counted -> ((CountedFailure) counted).outcome)
                .onFailure(CircuitBreakerOpenException.class).recoverWithItem(() -> refused(circuit))
                .onFailure().recoverWithItem(unexpected -> unexpected(call, unexpected, since(start)))
                .invoke(outcome -> metrics.record(call.kind(), outcome, since(start)))
                .emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** The breaker counts exceptions, so a failed outcome travels through it as one and is unwrapped after. */
    private Uni<WebhookOutcome> postFailingOnCountedFailures(WebhookCall call) {
        return post(call).onItem().transformToUni(outcome -> WebhookClassifier.countsAsFailure(outcome)
                ? Uni.createFrom().failure(new CountedFailure((Failed) outcome))
                : Uni.createFrom().item(outcome));
    }

    /** One POST, never failing: the deadline is inside, so the breaker always sees the call end. */
    private Uni<WebhookOutcome> post(WebhookCall call) {
        long start = System.nanoTime();
        return Uni.createFrom().deferred(() -> signedRequest(call).sendBuffer(Buffer.buffer(call.body())))
                .map(response -> classify(response, since(start)))
                .ifNoItem().after(config.timeout()).fail()
                .onFailure().recoverWithItem(error -> WebhookClassifier.ofError(error, since(start)));
    }

    private HttpRequest<byte[]> signedRequest(WebhookCall call) {
        // timeout() bounds getting a connection and each silence; ifNoItem() in post() bounds the whole exchange.
        HttpRequest<byte[]> request = client.postAbs(call.url().toString())
                .followRedirects(false)
                .timeout(config.timeout().toMillis())
                .as(BODY);
        WebhookSigner.headers(call, Instant.now(), serverVersion).forEach(request::putHeader);
        return request;
    }

    private static WebhookOutcome classify(HttpResponse<byte[]> response, Duration latency) {
        return WebhookClassifier.ofResponse(response.statusCode(), response.getHeader("Location"), response.body(),
                latency);
    }

    private CircuitOpen refused(Circuit<?> circuit) {
        return new CircuitOpen(circuit.retryAfter(config.circuitBreaker().delay(), config.timeout()));
    }

    /** A bug of ours, not the app's: still an outcome, so the lifecycle backs off instead of hanging. */
    private static Failed unexpected(WebhookCall call, Throwable error, Duration latency) {
        LOG.errorf(error, "webhook %s to %s failed unexpectedly", call.kind(), call.packageName());
        return WebhookClassifier.ofError(error, latency);
    }

    /**
     * One breaker per package, unnamed on purpose: named breakers are registered for CircuitBreakerMaintenance
     * for ever and a name may be used only once, so a guard forgotten by {@link WebhookCircuits} could not be
     * made again. No description either: the library's own metrics would tag it, one series per app.
     */
    private TypedGuard<Uni<WebhookOutcome>> newGuard(String packageName, Consumer<CircuitState> listener) {
        WebhooksConfig.CircuitBreaker breaker = config.circuitBreaker();
        return TypedGuard.create(GUARDED_TYPE)
                .withCircuitBreaker()
                .requestVolumeThreshold(breaker.requestVolumeThreshold())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(breaker.successThreshold())
                .failOn(CountedFailure.class)
                .onStateChange(state -> {
                    CircuitState moved = CircuitState.valueOf(state.name());
                    listener.accept(moved);
                    LOG.infof("webhook circuit of %s is now %s", packageName, moved);
                })
                .done()
                .build();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** A failed outcome on its way through the breaker; no stack trace, it is not an error of ours. */
    private static final class CountedFailure extends RuntimeException {
        final Failed outcome;

        CountedFailure(Failed outcome) {
            super(outcome.reason(), null, false, false);
            this.outcome = outcome;
        }
    }
}
