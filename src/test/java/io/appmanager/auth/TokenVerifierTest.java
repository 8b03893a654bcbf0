package io.appmanager.auth;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenVerifierTest {

    private static final String SECRET = "unit-test-secret-0123456789abcdef-0123456789";
    private static final String OTHER_SECRET = "another-secret-0123456789abcdef-0123456789ab";

    private static KeyPair rsa;

    @BeforeAll
    static void rsaKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
    }

    /** A hand-written AuthConfig: no Quarkus, no SmallRye Config. */
    private static AuthConfig config(String rsaLocation, String secret, String issuer) {
        return new AuthConfig() {
            @Override
            public Optional<String> rs256PublicKeyLocation() {
                return Optional.ofNullable(rsaLocation);
            }

            @Override
            public Optional<String> hs256Secret() {
                return Optional.ofNullable(secret);
            }

            @Override
            public Optional<String> issuer() {
                return Optional.ofNullable(issuer);
            }

            @Override
            public boolean devTokensEnabled() {
                return false;
            }
        };
    }

    private static TokenVerifier hs256() {
        return new TokenVerifier(config(null, SECRET, null));
    }

    private static SecretKeySpec hmac(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    private static String hs(JwtClaimsBuilder claims) {
        return claims.jws().algorithm(SignatureAlgorithm.HS256).sign(hmac(SECRET));
    }

    /** Signs arbitrary claims with jose4j: for tokens the builder would not make (no exp, no sub). */
    private static String jose(JwtClaims claims, String alg, Key key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    private static JwtClaims claims(String sub, long expInSeconds) {
        JwtClaims c = new JwtClaims();
        if (sub != null) {
            c.setSubject(sub);
        }
        c.setIssuedAtToNow();
        c.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + expInSeconds));
        return c;
    }

    private static String rejection(TokenVerifier v, String token) {
        return assertThrows(TokenRejected.class, () -> v.verify(token)).getMessage();
    }

    private static final String PEM_NAME = "appmanager-unit-test-public.pem";

    private static Path pem(Path dir) throws Exception {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsa.getPublic().getEncoded());
        Path p = dir.resolve(PEM_NAME);
        Files.writeString(p, "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n");
        return p;
    }

    /** An RS256 verifier whose PEM is a classpath resource (dir put on the context class loader). */
    private static TokenVerifier rs256(Path dir, String secret) throws Exception {
        pem(dir);
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        try (URLClassLoader cl = new URLClassLoader(new URL[]{dir.toUri().toURL()}, old)) {
            t.setContextClassLoader(cl);
            return new TokenVerifier(config(PEM_NAME, secret, null));
        } finally {
            t.setContextClassLoader(old);
        }
    }

    // --- construction

    @Test
    void hs256SecretOfExactly32BytesIsAccepted() {
        TokenVerifier v = new TokenVerifier(config(null, "x".repeat(32), null));
        assertEquals(AlgorithmIdentifiers.HMAC_SHA256, v.algorithm());
        assertEquals("HmacSHA256", v.key().getAlgorithm());
    }

    @Test
    void hs256SecretShorterThan32BytesIsRefusedAtConstruction() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TokenVerifier(config(null, "x".repeat(31), null)));
        assertTrue(e.getMessage().contains("31"), e.getMessage());
    }

    @Test
    void secretLengthIsCountedInUtf8Bytes() {
        // 16 two-byte chars are 32 bytes: long enough
        new TokenVerifier(config(null, "\u00e9".repeat(16), null));
        // 15 two-byte chars are 30 bytes: too short, though 15 < 32 chars either way
        assertThrows(IllegalStateException.class, () -> new TokenVerifier(config(null, "\u00e9".repeat(15) + "a", null)));
    }

    @Test
    void emptySecretIsRefused() {
        assertThrows(IllegalStateException.class, () -> new TokenVerifier(config(null, "", null)));
    }

    @Test
    void neitherKeyIsRefusedAtConstruction() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TokenVerifier(config(null, null, null)));
        assertTrue(e.getMessage().contains("no token key"), e.getMessage());
    }

    @Test
    void unreadableRsaKeyIsRefusedAtConstruction(@TempDir Path dir) {
        assertThrows(IllegalStateException.class,
                () -> new TokenVerifier(config(dir.resolve("missing.pem").toString(), null, null)));
    }

    @Test
    void rsaKeyIsReadFromAPemFileOnDisk(@TempDir Path dir) throws Exception {
        Path p = pem(dir);
        assertEquals(rsa.getPublic(), new TokenVerifier(config(p.toString(), null, null)).key());
        assertEquals(rsa.getPublic(), new TokenVerifier(config("file:" + p, null, null)).key());
    }

    @Test
    void rsaKeyTakesPrecedenceOverTheSecret(@TempDir Path dir) throws Exception {
        TokenVerifier v = rs256(dir, SECRET);
        assertEquals(AlgorithmIdentifiers.RSA_USING_SHA256, v.algorithm());
        assertEquals(rsa.getPublic(), v.key());
        // an HS256 token signed with the (otherwise valid) secret is then refused
        rejection(v, hs(Jwt.subject("alice").expiresIn(3600)));
    }

    // --- valid tokens and the scheme prefix

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer ", "Bot ", "bearer ", "BOT ", "bEaReR ", "  Bearer   "})
    void validTokenVerifiesWithOrWithoutScheme(String prefix) throws Exception {
        String token = hs(Jwt.subject("alice").expiresIn(3600));
        Principal p = hs256().verify(prefix + token + "  ");
        assertEquals("alice", p.id());
    }

    @Test
    void validTokenYieldsEveryClaim() throws Exception {
        long exp = Instant.now().getEpochSecond() + 3600;
        String token = hs(Jwt.subject("alice")
                .claim("topics", List.of("chat.*", "news"))
                .claim("privileged_intents", List.of("members"))
                .claim("publish", List.of("chat.*"))
                .claim("admin", true)
                .expiresAt(exp));
        Principal p = hs256().verify(token);
        assertEquals("alice", p.id());
        assertEquals(List.of(new TopicPattern("chat.*"), new TopicPattern("news")), p.topics());
        assertEquals(Set.of("members"), p.privilegedIntents());
        assertEquals(List.of(new TopicPattern("chat.*")), p.publish());
        assertEquals(Instant.ofEpochSecond(exp), p.expiresAt());
        assertTrue(p.isPublisher());
        assertTrue(p.mayPublish("chat.x"));
        assertFalse(p.mayPublish("news"));
        assertTrue(p.admin());
    }

    @Test
    void absentOptionalClaimsAreEmpty() throws Exception {
        Principal p = hs256().verify(hs(Jwt.subject("alice").expiresIn(3600)));
        assertEquals(List.of(), p.topics());
        assertEquals(Set.of(), p.privilegedIntents());
        assertEquals(List.of(), p.publish());
        assertFalse(p.isPublisher());
        assertFalse(p.admin());
    }

    // --- admin claim

    @Test
    void adminFalseIsNotAnAdmin() throws Exception {
        assertFalse(hs256().verify(hs(Jwt.subject("a").claim("admin", false).expiresIn(60))).admin());
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false", "yes", "1"})
    void adminAsAStringIsRefused(String value) throws Exception {
        assertEquals("admin claim must be a boolean",
                rejection(hs256(), hs(Jwt.subject("a").claim("admin", value).expiresIn(60))));
    }

    @Test
    void adminAsANumberIsRefused() throws Exception {
        assertEquals("admin claim must be a boolean",
                rejection(hs256(), hs(Jwt.subject("a").claim("admin", 1).expiresIn(60))));
    }

    @Test
    void duplicateTopicsAreCollapsedInOrder() throws Exception {
        Principal p = hs256().verify(hs(Jwt.subject("a").claim("topics", List.of("b", "a", "b")).expiresIn(60)));
        assertEquals(List.of(new TopicPattern("b"), new TopicPattern("a")), p.topics());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "alice", "user.1", "a_b-c:d@e"})
    void topicSafeSubjectsAreAccepted(String sub) throws Exception {
        assertEquals(sub, hs256().verify(hs(Jwt.subject(sub).expiresIn(60))).id());
    }

    // --- publish claim

    @Test
    void publishTrueMeansEverywhere() throws Exception {
        Principal p = hs256().verify(hs(Jwt.subject("pub").claim("publish", true).expiresIn(60)));
        assertEquals(List.of(new TopicPattern("*")), p.publish());
        assertTrue(p.mayPublish("anything.at.all"));
    }

    @Test
    void publishFalseMeansNowhere() throws Exception {
        Principal p = hs256().verify(hs(Jwt.subject("pub").claim("publish", false).expiresIn(60)));
        assertEquals(List.of(), p.publish());
        assertFalse(p.isPublisher());
    }

    @Test
    void publishArrayIsThosePatterns() throws Exception {
        Principal p = hs256().verify(hs(Jwt.subject("pub").claim("publish", List.of("a.*", "b")).expiresIn(60)));
        assertEquals(List.of(new TopicPattern("a.*"), new TopicPattern("b")), p.publish());
        assertTrue(p.mayPublish("a.1"));
        assertTrue(p.mayPublish("b"));
        assertFalse(p.mayPublish("c"));
    }

    @Test
    void publishAbsentMeansNowhere() throws Exception {
        assertEquals(List.of(), hs256().verify(hs(Jwt.subject("pub").expiresIn(60))).publish());
    }

    @Test
    void publishAsAStringIsRefused() throws Exception {
        String m = rejection(hs256(), hs(Jwt.subject("pub").claim("publish", "*").expiresIn(60)));
        assertTrue(m.contains("publish"), m);
    }

    @Test
    void publishWithAnInvalidPatternIsRefused() throws Exception {
        String m = rejection(hs256(), hs(Jwt.subject("pub").claim("publish", List.of("a b")).expiresIn(60)));
        assertEquals("publish claim holds an invalid pattern: a b", m);
    }

    // --- malformed claims

    @Test
    void topicsClaimThatIsNotAnArrayIsRefused() throws Exception {
        String m = rejection(hs256(), hs(Jwt.subject("a").claim("topics", "chat.*").expiresIn(60)));
        assertEquals("topics claim must be an array of strings", m);
    }

    @Test
    void topicsClaimThatIsAnObjectIsRefused() throws Exception {
        String m = rejection(hs256(), hs(Jwt.subject("a").claim("topics", Map.of("t", "x")).expiresIn(60)));
        assertEquals("topics claim must be an array of strings", m);
    }

    @Test
    void topicsClaimWithANonStringIsRefused() throws Exception {
        String m = rejection(hs256(), hs(Jwt.subject("a").claim("topics", List.of("ok", 5)).expiresIn(60)));
        assertEquals("topics claim must be an array of strings", m);
    }

    @Test
    void topicsClaimWithAnInvalidPatternIsRefused() throws Exception {
        String m = rejection(hs256(), hs(Jwt.subject("a").claim("topics", List.of("ok", "not/ok")).expiresIn(60)));
        assertEquals("topics claim holds an invalid pattern: not/ok", m);
    }

    @Test
    void privilegedIntentsThatAreNotAnArrayAreRefused() throws Exception {
        String m = rejection(hs256(), hs(Jwt.subject("a").claim("privileged_intents", "members").expiresIn(60)));
        assertEquals("privileged_intents claim must be an array of strings", m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "caf\u00e9", "user*", "a\nb"})
    void subjectWithCharactersUnsafeForATopicIsRefused(String sub) throws Exception {
        String m = rejection(hs256(), hs(Jwt.subject(sub).expiresIn(60)));
        assertTrue(m.startsWith("sub must match"), m);
    }

    @Test
    void subjectOf120CharactersIsAccepted() throws Exception {
        String sub = "X".repeat(120);
        assertEquals(sub, hs256().verify(hs(Jwt.subject(sub).expiresIn(60))).id());
    }

    @Test
    void subjectLongerThan120IsRefused() throws Exception {
        String m = rejection(hs256(), hs(Jwt.subject("X".repeat(121)).expiresIn(60)));
        assertTrue(m.startsWith("sub must match"), m);
    }

    @Test
    void emptySubjectIsRefused() throws Exception {
        rejection(hs256(), jose(claims("", 60), AlgorithmIdentifiers.HMAC_SHA256, hmac(SECRET)));
    }

    // --- time

    @Test
    void expiredTokenIsRefused() throws Exception {
        long now = Instant.now().getEpochSecond();
        String token = hs(Jwt.subject("alice").issuedAt(now - 3600).expiresAt(now - 120));
        assertEquals("token expired", rejection(hs256(), token));
    }

    @Test
    void tokenExpiredWithinTheClockSkewIsStillAccepted() throws Exception {
        long now = Instant.now().getEpochSecond();
        String token = hs(Jwt.subject("alice").issuedAt(now - 3600).expiresAt(now - 5));
        assertEquals("alice", hs256().verify(token).id());
    }

    @Test
    void tokenWithoutExpIsRefused() throws Exception {
        JwtClaims c = new JwtClaims();
        c.setSubject("alice");
        c.setIssuedAtToNow();
        assertEquals("token has no exp", rejection(hs256(), jose(c, AlgorithmIdentifiers.HMAC_SHA256, hmac(SECRET))));
    }

    @Test
    void tokenWithoutSubIsRefused() throws Exception {
        assertEquals("token has no sub",
                rejection(hs256(), jose(claims(null, 60), AlgorithmIdentifiers.HMAC_SHA256, hmac(SECRET))));
    }

    @Test
    void joseSignedTokenWithEverythingIsAccepted() throws Exception {
        // control for the jose4j-made tokens above: the helper itself makes verifiable tokens
        assertEquals("alice",
                hs256().verify(jose(claims("alice", 60), AlgorithmIdentifiers.HMAC_SHA256, hmac(SECRET))).id());
    }

    // --- signature and algorithm

    @Test
    void tokenSignedWithAnotherSecretIsRefused() throws Exception {
        String token = Jwt.subject("alice").expiresIn(3600).jws().algorithm(SignatureAlgorithm.HS256)
                .sign(hmac(OTHER_SECRET));
        assertEquals("signature invalid", rejection(hs256(), token));
    }

    @Test
    void tamperedPayloadIsRefused() throws Exception {
        String token = hs(Jwt.subject("alice").expiresIn(3600));
        String[] parts = token.split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("alice", "admin").getBytes(StandardCharsets.UTF_8));
        rejection(hs256(), parts[0] + "." + forged + "." + parts[2]);
    }

    @Test
    void rs256TokenIsRefusedWhenHs256IsConfigured() throws Exception {
        String token = Jwt.subject("alice").expiresIn(3600).jws().algorithm(SignatureAlgorithm.RS256)
                .sign(rsa.getPrivate());
        rejection(hs256(), token);
    }

    @Test
    void unsignedTokenIsRefused() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims("alice", 60).toJson());
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        rejection(hs256(), jws.getCompactSerialization());
    }

    @Test
    void hs384TokenWithTheRightSecretIsRefused() throws Exception {
        rejection(hs256(), jose(claims("alice", 60), AlgorithmIdentifiers.HMAC_SHA384,
                hmac(SECRET + SECRET)));
        rejection(new TokenVerifier(config(null, SECRET + SECRET, null)),
                jose(claims("alice", 60), AlgorithmIdentifiers.HMAC_SHA384, hmac(SECRET + SECRET)));
    }

    @Test
    void rs256TokenVerifiesWhenRs256IsConfigured(@TempDir Path dir) throws Exception {
        TokenVerifier v = rs256(dir, null);
        String token = Jwt.subject("alice").claim("topics", List.of("t")).expiresIn(3600).jws()
                .algorithm(SignatureAlgorithm.RS256).sign(rsa.getPrivate());
        Principal p = v.verify("Bearer " + token);
        assertEquals("alice", p.id());
        assertEquals(List.of(new TopicPattern("t")), p.topics());
    }

    @Test
    void hs256TokenSignedWithThePublicKeyIsRefusedWhenRs256IsConfigured(@TempDir Path dir) throws Exception {
        // the classic confusion: the attacker knows the public key and uses its bytes as an HMAC secret
        TokenVerifier v = rs256(dir, null);
        Path pem = dir.resolve(PEM_NAME);
        String token1 = jose(claims("admin", 60), AlgorithmIdentifiers.HMAC_SHA256,
                new SecretKeySpec(Files.readAllBytes(pem), "HmacSHA256"));
        rejection(v, token1);
        String token2 = jose(claims("admin", 60), AlgorithmIdentifiers.HMAC_SHA256,
                new SecretKeySpec(rsa.getPublic().getEncoded(), "HmacSHA256"));
        rejection(v, token2);
    }

    // --- issuer

    @Test
    void issuerConfiguredAndMatchingIsAccepted() throws Exception {
        TokenVerifier v = new TokenVerifier(config(null, SECRET, "https://platform.example"));
        assertEquals("alice", v.verify(hs(Jwt.issuer("https://platform.example").subject("alice").expiresIn(60))).id());
    }

    @Test
    void issuerConfiguredAndMismatchingIsRefused() throws Exception {
        TokenVerifier v = new TokenVerifier(config(null, SECRET, "https://platform.example"));
        assertEquals("issuer not accepted",
                rejection(v, hs(Jwt.issuer("https://evil.example").subject("alice").expiresIn(60))));
    }

    @Test
    void issuerConfiguredAndAbsentIsRefused() throws Exception {
        TokenVerifier v = new TokenVerifier(config(null, SECRET, "https://platform.example"));
        rejection(v, jose(claims("alice", 60), AlgorithmIdentifiers.HMAC_SHA256, hmac(SECRET)));
    }

    @Test
    void issuerNotConfiguredAcceptsAnyIssuer() throws Exception {
        assertEquals("alice", hs256().verify(hs(Jwt.issuer("whoever").subject("alice").expiresIn(60))).id());
    }

    // --- presented strings

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankTokenIsMissing(String presented) {
        assertEquals("token missing", rejection(hs256(), presented));
    }

    @Test
    void nullTokenIsMissing() {
        assertEquals("token missing", rejection(hs256(), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bot", "garbage", "a.b.c", "Bearer x.y.z", "Basic dXNlcjpwYXNz"})
    void garbageIsRefused(String presented) {
        rejection(hs256(), presented);
    }

    @Test
    void schemeIsStrippedOnlyOnce() throws Exception {
        assertEquals("Bot abc", TokenVerifier.stripScheme("Bearer Bot abc"));
        assertEquals("abc", TokenVerifier.stripScheme("  Bot   abc  "));
        assertEquals("Bearerabc", TokenVerifier.stripScheme("Bearerabc"));
    }
}
