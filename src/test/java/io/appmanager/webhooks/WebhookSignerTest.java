package io.appmanager.webhooks;

import io.appmanager.webhooks.WebhookSigner.Verification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignerTest {

    static final byte[] SECRET = "whsec_0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final byte[] BODY = "{\"type\":\"session_request\",\"sessionId\":\"s-1\"}".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);
    static final Duration TOLERANCE = WebhookSigner.DEFAULT_TOLERANCE;

    /** Computed outside Java: printf '%s' '1700000000.<body>' | openssl dgst -sha256 -hmac 'whsec_0123456789abcdef'. */
    static final String OPENSSL_VECTOR = "v1=1a7b588437b0e01e7b045da2f0b48dcaa8b4a1103f324d12f39f88e1de9e805a";

    static WebhookCall call() {
        return new WebhookCall("com.example.notes", URI.create("https://notes.example.com/webhook"), SECRET,
                "idem-42", WebhookCall.SESSION_REQUEST, BODY);
    }

    /** The receiver's side, written from the recipe in docs/webhooks.md rather than from the signer. */
    static String independentSignature(byte[] secret, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '.');
        return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void signatureMatchesAnIndependentlyComputedHmac() throws Exception {
        assertEquals(independentSignature(SECRET, "1700000000", BODY), WebhookSigner.signature(SECRET, 1_700_000_000L, BODY));
        assertEquals(OPENSSL_VECTOR, WebhookSigner.signature(SECRET, 1_700_000_000L, BODY));
    }

    @Test
    void headersCarryTimestampSignatureKeyKindTypeAndVersion() throws Exception {
        Map<String, String> headers = WebhookSigner.headers(call(), NOW.plusMillis(999), "1.2.3");
        assertEquals("1700000000", headers.get("X-AppManager-Timestamp"), "whole seconds, truncated");
        assertEquals(independentSignature(SECRET, "1700000000", BODY), headers.get("X-AppManager-Signature"));
        assertEquals("idem-42", headers.get("Idempotency-Key"));
        assertEquals("session_request", headers.get("X-AppManager-Event"));
        assertEquals("application/json", headers.get("Content-Type"));
        assertEquals("AppManager/1.2.3", headers.get("User-Agent"));
        assertEquals(6, headers.size());
    }

    @Test
    void verifyAcceptsWhatTheSignerProducedWithinTolerance() {
        String sig = WebhookSigner.signature(SECRET, NOW.getEpochSecond(), BODY);
        String ts = Long.toString(NOW.getEpochSecond());
        assertEquals(Verification.VALID, WebhookSigner.verify(SECRET, ts, sig, BODY, NOW, TOLERANCE));
        assertEquals(Verification.VALID, WebhookSigner.verify(SECRET, ts, sig, BODY, NOW.plus(TOLERANCE), TOLERANCE));
        assertEquals(Verification.VALID, WebhookSigner.verify(SECRET, ts, sig, BODY, NOW.minus(TOLERANCE), TOLERANCE),
                "a sender whose clock runs ahead is still inside the tolerance");
    }

    @Test
    void verifyRejectsATamperedBody() {
        String sig = WebhookSigner.signature(SECRET, NOW.getEpochSecond(), BODY);
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] ^= 1;
        assertEquals(Verification.BAD_SIGNATURE,
                WebhookSigner.verify(SECRET, Long.toString(NOW.getEpochSecond()), sig, tampered, NOW, TOLERANCE));
    }

    @Test
    void verifyRejectsAnotherSecret() {
        String sig = WebhookSigner.signature("another-secret".getBytes(StandardCharsets.UTF_8), NOW.getEpochSecond(), BODY);
        assertEquals(Verification.BAD_SIGNATURE,
                WebhookSigner.verify(SECRET, Long.toString(NOW.getEpochSecond()), sig, BODY, NOW, TOLERANCE));
    }

    @Test
    void verifyRejectsATimestampMovedForwardEvenWithTheOldSignature() {
        // A replayer cannot refresh the timestamp: it is part of the signed bytes.
        String sig = WebhookSigner.signature(SECRET, NOW.getEpochSecond(), BODY);
        assertEquals(Verification.BAD_SIGNATURE,
                WebhookSigner.verify(SECRET, Long.toString(NOW.getEpochSecond() + 1), sig, BODY, NOW, TOLERANCE));
    }

    @Test
    void verifyRejectsTimestampsOutsideTheToleranceEitherWay() {
        long old = NOW.minus(TOLERANCE).getEpochSecond() - 1;
        long future = NOW.plus(TOLERANCE).getEpochSecond() + 1;
        for (long ts : new long[]{old, future, 0L}) {
            String sig = WebhookSigner.signature(SECRET, ts, BODY);
            assertEquals(Verification.STALE_TIMESTAMP,
                    WebhookSigner.verify(SECRET, Long.toString(ts), sig, BODY, NOW, TOLERANCE), "timestamp " + ts);
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-1700000000", "1700000000.5", " 1700000000", "1.7e9", "17000000000000", "abc"})
    void verifyRejectsAMalformedTimestampHeader(String timestamp) {
        String sig = WebhookSigner.signature(SECRET, NOW.getEpochSecond(), BODY);
        assertEquals(Verification.MALFORMED, WebhookSigner.verify(SECRET, timestamp, sig, BODY, NOW, TOLERANCE));
    }

    @Test
    void verifyRejectsAMalformedSignatureHeader() {
        String good = WebhookSigner.signature(SECRET, NOW.getEpochSecond(), BODY);
        String hex = good.substring(3);
        List<String> malformed = List.of("", hex, "v2=" + hex, "V1=" + hex, "v1=" + hex.toUpperCase(),
                "v1=" + hex.substring(2), good + "00", "v1=" + hex.substring(1) + "g", good + ",v1=" + hex, " " + good);
        for (String header : malformed) {
            assertEquals(Verification.MALFORMED, WebhookSigner.verify(SECRET, Long.toString(NOW.getEpochSecond()),
                    header, BODY, NOW, TOLERANCE), header);
        }
        assertEquals(Verification.MALFORMED,
                WebhookSigner.verify(SECRET, Long.toString(NOW.getEpochSecond()), null, BODY, NOW, TOLERANCE));
    }

    @Test
    void onlyValidIsValid() {
        for (Verification v : Verification.values()) {
            assertEquals(v == Verification.VALID, v.valid(), v.name());
        }
    }

    @Test
    void anEmptySecretIsRefusedOnBothSides() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookCall("p", URI.create("http://127.0.0.1/x"),
                new byte[0], "k", WebhookCall.STOP_REQUEST, BODY));
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.verify(new byte[0], "1700000000",
                OPENSSL_VECTOR, BODY, NOW, TOLERANCE));
    }

    @Test
    void aCallNeverPrintsItsSecret() {
        String printed = call().toString();
        assertFalse(printed.contains("whsec"), printed);
        assertFalse(printed.contains(new String(SECRET, StandardCharsets.UTF_8)), printed);
        assertTrue(printed.contains("com.example.notes") && printed.contains("idem-42"), printed);
    }

    @Test
    void aCallRefusesUnknownKindsAndNonHttpUrls() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookCall("p", URI.create("http://127.0.0.1/x"),
                SECRET, "k", "session-request", BODY));
        assertThrows(IllegalArgumentException.class, () -> new WebhookCall("p", URI.create("ftp://127.0.0.1/x"),
                SECRET, "k", WebhookCall.SESSION_REQUEST, BODY));
        assertThrows(IllegalArgumentException.class, () -> new WebhookCall("p", URI.create("/relative"),
                SECRET, "k", WebhookCall.SESSION_REQUEST, BODY));
    }

    @Test
    void aCallKeepsItsOwnCopyOfSecretAndBody() {
        byte[] secret = SECRET.clone();
        WebhookCall call = new WebhookCall("p", URI.create("http://127.0.0.1/x"), secret, "k",
                WebhookCall.SESSION_REQUEST, BODY);
        secret[0] = 'X';
        assertEquals('w', call.signingSecret()[0]);
    }
}
