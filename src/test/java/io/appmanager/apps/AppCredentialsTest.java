package io.appmanager.apps;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppCredentialsTest {

    private static final String KEY = Base64.getEncoder().encodeToString(bytes(32, 7));
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString(bytes(32, 9));

    private static byte[] bytes(int n, int fill) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    private static AppCredentials credentials(String key) {
        return AppCredentials.withKey(Optional.of(key));
    }

    // --- formats

    @Test
    void apiKeyIsAmkAnd43Base64UrlCharacters() {
        String key = credentials(KEY).newApiKey();
        assertTrue(key.matches("amk_[A-Za-z0-9_-]{43}"), key);
        assertEquals(32, Base64.getUrlDecoder().decode(key.substring(4)).length);
    }

    @Test
    void webhookSecretIsWhsecAnd43Base64UrlCharacters() {
        String secret = credentials(KEY).newWebhookSecret();
        assertTrue(secret.matches("whsec_[A-Za-z0-9_-]{43}"), secret);
        assertEquals(32, Base64.getUrlDecoder().decode(secret.substring(6)).length);
    }

    @Test
    void everyKeyIsNew() {
        AppCredentials c = credentials(KEY);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(c.newApiKey()));
            assertTrue(seen.add(c.newWebhookSecret()));
        }
    }

    @Test
    void prefixIsTheFirst12Characters() {
        assertEquals("amk_abcdefgh", AppCredentials.prefix("amk_abcdefghijklmnop"));
    }

    // --- API key hash

    @Test
    void hashIsSha256Hex() {
        // the SHA-256 of "abc" (FIPS 180-2, appendix B.1)
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", AppCredentials.hash("abc"));
    }

    @Test
    void keyMatchesItsOwnHash() {
        String key = credentials(KEY).newApiKey();
        assertTrue(AppCredentials.matches(key, AppCredentials.hash(key)));
    }

    @Test
    void otherKeyDoesNotMatch() {
        AppCredentials c = credentials(KEY);
        String key = c.newApiKey();
        String hash = AppCredentials.hash(key);
        assertFalse(AppCredentials.matches(c.newApiKey(), hash));
        assertFalse(AppCredentials.matches(key + "x", hash));
        assertFalse(AppCredentials.matches(key.substring(0, key.length() - 1), hash));
        assertFalse(AppCredentials.matches("", hash));
        assertFalse(AppCredentials.matches(null, hash));
    }

    @Test
    void unreadableStoredHashMatchesNothing() {
        assertFalse(AppCredentials.matches("amk_x", "not hex"));
        assertFalse(AppCredentials.matches("amk_x", null));
    }

    // --- sealing

    @Test
    void sealedSecretUnsealsToTheSameSecret() {
        AppCredentials c = credentials(KEY);
        String secret = c.newWebhookSecret();
        String sealed = c.seal(secret, "com.example.app");
        assertTrue(sealed.matches("v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]+"), sealed);
        assertFalse(sealed.contains(secret.substring(6)));
        assertEquals(secret, c.unseal(sealed, "com.example.app"));
        // another instance with the same key (a restart) reads it too
        assertEquals(secret, credentials(KEY).unseal(sealed, "com.example.app"));
    }

    @Test
    void sealingTwiceGivesDifferentValues() {
        AppCredentials c = credentials(KEY);
        assertNotEquals(c.seal("whsec_same", "a.b.c"), c.seal("whsec_same", "a.b.c"));
    }

    @Test
    void tamperedCiphertextIsRefused() {
        AppCredentials c = credentials(KEY);
        String sealed = c.seal("whsec_secret", "com.example.app");
        String[] parts = sealed.split(":");
        byte[] ct = Base64.getDecoder().decode(parts[2]);
        ct[0] ^= 1;
        String tampered = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(ct);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.unseal(tampered, "com.example.app"));
        assertTrue(e.getMessage().contains("com.example.app"), e.getMessage());
    }

    @Test
    void tamperedNonceIsRefused() {
        AppCredentials c = credentials(KEY);
        String[] parts = c.seal("whsec_secret", "p.q.r").split(":");
        byte[] nonce = Base64.getDecoder().decode(parts[1]);
        nonce[11] ^= 0x40;
        String tampered = parts[0] + ":" + Base64.getEncoder().encodeToString(nonce) + ":" + parts[2];
        assertThrows(IllegalStateException.class, () -> c.unseal(tampered, "p.q.r"));
    }

    @Test
    void wrongKeyIsRefused() {
        String sealed = credentials(KEY).seal("whsec_secret", "com.example.app");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> credentials(OTHER_KEY).unseal(sealed, "com.example.app"));
        assertTrue(e.getMessage().contains("appmanager.apps.secret-key"), e.getMessage());
    }

    @Test
    void valueSealedForAnotherAppIsRefused() {
        AppCredentials c = credentials(KEY);
        String sealed = c.seal("whsec_secret", "com.example.one");
        assertThrows(IllegalStateException.class, () -> c.unseal(sealed, "com.example.two"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "whsec_plain", "v2:AAAAAAAAAAAAAAAA:AAAA", "v1:AAAA", "v1:!!!:AAAA", "v1:AAAA:AAAA",
            "v1:AAAAAAAAAAAAAAAA:AAAA:AAAA"})
    void somethingThatIsNotASealedValueIsRefused(String sealed) {
        assertThrows(IllegalStateException.class, () -> credentials(KEY).unseal(sealed, "a.b.c"));
    }

    // --- the key

    @Test
    void missingKeyIsRefusedNamingThePropertyAndHowToMakeOne() {
        for (Optional<String> missing : java.util.List.of(Optional.<String>empty(), Optional.of(""), Optional.of("  "))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> AppCredentials.withKey(missing));
            assertTrue(e.getMessage().contains("appmanager.apps.secret-key"), e.getMessage());
            assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
        }
    }

    @Test
    void keyThatIsNotBase64IsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AppCredentials.withKey(Optional.of("not base64 at all!")));
        assertTrue(e.getMessage().startsWith("appmanager.apps.secret-key must be the base64 of 32"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 31, 33, 64})
    void keyOfAnotherLengthIsRefused(int length) {
        String key = Base64.getEncoder().encodeToString(bytes(length, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AppCredentials.withKey(Optional.of(key)));
        assertTrue(e.getMessage().contains("decodes to " + length), e.getMessage());
    }

    @Test
    void keyWithATrailingNewlineIsAccepted() {
        // what `openssl rand -base64 32 > file` leaves behind
        AppCredentials c = AppCredentials.withKey(Optional.of(KEY + "\n"));
        assertEquals("whsec_x", credentials(KEY).unseal(c.seal("whsec_x", "a.b.c"), "a.b.c"));
    }
}
