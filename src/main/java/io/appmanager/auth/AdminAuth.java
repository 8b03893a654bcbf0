package io.appmanager.auth;

import io.appmanager.platform.ApiException;

/** Reads the principal of an admin REST call: 401 without a valid token, 403 when it is not an admin's. */
public final class AdminAuth {

    private AdminAuth() {
    }

    public static Principal requireAdmin(TokenVerifier verifier, String authorization) {
        Principal principal = BearerHeader.principal(verifier, authorization);
        if (!principal.admin()) {
            throw ApiException.forbidden("admin token required", null);
        }
        return principal;
    }
}
