package io.appmanager.auth;

/** A token that does not verify; the message says why in words safe to show the client. */
public final class TokenRejected extends Exception {
    public TokenRejected(String reason) {
        super(reason, null, false, false);
    }
}
