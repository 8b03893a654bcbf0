package io.appmanager.apps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reconnect tokens: {@code rt_<generation>_<43 base64url chars>}, issued in READY for the generation
 * that connection got. The generation is readable so a superseded token is recognised as stale
 * (4016) without a lookup; the random part is what proves it, and only its SHA-256 is stored.
 */
public final class ReconnectTokens {

    /** 256 random bits: a token is a bearer credential for one app session. */
    private static final int RANDOM_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile("rt_([0-9]{1,18})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a presented token came to, before it is compared with the session. */
    public sealed interface Parsed {
        record WellFormed(long generation, String token) implements Parsed {
        }

        record Malformed(String reason) implements Parsed {
        }
    }

    private ReconnectTokens() {
    }

    public static String mint(long generation) {
        byte[] b = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(b);
        return "rt_" + generation + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static Parsed parse(String presented) {
        if (presented == null) {
            return new Parsed.Malformed("reconnect_token must be a string");
        }
        Matcher m = FORMAT.matcher(presented);
        if (!m.matches()) {
            return new Parsed.Malformed("reconnect_token is not a token this server issued (rt_<generation>_<43 chars>)");
        }
        return new Parsed.WellFormed(Long.parseLong(m.group(1)), presented);
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Constant time, so the stored hash cannot be learnt byte by byte from response times. */
    public static boolean matches(String token, String storedHash) {
        return storedHash != null && MessageDigest.isEqual(
                hash(token).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** The generation a well-formed token names; empty for none or a malformed one. */
    public static Optional<Long> generationOf(Parsed parsed) {
        return parsed instanceof Parsed.WellFormed w ? Optional.of(w.generation()) : Optional.empty();
    }
}
