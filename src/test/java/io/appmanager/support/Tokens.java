package io.appmanager.support;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

/** Mints tokens signed with the test profile's HS256 secret. */
public final class Tokens {

    private Tokens() {
    }

    public static Builder of(String sub) {
        return new Builder(sub);
    }

    /** A token for {@code sub} that may subscribe to the given topics. */
    public static String user(String sub, String... topics) {
        return of(sub).topics(topics).mint();
    }

    /** A token that may publish anywhere. */
    public static String publisher(String sub) {
        return of(sub).publish("*").mint();
    }

    /** A token that may manage apps (the {@code admin} claim) and nothing else. */
    public static String admin(String sub) {
        return of(sub).admin().mint();
    }

    public static final class Builder {
        private final JwtClaimsBuilder claims;
        private Duration ttl = Duration.ofHours(1);
        private String secret;

        private Builder(String sub) {
            this.claims = Jwt.subject(sub);
        }

        public Builder topics(String... topics) {
            claims.claim("topics", List.of(topics));
            return this;
        }

        public Builder privileged(String... intents) {
            claims.claim("privileged_intents", List.of(intents));
            return this;
        }

        public Builder publish(String... patterns) {
            claims.claim("publish", List.of(patterns));
            return this;
        }

        public Builder admin() {
            claims.claim("admin", true);
            return this;
        }

        public Builder claim(String name, Object value) {
            claims.claim(name, value);
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder expiredAgo(Duration ago) {
            claims.issuedAt(System.currentTimeMillis() / 1000 - ago.toSeconds() - 3600);
            claims.expiresAt(System.currentTimeMillis() / 1000 - ago.toSeconds());
            this.ttl = null;
            return this;
        }

        public Builder signedWith(String otherSecret) {
            this.secret = otherSecret;
            return this;
        }

        public String mint() {
            if (ttl != null) {
                claims.expiresIn(ttl);
            }
            String s = secret != null ? secret
                    : ConfigProvider.getConfig().getValue("appmanager.auth.hs256-secret", String.class);
            return claims.jws().algorithm(SignatureAlgorithm.HS256)
                    .sign(new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        }
    }
}
