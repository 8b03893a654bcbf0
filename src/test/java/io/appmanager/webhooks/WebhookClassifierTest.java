package io.appmanager.webhooks;

import io.appmanager.webhooks.WebhookOutcome.Accepted;
import io.appmanager.webhooks.WebhookOutcome.CircuitOpen;
import io.appmanager.webhooks.WebhookOutcome.Failed;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.VertxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookClassifierTest {

    static final Duration LATENCY = Duration.ofMillis(42);

    static String reasonFor(int status) {
        WebhookOutcome outcome = WebhookClassifier.ofResponse(status, null, new byte[0], LATENCY);
        return outcome instanceof Failed f ? f.reason() : "accepted";
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
            "200, accepted", "201, accepted", "202, accepted", "204, accepted", "299, accepted",
            "300, redirect", "301, redirect", "302, redirect", "303, redirect", "304, redirect", "307, redirect",
            "308, redirect",
            "400, status_4xx", "401, status_4xx", "404, status_4xx", "410, status_4xx", "429, status_4xx",
            "499, status_4xx",
            "500, status_5xx", "502, status_5xx", "503, status_5xx", "504, status_5xx", "599, status_5xx",
            "100, invalid_response", "199, invalid_response", "600, invalid_response", "999, invalid_response"})
    void statusClassesMapToFixedReasons(int status, String expected) {
        assertEquals(expected, reasonFor(status));
    }

    @Test
    void acceptedKeepsStatusAndLatency() {
        assertEquals(new Accepted(202, LATENCY), WebhookClassifier.ofResponse(202, null, null, LATENCY));
    }

    @Test
    void aFailedStatusKeepsItsStatusAndTheStartOfTheBody() {
        Failed f = (Failed) WebhookClassifier.ofResponse(503, null,
                "pod starting\r\nretry later".getBytes(StandardCharsets.UTF_8), LATENCY);
        assertEquals(503, f.status());
        assertEquals("HTTP 503: pod starting  retry later", f.detail(), "no raw newlines in a detail");
        assertEquals(LATENCY, f.latency());
    }

    @Test
    void detailIsBoundedWhateverTheBody() {
        Failed f = (Failed) WebhookClassifier.ofResponse(500, null, "x".repeat(70_000).getBytes(StandardCharsets.UTF_8), LATENCY);
        assertTrue(f.detail().length() <= WebhookClassifier.MAX_DETAIL_CHARS, f.detail().length() + " chars");
    }

    @Test
    void aRedirectNamesWhereItPointed() {
        Failed f = (Failed) WebhookClassifier.ofResponse(302, "https://elsewhere.example/hook", null, LATENCY);
        assertEquals("redirect", f.reason());
        assertEquals("HTTP 302 to https://elsewhere.example/hook", f.detail());
        assertEquals("HTTP 301 without Location",
                ((Failed) WebhookClassifier.ofResponse(301, null, null, LATENCY)).detail());
    }

    @Test
    void timeoutsOfEveryKindAreTimeout() {
        assertEquals("timeout", WebhookClassifier.reasonOf(new TimeoutException("deadline")));
        assertEquals("timeout", WebhookClassifier.reasonOf(new io.smallrye.mutiny.TimeoutException()));
        assertEquals("timeout", WebhookClassifier.reasonOf(new SocketTimeoutException("read timed out")));
        assertEquals("timeout", WebhookClassifier.reasonOf(new ConnectTimeoutException("connection timed out: /10.0.0.1:80")),
                "a connect timeout is a ConnectException, but a time-out first");
    }

    @Test
    void refusedConnectionsAreRecognisedOnEveryTransport() {
        assertEquals("connection_refused", WebhookClassifier.reasonOf(new ConnectException("Connection refused: /127.0.0.1:9")));
        assertEquals("connection_refused", WebhookClassifier.reasonOf(new ConnectException("connect(..) failed: Connection refused")));
        assertEquals("connection_refused", WebhookClassifier.reasonOf(
                new CompletionException(new VertxException(new ConnectException("Connection refused")))), "found in the cause chain");
    }

    @Test
    void otherIoProblemsAreConnectionErrors() {
        assertEquals("connection_error", WebhookClassifier.reasonOf(new ConnectException("Network is unreachable")));
        assertEquals("connection_error", WebhookClassifier.reasonOf(new NoRouteToHostException("No route to host")));
        assertEquals("connection_error", WebhookClassifier.reasonOf(new VertxException("Connection was closed")));
        assertEquals("connection_error", WebhookClassifier.reasonOf(new IOException("Connection reset by peer")));
        assertEquals("connection_error", WebhookClassifier.reasonOf(new IllegalStateException("Client is closed")));
    }

    @Test
    void undecodableResponsesAreInvalidResponse() {
        assertEquals("invalid_response", WebhookClassifier.reasonOf(new DecoderException("bad header")));
        assertEquals("invalid_response", WebhookClassifier.reasonOf(new TooLongFrameException("HTTP header is larger than 8192 bytes.")));
        assertEquals("invalid_response", WebhookClassifier.reasonOf(new IllegalArgumentException("invalid version format: SSH-2.0-OPENSSH_9.6")),
                "what netty's decoder reports for a status line that is not HTTP");
    }

    @Test
    void anErrorOutcomeHasNoStatusAndSaysWhatHappened() {
        Failed f = WebhookClassifier.ofError(new ConnectException("Connection refused: /127.0.0.1:9"), LATENCY);
        assertEquals(new Failed("connection_refused", 0, "ConnectException: Connection refused: /127.0.0.1:9", LATENCY), f);
        assertEquals("IllegalStateException", WebhookClassifier.ofError(new IllegalStateException(), LATENCY).detail());
    }

    @Test
    void aCyclicCauseChainStillEnds() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        assertEquals("connection_error", WebhookClassifier.reasonOf(a));
    }

    @Test
    void everyFailureTripsTheBreakerAndNothingElseDoes() {
        for (String reason : Failed.REASONS) {
            assertTrue(WebhookClassifier.countsAsFailure(new Failed(reason, 0, "", LATENCY)), reason);
        }
        assertFalse(WebhookClassifier.countsAsFailure(new Accepted(200, LATENCY)));
        assertFalse(WebhookClassifier.countsAsFailure(new CircuitOpen(Duration.ofSeconds(1))));
    }

    @Test
    void aFailedOutcomeOnlyTakesKnownReasons() {
        assertInstanceOf(IllegalArgumentException.class, org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new Failed("Status 503", 503, "", LATENCY)));
    }
}
