package io.appmanager.webhooks;

import io.appmanager.webhooks.WebhookOutcome.Accepted;
import io.appmanager.webhooks.WebhookOutcome.Failed;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Turns what the HTTP client saw into an outcome, and says which outcomes the circuit breaker counts as
 * failures. Pure: no I/O, no clock.
 */
final class WebhookClassifier {

    /** Enough of a body or an error message to tell what the app said, short enough for a history row. */
    static final int MAX_DETAIL_CHARS = 200;

    /** Cause chains are short; a bound keeps a cyclic one from looping. */
    private static final int MAX_CAUSE_DEPTH = 16;

    private WebhookClassifier() {
    }

    /**
     * An HTTP answer: 2xx is accepted; 3xx is a redirect we do not follow (the registered URL is the
     * contract); 4xx and 5xx by class; anything else (1xx as a final answer, 600+) is not HTTP we understand.
     *
     * @param location  the Location header, or null
     * @param bodyStart the first bytes of the body (at most what the client kept)
     */
    static WebhookOutcome ofResponse(int status, String location, byte[] bodyStart, Duration latency) {
        if (status >= 200 && status <= 299) {
            return new Accepted(status, latency);
        }
        String reason;
        String detail;
        if (status >= 300 && status <= 399) {
            reason = Failed.REDIRECT;
            detail = "HTTP " + status + (location == null ? " without Location" : " to " + printable(location));
        } else {
            reason = status >= 400 && status <= 499 ? Failed.STATUS_4XX
                    : status >= 500 && status <= 599 ? Failed.STATUS_5XX
                    : Failed.INVALID_RESPONSE;
            String body = bodyStart == null ? "" : printable(new String(bodyStart, StandardCharsets.UTF_8));
            detail = "HTTP " + status + (body.isBlank() ? "" : ": " + body);
        }
        return new Failed(reason, status, truncate(detail), latency);
    }

    /** No HTTP answer: the connection, the deadline or the response's framing failed. */
    static Failed ofError(Throwable error, Duration latency) {
        String message = error.getMessage();
        String detail = error.getClass().getSimpleName() + (message == null ? "" : ": " + printable(message));
        return new Failed(reasonOf(error), 0, truncate(detail), latency);
    }

    static String reasonOf(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            // ConnectTimeoutException is a ConnectException: test for time-outs first.
            // Mutiny's TimeoutException (our own deadline) is a RuntimeException, not the JDK's.
            if (t instanceof TimeoutException || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof SocketTimeoutException || t instanceof ConnectTimeoutException) {
                return Failed.TIMEOUT;
            }
            if (t instanceof ConnectException) {
                // NIO says "Connection refused: host/ip:port", the native transports "connect(..) failed:
                // Connection refused"; both are ECONNREFUSED. Other connect failures stay generic.
                String message = t.getMessage();
                return message != null && message.toLowerCase(Locale.ROOT).contains("connection refused")
                        ? Failed.CONNECTION_REFUSED
                        : Failed.CONNECTION_ERROR;
            }
            // Netty's HTTP decoder fails a response whose status line it cannot parse with the
            // IllegalArgumentException of HttpVersion/HttpResponseStatus ("invalid version format: SSH-2.0-…"),
            // and one whose headers are too long with a TooLongFrameException, a DecoderException.
            if (t instanceof DecoderException || t instanceof IllegalArgumentException) {
                return Failed.INVALID_RESPONSE;
            }
        }
        return Failed.CONNECTION_ERROR;
    }

    /**
     * Every failure counts against the app's breaker, a 4xx included: our requests are well-formed and
     * signed by construction, so a 4xx (404 wrong URL, 401 rotated secret, 410 app gone, 429 slow down)
     * says the endpoint refuses every session alike, and sending more only loads an app that said no.
     * A circuit-open outcome made no request and counts as nothing.
     */
    static boolean countsAsFailure(WebhookOutcome outcome) {
        return outcome instanceof Failed;
    }

    /** Control characters (CR/LF included, so a detail cannot forge log lines) become spaces. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_DETAIL_CHARS + 1));
        for (int i = 0; i < s.length() && b.length() <= MAX_DETAIL_CHARS; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString().strip();
    }

    static String truncate(String s) {
        return s.length() <= MAX_DETAIL_CHARS ? s : s.substring(0, MAX_DETAIL_CHARS - 1) + "…";
    }
}
