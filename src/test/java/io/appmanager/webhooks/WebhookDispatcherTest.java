package io.appmanager.webhooks;

import io.appmanager.webhooks.WebhookOutcome.Accepted;
import io.appmanager.webhooks.WebhookOutcome.CircuitOpen;
import io.appmanager.webhooks.WebhookOutcome.Failed;
import io.appmanager.webhooks.WebhookReceiver.Received;
import io.appmanager.webhooks.WebhookSigner.Verification;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher against a real HTTP server on 127.0.0.1. The test profile sets a 1 s timeout and a 2 s
 * breaker delay; the breaker opens after 4 calls with 2 failures. Each test uses its own package names,
 * so breakers do not leak between tests.
 */
@QuarkusTest
class WebhookDispatcherTest {

    static final byte[] SECRET = "whsec_test_0123456789".getBytes(StandardCharsets.UTF_8);
    static final Duration WAIT = Duration.ofSeconds(15);
    static final int WINDOW = 4;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    Vertx vertx;

    WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    static WebhookCall call(String packageName, URI url, String kind, String body) {
        return new WebhookCall(packageName, url, SECRET, "idem-" + packageName, kind,
                body.getBytes(StandardCharsets.UTF_8));
    }

    WebhookCall call(String packageName, String path) {
        return call(packageName, receiver.url(path), WebhookCall.SESSION_REQUEST,
                "{\"type\":\"session_request\",\"sessionId\":\"s-" + packageName + "\"}");
    }

    WebhookOutcome send(WebhookCall call) {
        return dispatcher.send(call).await().atMost(WAIT);
    }

    Failed sendFailing(WebhookCall call, String reason) {
        Failed failed = assertInstanceOf(Failed.class, send(call));
        assertEquals(reason, failed.reason(), failed.toString());
        return failed;
    }

    void openBreaker(String packageName, String path) {
        receiver.answer(path, WebhookReceiver.status(503));
        for (int i = 0; i < WINDOW; i++) {
            sendFailing(call(packageName, path), "status_5xx");
        }
        assertEquals(CircuitState.OPEN, dispatcher.circuitState(packageName));
    }

    @Test
    void a200IsAcceptedAndTheRequestIsSignedAndComplete() {
        WebhookCall call = call("com.example.accepted", "/hook");
        Accepted accepted = assertInstanceOf(Accepted.class, send(call));
        assertEquals(200, accepted.status());
        assertTrue(accepted.latency().compareTo(Duration.ZERO) > 0);

        Received got = receiver.received("/hook").get(0);
        assertArrayEquals(call.body(), got.body(), "the exact bytes");
        assertEquals(Verification.VALID, WebhookSigner.verify(SECRET, got.header("X-AppManager-Timestamp"),
                got.header("X-AppManager-Signature"), got.body(), Instant.now(), WebhookSigner.DEFAULT_TOLERANCE));
        assertEquals("idem-com.example.accepted", got.header("Idempotency-Key"));
        assertEquals("session_request", got.header("X-AppManager-Event"));
        assertEquals("application/json", got.header("Content-Type"));
        assertTrue(got.header("User-Agent").matches("AppManager/\\d+\\.\\d+\\.\\d+.*"), got.header("User-Agent"));
    }

    @Test
    void a202IsAcceptedAndAStopRequestSaysSo() {
        receiver.answer("/stop", WebhookReceiver.status(202));
        WebhookCall call = call("com.example.stop", receiver.url("/stop"), WebhookCall.STOP_REQUEST,
                "{\"type\":\"stop_request\",\"reason\":\"user_disabled\"}");
        assertEquals(202, assertInstanceOf(Accepted.class, send(call)).status());
        assertEquals("stop_request", receiver.received("/stop").get(0).header("X-AppManager-Event"));
    }

    @Test
    void a503IsAFailedStatus5xxWithTheStartOfTheBody() {
        receiver.answer("/down", WebhookReceiver.body(503, "pod starting"));
        Failed failed = sendFailing(call("com.example.down", "/down"), "status_5xx");
        assertEquals(503, failed.status());
        assertEquals("HTTP 503: pod starting", failed.detail());
    }

    @Test
    void a400IsAFailedStatus4xx() {
        receiver.answer("/bad", WebhookReceiver.status(400));
        assertEquals(400, sendFailing(call("com.example.bad", "/bad"), "status_4xx").status());
    }

    @Test
    void aServerSlowerThanTheTimeoutIsATimeout() {
        receiver.answer("/slow", WebhookReceiver.hanging());
        Failed failed = sendFailing(call("com.example.slow", "/slow"), "timeout");
        assertEquals(0, failed.status());
        assertTrue(failed.latency().compareTo(Duration.ofMillis(900)) >= 0, "waited the 1 s timeout: " + failed.latency());
        assertTrue(failed.latency().compareTo(Duration.ofSeconds(5)) < 0, "but not much longer: " + failed.latency());
        assertEquals(1, receiver.count("/slow"));
    }

    @Test
    void aClosedPortIsConnectionRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        WebhookCall call = call("com.example.refused", URI.create("http://127.0.0.1:" + port + "/hook"),
                WebhookCall.SESSION_REQUEST, "{}");
        assertEquals(0, sendFailing(call, "connection_refused").status());
    }

    @Test
    void anAnswerThatIsNotHttpIsAnInvalidResponse() throws Exception {
        try (ServerSocket garbage = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (java.net.Socket socket = garbage.accept()) {
                    socket.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    socket.getInputStream().read(new byte[4096]);
                } catch (IOException ignored) {
                    // the client hung up first: fine
                }
            });
            WebhookCall call = call("com.example.garbage", URI.create("http://127.0.0.1:" + garbage.getLocalPort() + "/"),
                    WebhookCall.SESSION_REQUEST, "{}");
            Failed failed = sendFailing(call, "invalid_response");
            assertEquals(0, failed.status(), failed.detail());
            served.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void aRedirectIsAFailureAndIsNotFollowed() {
        receiver.answer("/moved", WebhookReceiver.redirect(302, receiver.url("/elsewhere").toString()));
        Failed failed = sendFailing(call("com.example.moved", "/moved"), "redirect");
        assertEquals(302, failed.status());
        assertTrue(failed.detail().endsWith("/elsewhere"), failed.detail());
        assertEquals(0, receiver.count("/elsewhere"), "the signed request went nowhere else");
        receiver.answer("/moved307", WebhookReceiver.redirect(307, receiver.url("/elsewhere").toString()));
        sendFailing(call("com.example.moved307", "/moved307"), "redirect");
        assertEquals(0, receiver.count("/elsewhere"));
    }

    @Test
    void aHugeAnswerIsStillClassifiedByItsStatus() {
        receiver.answer("/huge-ok", WebhookReceiver.huge(200, 4 * 1024 * 1024));
        receiver.answer("/huge-down", WebhookReceiver.huge(503, 4 * 1024 * 1024));
        assertEquals(200, assertInstanceOf(Accepted.class, send(call("com.example.huge1", "/huge-ok"))).status());
        Failed failed = sendFailing(call("com.example.huge2", "/huge-down"), "status_5xx");
        assertTrue(failed.detail().length() <= WebhookClassifier.MAX_DETAIL_CHARS, failed.detail());
    }

    @Test
    void theBreakerOpensAfterAFullWindowOfFailuresAndThenMakesNoRequest() {
        openBreaker("com.example.opens", "/opens");
        assertEquals(WINDOW, receiver.count("/opens"));

        CircuitOpen open = assertInstanceOf(CircuitOpen.class, send(call("com.example.opens", "/opens")));
        assertTrue(open.retryAfter().compareTo(Duration.ZERO) > 0 && open.retryAfter().compareTo(Duration.ofSeconds(2)) <= 0,
                "the rest of the 2 s delay: " + open.retryAfter());
        assertInstanceOf(CircuitOpen.class, send(call("com.example.opens", "/opens")));
        assertEquals(WINDOW, receiver.count("/opens"), "no request reached the app while open");
    }

    @Test
    void afterTheDelayOneProbeGoesThroughAndItsSuccessClosesTheBreaker() {
        openBreaker("com.example.recovers", "/recovers");
        receiver.answer("/recovers", WebhookReceiver.status(200));

        await().atMost(WAIT).until(() -> dispatcher.circuitState("com.example.recovers") == CircuitState.HALF_OPEN);
        assertInstanceOf(Accepted.class, send(call("com.example.recovers", "/recovers")));
        assertEquals(WINDOW + 1, receiver.count("/recovers"), "the probe reached the app");
        assertEquals(CircuitState.CLOSED, dispatcher.circuitState("com.example.recovers"));
        assertInstanceOf(Accepted.class, send(call("com.example.recovers", "/recovers")));
    }

    @Test
    void aFailedProbeOpensTheBreakerAgain() {
        openBreaker("com.example.relapses", "/relapses");
        await().atMost(WAIT).until(() -> dispatcher.circuitState("com.example.relapses") == CircuitState.HALF_OPEN);
        sendFailing(call("com.example.relapses", "/relapses"), "status_5xx");
        assertEquals(CircuitState.OPEN, dispatcher.circuitState("com.example.relapses"));
        assertInstanceOf(CircuitOpen.class, send(call("com.example.relapses", "/relapses")));
        assertEquals(WINDOW + 1, receiver.count("/relapses"));
    }

    @Test
    void whileTheProbeIsInFlightOthersAreToldToWaitForItsAnswer() {
        openBreaker("com.example.probing", "/probing");
        receiver.answer("/probing", WebhookReceiver.hanging());
        await().atMost(WAIT).until(() -> dispatcher.circuitState("com.example.probing") == CircuitState.HALF_OPEN);

        CompletableFuture<WebhookOutcome> probe = dispatcher.send(call("com.example.probing", "/probing"))
                .subscribeAsCompletionStage();
        await().atMost(WAIT).until(() -> receiver.count("/probing") == WINDOW + 1);
        CircuitOpen waiting = assertInstanceOf(CircuitOpen.class, send(call("com.example.probing", "/probing")));
        assertEquals(Duration.ofSeconds(1), waiting.retryAfter(), "the probe is answered within the timeout");
        assertEquals("timeout", assertInstanceOf(Failed.class, probe.join()).reason());
        assertEquals(WINDOW + 1, receiver.count("/probing"));
    }

    @Test
    void oneAppsFailuresDoNotOpenAnotherAppsBreaker() {
        openBreaker("com.example.broken", "/shared");
        receiver.answer("/shared", WebhookReceiver.status(200));
        assertInstanceOf(Accepted.class, send(call("com.example.healthy", "/shared")));
        assertEquals(CircuitState.CLOSED, dispatcher.circuitState("com.example.healthy"));
        assertInstanceOf(CircuitOpen.class, send(call("com.example.broken", "/shared")));
        assertEquals(CircuitState.CLOSED, dispatcher.circuitState("com.example.never-called"));
    }

    @Test
    void aBreakerCountsFourxxAsFailuresToo() {
        receiver.answer("/gone", WebhookReceiver.status(410));
        for (int i = 0; i < WINDOW; i++) {
            sendFailing(call("com.example.gone", "/gone"), "status_4xx");
        }
        assertInstanceOf(CircuitOpen.class, send(call("com.example.gone", "/gone")));
    }

    @Test
    void theOutcomeArrivesOnTheCallersVertxContext() throws Exception {
        receiver.answer("/ctx", WebhookReceiver.hanging());
        CompletableFuture<Boolean> sameContext = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();
        // The slow path too: the deadline fires on a timer thread and must still come back to the caller.
        context.runOnContext(ignored -> dispatcher.send(call("com.example.ctx", "/ctx"))
                .subscribe().with(outcome -> sameContext.complete(Vertx.currentContext() == context),
                        sameContext::completeExceptionally));
        assertTrue(sameContext.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void metricsAreExposedWithoutPackageNames() {
        receiver.answer("/metered", WebhookReceiver.status(503));
        sendFailing(call("com.example.metered", "/metered"), "status_5xx");
        openBreaker("com.example.metered-open", "/metered-open");
        send(call("com.example.metered-open", "/metered-open"));

        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(counter(metrics, "appmanager_webhook_calls_total{kind=\"session_request\",outcome=\"failed\",reason=\"status_5xx\"}") >= 1 + WINDOW, metrics);
        assertTrue(counter(metrics, "appmanager_webhook_calls_total{kind=\"session_request\",outcome=\"circuit_open\",reason=\"none\"}") >= 1);
        assertNotNull(line(metrics, "appmanager_webhook_calls_total{kind=\"stop_request\",outcome=\"failed\",reason=\"connection_refused\"}"),
                "every series exists from the start");
        assertNotNull(line(metrics, "appmanager_webhook_latency_seconds_bucket{kind=\"session_request\",outcome=\"failed\",le=\""),
                "a percentile histogram");
        assertTrue(counter(metrics, "appmanager_webhook_circuits{state=\"open\"}") >= 1);
        assertNotNull(line(metrics, "appmanager_webhook_circuits{state=\"half_open\"}"));
        assertNotNull(line(metrics, "appmanager_webhook_circuits{state=\"closed\"}"));
        assertFalse(metrics.contains("com.example"), "no package name in any series: " + metrics.lines().filter(l -> l.contains("com.example")).toList());
    }

    static String line(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }

    static double counter(String metrics, String series) {
        String line = line(metrics, series + " ");
        assertNotNull(line, series + " missing");
        return Double.parseDouble(line.substring(series.length()).trim());
    }
}
