package io.appmanager.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.platform.ApiException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Mints HS256 tokens on a developer's machine, so the README's walk-through needs no other tool.
 * Answers 404 unless {@code appmanager.auth.dev-tokens-enabled} is on and an HS256 secret is the key.
 */
@Path("/api/v1/dev/tokens")
public class DevTokenResource {

    /** A day: long enough for a session of poking at the gateway by hand. */
    private static final long DEFAULT_TTL_SECONDS = 86_400;
    private static final long MAX_TTL_SECONDS = 30L * 86_400;

    private final AuthConfig config;
    private final TokenVerifier verifier;

    public DevTokenResource(AuthConfig config, TokenVerifier verifier) {
        this.config = config;
        this.verifier = verifier;
    }

    public record Minted(String token, String sub, long expires_in) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Minted mint(JsonNode body) {
        if (!config.devTokensEnabled() || !(verifier.key() instanceof SecretKey key)) {
            throw ApiException.notFound("dev tokens are disabled on this server");
        }
        if (body == null || !body.isObject()) {
            throw ApiException.invalidField(null, "body must be a JSON object");
        }
        JsonNode sub = body.get("sub");
        if (sub == null || !sub.isTextual() || sub.textValue().isBlank()) {
            throw ApiException.invalidField("sub", "sub (the principal id) is required");
        }
        long ttl = body.path("ttl_seconds").asLong(DEFAULT_TTL_SECONDS);
        if (ttl <= 0 || ttl > MAX_TTL_SECONDS) {
            throw ApiException.invalidField("ttl_seconds", "ttl_seconds must be 1.." + MAX_TTL_SECONDS);
        }
        JwtClaimsBuilder claims = Jwt.subject(sub.textValue()).expiresIn(ttl);
        config.issuer().ifPresent(claims::issuer);
        for (String name : List.of("topics", "privileged_intents")) {
            claims.claim(name, stringList(body.get(name), name));
        }
        JsonNode publish = body.get("publish");
        if (publish != null && publish.isBoolean()) {
            claims.claim("publish", publish.booleanValue());
        } else if (publish != null) {
            claims.claim("publish", stringList(publish, "publish"));
        }
        JsonNode admin = body.get("admin");
        if (admin != null && !admin.isNull()) {
            if (!admin.isBoolean()) {
                throw ApiException.invalidField("admin", "admin must be true or false");
            }
            claims.claim("admin", admin.booleanValue());
        }
        String token = claims.jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.HS256).sign(key);
        try {
            verifier.verify(token);
        } catch (TokenRejected e) {
            throw ApiException.invalidField(null, "the claims do not make a valid token: " + e.getMessage());
        }
        return new Minted(token, sub.textValue(), ttl);
    }

    private static List<String> stringList(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw ApiException.invalidField(field, field + " must be an array of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw ApiException.invalidField(field, field + " must be an array of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }

}
