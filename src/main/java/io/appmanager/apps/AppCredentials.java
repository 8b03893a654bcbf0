package io.appmanager.apps;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An app's two credentials: the API key its SDK presents (kept as a hash) and the secret its
 * webhooks are signed with (kept sealed, because signing needs the secret itself). Pure: no
 * framework, no I/O. Why the two are kept differently: docs/decisions/0008-app-credentials.md.
 */
public final class AppCredentials {

    /** Prefixes tell a leaked string's kind at a glance (and let secret scanners find them). */
    public static final String API_KEY_PREFIX = "amk_";
    public static final String WEBHOOK_SECRET_PREFIX = "whsec_";
    /** 256 bits: far beyond guessing, which is also why a fast hash is enough for the API key. */
    static final int RANDOM_BYTES = 32;
    /** "amk_" and 8 random characters: 48 bits tell keys apart for an operator, and reveal nothing useful. */
    public static final int SHOWN_PREFIX_CHARS = 12;
    /** The property the sealing key comes from; every refusal names it. */
    public static final String SECRET_KEY_PROPERTY = "appmanager.apps.secret-key";

    static final String SEALED_VERSION = "v1";
    /** AES-GCM: 96-bit nonces are the size the mode is defined for; random ones are safe for far more seals than we make. */
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final String HOW_TO_GENERATE = "generate one with: openssl rand -base64 32";

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final SecretKeySpec sealingKey;
    private final SecureRandom random;

    private AppCredentials(byte[] sealingKey, SecureRandom random) {
        this.sealingKey = new SecretKeySpec(sealingKey, "AES");
        this.random = random;
    }

    /**
     * Credentials sealing with the configured key ({@value #SECRET_KEY_PROPERTY}).
     *
     * @throws IllegalStateException naming the property when the key is missing, not base64 or not 32 bytes
     */
    public static AppCredentials withKey(Optional<String> base64Key) {
        String configured = base64Key.map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalStateException("no " + SECRET_KEY_PROPERTY + " configured: it seals the "
                        + "apps' webhook secrets (AES-256-GCM); " + HOW_TO_GENERATE + " and set it, e.g. as "
                        + "APPMANAGER_APPS_SECRET_KEY"));
        byte[] key;
        try {
            key = B64_DECODER.decode(configured);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(SECRET_KEY_PROPERTY + " must be the base64 of 32 random bytes, and it is "
                    + "not base64; " + HOW_TO_GENERATE);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException(SECRET_KEY_PROPERTY + " must be the base64 of 32 random bytes (it decodes to "
                    + key.length + "); " + HOW_TO_GENERATE);
        }
        return new AppCredentials(key, new SecureRandom());
    }

    /** A new API key: {@code amk_} and 43 base64url characters of 32 random bytes. */
    public String newApiKey() {
        return API_KEY_PREFIX + randomText();
    }

    /** A new webhook signing secret: {@code whsec_} and 43 base64url characters of 32 random bytes. */
    public String newWebhookSecret() {
        return WEBHOOK_SECRET_PREFIX + randomText();
    }

    /**
     * What is stored for an API key: SHA-256, hex. A slow password hash would only slow down every
     * SDK connection: it protects guessable secrets, and a 256-bit random key is not guessable.
     */
    public static String hash(String apiKey) {
        return HexFormat.of().formatHex(sha256(apiKey));
    }

    /** Whether {@code presented} is the key {@code storedHash} was made from; constant time in the hash. */
    public static boolean matches(String presented, String storedHash) {
        if (presented == null || storedHash == null) {
            return false;
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(storedHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented), expected);
    }

    /** The part of a key shown to operators so they can tell keys apart. */
    public static String prefix(String apiKey) {
        return apiKey.substring(0, Math.min(SHOWN_PREFIX_CHARS, apiKey.length()));
    }

    /**
     * Seals a webhook secret: {@code v1:<base64 nonce>:<base64 ciphertext and tag>}, AES-256-GCM with
     * a random nonce. The package name is authenticated with it, so a sealed value copied to another
     * app's row does not unseal there.
     */
    public String seal(String secret, String packageName) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, packageName).doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return SEALED_VERSION + ":" + B64.encodeToString(nonce) + ":" + B64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a webhook secret: " + e.getMessage(), e);
        }
    }

    /**
     * The secret {@link #seal} sealed for {@code packageName}.
     *
     * @throws IllegalStateException when the value was altered, sealed for another app or with another
     *                               key (the key changed), or is not a sealed value at all
     */
    public String unseal(String sealed, String packageName) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", -1);
        if (parts.length != 3 || !SEALED_VERSION.equals(parts[0])) {
            throw unreadable(packageName, "not a " + SEALED_VERSION + " sealed value");
        }
        try {
            byte[] nonce = B64_DECODER.decode(parts[1]);
            if (nonce.length != NONCE_BYTES) {
                throw unreadable(packageName, "bad nonce");
            }
            byte[] plain = cipher(Cipher.DECRYPT_MODE, nonce, packageName).doFinal(B64_DECODER.decode(parts[2]));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unreadable(packageName, "not base64");
        } catch (GeneralSecurityException e) {
            throw unreadable(packageName, "it was altered, or sealed with another " + SECRET_KEY_PROPERTY);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String packageName) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, sealingKey, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(ByteBuffer.wrap(packageName.getBytes(StandardCharsets.UTF_8)));
        return c;
    }

    private static IllegalStateException unreadable(String packageName, String why) {
        return new IllegalStateException("the webhook secret of " + packageName + " cannot be unsealed: " + why);
    }

    private String randomText() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return URL.encodeToString(bytes);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
