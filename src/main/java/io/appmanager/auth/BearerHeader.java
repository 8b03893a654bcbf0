package io.appmanager.auth;

import io.appmanager.platform.ApiException;

/** Reads the principal of a REST call from its Authorization header, or refuses with 401. */
public final class BearerHeader {

    private BearerHeader() {
    }

    public static Principal principal(TokenVerifier verifier, String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("Authorization header with a Bearer token is required");
        }
        try {
            return verifier.verify(authorization);
        } catch (TokenRejected e) {
            throw ApiException.unauthorized(e.getMessage());
        }
    }
}
