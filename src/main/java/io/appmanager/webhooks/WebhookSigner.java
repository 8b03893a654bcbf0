package io.appmanager.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Signs webhook requests and verifies them, the way app servers should (docs/webhooks.md has the recipe).
 * Pure: the clock and the version are parameters.
 *
 * <p>The signature is {@code v1=} followed by the lowercase hex HMAC-SHA256, keyed with the app's secret, of
 * {@code <timestamp> "." <body bytes>}. The timestamp is inside the signed bytes so a captured request
 * cannot be replayed with a fresh timestamp; receivers refuse timestamps outside a tolerance.
 */
public final class WebhookSigner {

    public static final String TIMESTAMP = "X-AppManager-Timestamp";
    public static final String SIGNATURE = "X-AppManager-Signature";
    public static final String EVENT = "X-AppManager-Event";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String USER_AGENT = "User-Agent";

    /** The scheme prefix; a future scheme (another hash) would be v2= and could be sent alongside. */
    public static final String SCHEME = "v1=";

    /**
     * What we recommend receivers accept: 5 minutes either way covers ordinary clock skew between our
     * nodes and app servers, while a captured request stops being replayable soon after. Within it, the
     * Idempotency-Key is what deduplicates.
     */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String HMAC = "HmacSHA256";
    private static final int HMAC_HEX_LENGTH = 64;
    /** Unix seconds fit 12 digits until the year 33658; longer is garbage, not a timestamp. */
    private static final int MAX_TIMESTAMP_DIGITS = 12;

    /** Why {@link #verify} refused, or that it did not. */
    public enum Verification {
        VALID, MALFORMED, STALE_TIMESTAMP, BAD_SIGNATURE;

        public boolean valid() {
            return this == VALID;
        }
    }

    private WebhookSigner() {
    }

    /** Every header of the POST, in a stable order. */
    public static Map<String, String> headers(WebhookCall call, Instant now, String serverVersion) {
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CONTENT_TYPE, "application/json");
        headers.put(USER_AGENT, "AppManager/" + serverVersion);
        headers.put(EVENT, call.kind());
        headers.put(IDEMPOTENCY_KEY, call.idempotencyKey());
        headers.put(TIMESTAMP, Long.toString(timestamp));
        headers.put(SIGNATURE, signature(call.signingSecret(), timestamp, call.body()));
        return headers;
    }

    /** {@code v1=<lowercase hex HMAC-SHA256(secret, timestamp + "." + body)>}. */
    public static String signature(byte[] secret, long timestamp, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(hmac(secret, timestamp, body));
    }

    /**
     * Checks a received webhook: the timestamp header must be decimal Unix seconds within {@code tolerance}
     * of {@code now} (either way: clocks drift), and the signature header must be {@code v1=} and 64 hex
     * digits equal to our HMAC of that timestamp and the exact body bytes. The comparison takes the same
     * time wherever the digests differ.
     */
    public static Verification verify(byte[] secret, String timestampHeader, String signatureHeader, byte[] body,
                                      Instant now, Duration tolerance) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(tolerance, "tolerance");
        if (secret.length == 0) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        Long timestamp = parseTimestamp(timestampHeader);
        byte[] presented = parseSignature(signatureHeader);
        if (timestamp == null || presented == null) {
            return Verification.MALFORMED;
        }
        long skew = Math.abs(now.getEpochSecond() - timestamp);
        if (skew > tolerance.toSeconds()) {
            return Verification.STALE_TIMESTAMP;
        }
        return MessageDigest.isEqual(presented, hmac(secret, timestamp, body))
                ? Verification.VALID
                : Verification.BAD_SIGNATURE;
    }

    private static Long parseTimestamp(String header) {
        if (header == null || header.isEmpty() || header.length() > MAX_TIMESTAMP_DIGITS) {
            return null;
        }
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return Long.parseLong(header);
    }

    private static byte[] parseSignature(String header) {
        if (header == null || !header.startsWith(SCHEME) || header.length() != SCHEME.length() + HMAC_HEX_LENGTH) {
            return null;
        }
        String hex = header.substring(SCHEME.length());
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] hmac(byte[] secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            // Every JDK ships HmacSHA256, and an empty key is the only key it refuses (WebhookCall forbids it).
            throw new IllegalStateException("HmacSHA256 unavailable or key refused", e);
        }
    }
}
