package io.appmanager.sdk;

import java.util.Set;

/**
 * Classifies WebSocket close codes into what the client should do next.
 *
 * <p>Pure functions only, so the reconnect rules can be tested without a socket.
 */
final class CloseCodes {
    /** RFC 6455 normal closure; used for the deliberate {@link AccordClient#close()}. */
    static final int NORMAL = 1000;
    /**
     * RFC 6455 "abnormal closure": never sent on the wire, used locally for connect failures,
     * I/O errors and aborts so that every disconnect flows through one code path.
     */
    static final int ABNORMAL = 1006;
    /**
     * Client-initiated close that keeps the session resumable. Any code other than 1000/1001
     * tells an Accord server not to invalidate the session; 4000 ("unknown error") is the
     * conventional choice.
     */
    static final int RECONNECT = 4000;
    /** Session taken over by another connection: reconnecting would just steal it back. */
    static final int SESSION_REPLACED = 4015;

    /**
     * Terminal without a refresh: 4015 the session moved to another socket, 4016 another instance
     * owns the app session, 4017 the app was stopped, 4018 the app session was evicted, 4019 nothing was
     * started for this app in this user session. Reconnecting would fight the owner or undo (or pre-empt)
     * the platform's decision.
     */
    private static final Set<Integer> TERMINAL = Set.of(SESSION_REPLACED, 4016, 4017, 4018, 4019);

    /**
     * Codes that mean "your credentials or request are wrong": retrying with the same token
     * cannot succeed, but a refreshed token might (not authenticated, authentication failed,
     * invalid API version, invalid intents, disallowed intents).
     */
    private static final Set<Integer> FATAL_REFRESHABLE = Set.of(4003, 4004, 4012, 4013, 4014);

    private CloseCodes() {
    }

    /** What the client does after a close with a given code. */
    enum CloseAction {
        /** Transient problem: reconnect with backoff, resuming if possible. */
        RECONNECT,
        /** Credentials problem: refresh the token once, then IDENTIFY afresh. */
        REFRESH_TOKEN,
        /** Nothing the client can do: stop for good. */
        FAIL
    }

    /** True when the code forbids a plain reconnect. */
    static boolean isFatal(int code) {
        return TERMINAL.contains(code) || FATAL_REFRESHABLE.contains(code);
    }

    /** Maps a close code (remote or locally synthesised) to the follow-up action. */
    static CloseAction classify(int code) {
        if (TERMINAL.contains(code)) {
            return CloseAction.FAIL;
        }
        if (FATAL_REFRESHABLE.contains(code)) {
            return CloseAction.REFRESH_TOKEN;
        }
        return CloseAction.RECONNECT;
    }
}
