package io.appmanager.webhooks;

import java.net.URI;
import java.util.Objects;
import java.util.Set;

/**
 * One POST to an app's webhook. {@code body} is the exact JSON bytes to send and sign; the lifecycle
 * builds it (docs/webhooks.md describes the envelope). The byte arrays are copied on the way in.
 *
 * @param packageName    the app; keys its circuit breaker (never a metrics tag)
 * @param url            the app's registered webhook URL, http or https; redirects from it are not followed
 * @param signingSecret  the app's webhook secret, the HMAC key; never printed
 * @param idempotencyKey sent as {@code Idempotency-Key}: per emitting transition for a session_request, per
 *                       app session for a stop_request (docs/lifecycle.md)
 * @param kind           {@link #SESSION_REQUEST} or {@link #STOP_REQUEST}; a metrics tag, so nothing else
 */
public record WebhookCall(String packageName, URI url, byte[] signingSecret, String idempotencyKey, String kind,
                          byte[] body) {

    public static final String SESSION_REQUEST = "session_request";
    public static final String STOP_REQUEST = "stop_request";

    /** The only kinds: kind is a metrics tag and a header app servers switch on, so the set is closed. */
    public static final Set<String> KINDS = Set.of(SESSION_REQUEST, STOP_REQUEST);

    public WebhookCall {
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(signingSecret, "signingSecret");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body");
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of " + KINDS + ", was " + kind);
        }
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("url must be an absolute http(s) URL, was " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("url has no host: " + url);
        }
        if (signingSecret.length == 0) {
            throw new IllegalArgumentException("signingSecret must not be empty");
        }
        if (idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey must not be blank");
        }
        signingSecret = signingSecret.clone();
        body = body.clone();
    }

    /** Everything but the secret (and the body, which may be large), so a call can be logged. */
    @Override
    public String toString() {
        return "WebhookCall[packageName=" + packageName + ", url=" + url + ", signingSecret=***, idempotencyKey="
                + idempotencyKey + ", kind=" + kind + ", body=" + body.length + " bytes]";
    }
}
