package io.appmanager.auth;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns the token a client presents (IDENTIFY, RESUME, or an Authorization header) into a
 * {@link Principal}. One algorithm is accepted, fixed by configuration, so a token cannot pick
 * its own (the classic RS256/HS256 confusion).
 */
@Startup
@ApplicationScoped
public class TokenVerifier {

    /** RFC 7518 3.2: an HS256 key must be at least as long as the hash output. */
    static final int MIN_HS256_SECRET_BYTES = 32;
    /** Tolerated clock difference between the token issuer and us. */
    private static final int CLOCK_SKEW_SECONDS = 30;
    /** The principal id becomes part of the topic {@code user:<sub>}, so it must be a topic-safe name. */
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9_.:@\\-]{1,120}");

    private final JwtConsumer consumer;
    private final Key key;
    private final String algorithm;

    public TokenVerifier(AuthConfig config) {
        if (config.rs256PublicKeyLocation().isPresent()) {
            this.algorithm = AlgorithmIdentifiers.RSA_USING_SHA256;
            this.key = readPublicKey(config.rs256PublicKeyLocation().get());
        } else if (config.hs256Secret().isPresent()) {
            byte[] secret = config.hs256Secret().get().getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_HS256_SECRET_BYTES) {
                throw new IllegalStateException("appmanager.auth.hs256-secret must be at least "
                        + MIN_HS256_SECRET_BYTES + " bytes (it has " + secret.length + ")");
            }
            this.algorithm = AlgorithmIdentifiers.HMAC_SHA256;
            this.key = new SecretKeySpec(secret, "HmacSHA256");
        } else {
            throw new IllegalStateException("no token key configured: set appmanager.auth.rs256-public-key-location "
                    + "(production) or appmanager.auth.hs256-secret (development)");
        }
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithm)
                .setSkipDefaultAudienceValidation();
        config.issuer().ifPresent(builder::setExpectedIssuer);
        this.consumer = builder.build();
    }

    /** The key tokens are verified with; the dev token endpoint signs with the same one. */
    public Key key() {
        return key;
    }

    public String algorithm() {
        return algorithm;
    }

    /**
     * @param presented the token as sent, optionally prefixed with {@code Bot } or {@code Bearer }
     */
    public Principal verify(String presented) throws TokenRejected {
        String raw = stripScheme(presented);
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(raw);
        } catch (InvalidJwtException e) {
            throw new TokenRejected(describe(e));
        }
        try {
            String sub = claims.getSubject();
            if (!SUBJECT.matcher(sub).matches()) {
                throw new TokenRejected("sub must match " + SUBJECT.pattern());
            }
            return new Principal(sub,
                    patterns(claims.getClaimValue("topics"), "topics"),
                    Set.copyOf(strings(claims.getClaimValue("privileged_intents"), "privileged_intents")),
                    publishPatterns(claims.getClaimValue("publish")),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()),
                    admin(claims.getClaimValue("admin")));
        } catch (MalformedClaimException e) {
            throw new TokenRejected("malformed claim: " + e.getMessage());
        }
    }

    static String stripScheme(String presented) throws TokenRejected {
        if (presented == null || presented.isBlank()) {
            throw new TokenRejected("token missing");
        }
        String t = presented.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("bearer ")) {
            return t.substring(7).strip();
        }
        if (lower.startsWith("bot ")) {
            return t.substring(4).strip();
        }
        return t;
    }

    /** Only a JSON boolean: a string "false" must not be read as a grant, nor silently as a refusal. */
    private static boolean admin(Object claim) throws TokenRejected {
        if (claim == null) {
            return false;
        }
        if (!(claim instanceof Boolean b)) {
            throw new TokenRejected("admin claim must be a boolean");
        }
        return b;
    }

    private static List<TopicPattern> publishPatterns(Object claim) throws TokenRejected {
        if (claim == null || Boolean.FALSE.equals(claim)) {
            return List.of();
        }
        if (Boolean.TRUE.equals(claim)) {
            return List.of(new TopicPattern("*"));
        }
        return patterns(claim, "publish");
    }

    private static List<TopicPattern> patterns(Object claim, String name) throws TokenRejected {
        List<TopicPattern> out = new ArrayList<>();
        for (String s : strings(claim, name)) {
            try {
                out.add(new TopicPattern(s));
            } catch (IllegalArgumentException e) {
                throw new TokenRejected(name + " claim holds an invalid pattern: " + s);
            }
        }
        return List.copyOf(out);
    }

    private static Collection<String> strings(Object claim, String name) throws TokenRejected {
        if (claim == null) {
            return List.of();
        }
        if (!(claim instanceof List<?> list)) {
            throw new TokenRejected(name + " claim must be an array of strings");
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new TokenRejected(name + " claim must be an array of strings");
            }
            out.add(s);
        }
        return out;
    }

    private static String describe(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "token expired";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SIGNATURE_INVALID)) {
            return "signature invalid";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_INVALID)) {
            return "issuer not accepted";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.EXPIRATION_MISSING)) {
            return "token has no exp";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SUBJECT_MISSING)) {
            return "token has no sub";
        }
        return "token not verifiable";
    }

    /** A file path (what a mounted Kubernetes secret is), else a classpath resource. */
    private static Key readPublicKey(String location) {
        try {
            java.nio.file.Path file = java.nio.file.Path.of(location.startsWith("file:") ? location.substring(5) : location);
            if (java.nio.file.Files.isRegularFile(file)) {
                return KeyUtils.decodePublicKey(java.nio.file.Files.readString(file));
            }
            return KeyUtils.readPublicKey(location);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read RS256 public key from " + location + ": " + e.getMessage(), e);
        }
    }
}
