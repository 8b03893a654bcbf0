package io.appmanager.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * How tokens are verified. Exactly one key source is needed: an RS256 public key for production
 * (the platform that mints tokens keeps the private key) or an HS256 secret for development.
 * The service refuses to start with neither, or with a secret too short to be safe.
 */
@ConfigMapping(prefix = "appmanager.auth")
public interface AuthConfig {

    /** PEM file path (or classpath resource) holding the RS256 public key. Takes precedence over the secret. */
    Optional<String> rs256PublicKeyLocation();

    /** Shared HS256 secret, at least 32 bytes (RFC 7518 3.2: key as long as the hash). */
    Optional<String> hs256Secret();

    /** When set, tokens must carry this {@code iss}. */
    Optional<String> issuer();

    /**
     * Serves POST /api/v1/dev/tokens, which mints HS256 tokens for anyone who asks. Only for a
     * developer's machine: on by default in the dev profile, off everywhere else.
     */
    @WithDefault("false")
    boolean devTokensEnabled();
}
