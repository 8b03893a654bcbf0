package io.appmanager.gateway;

/**
 * Every close code the gateway sends, with whether a client should reconnect. The table in
 * docs/protocol.md states the same facts (CloseCodesTest keeps them in step); the 4000-4014 meanings are Accord's.
 */
public enum CloseCodes {
    /** Sent on graceful shutdown after RECONNECT: reconnect (to another node) and resume. */
    GOING_AWAY(1001, true),
    /** Slow consumer, heartbeat timeout noticed client-side, or a test's chaos: resume. */
    UNKNOWN_ERROR(4000, true),
    UNKNOWN_OPCODE(4001, true),
    DECODE_ERROR(4002, true),
    NOT_AUTHENTICATED(4003, false),
    AUTHENTICATION_FAILED(4004, false),
    ALREADY_AUTHENTICATED(4005, true),
    /** RESUME refused: unknown or expired session, seq ahead, or replay gap. Reconnect with IDENTIFY. */
    INVALID_SEQ(4007, true),
    RATE_LIMITED(4008, true),
    SESSION_TIMED_OUT(4009, true),
    INVALID_VERSION(4012, false),
    INVALID_INTENT(4013, false),
    DISALLOWED_INTENT(4014, false),
    /** AppManager: a RESUME on another socket took this session over (fencing). Do not fight back. */
    SESSION_REPLACED(4015, false),
    /** AppManager app sessions (docs/lifecycle.md): another instance owns this app session. */
    APP_SESSION_FENCED(4016, false),
    /** AppManager app sessions: the app was stopped; it must not reconnect or be resurrected. */
    APP_STOPPED(4017, false),
    /** AppManager app sessions: the resurrection horizon ran out; only a new start brings it back. */
    APP_EVICTED(4018, false),
    /** AppManager app sessions: nothing was started for this package in this user session. */
    APP_NO_SESSION(4019, false);

    /** RFC 6455 5.5: a close frame's payload is at most 125 bytes, 2 of them the code. */
    static final int MAX_REASON_BYTES = 123;

    public final int code;
    public final boolean reconnect;

    CloseCodes(int code, boolean reconnect) {
        this.code = code;
        this.reconnect = reconnect;
    }

    /** The constant for a code the app lifecycle chose; UNKNOWN_ERROR for a code we never send. */
    static CloseCodes of(int code) {
        for (CloseCodes c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return UNKNOWN_ERROR;
    }

    /** Cuts a reason to what fits in a close frame, on a code point boundary. */
    static String fit(String reason) {
        if (utf8(reason) <= MAX_REASON_BYTES) {
            return reason;
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < reason.length(); ) {
            int cp = reason.codePointAt(i);
            int n = utf8(new String(Character.toChars(cp)));
            if (bytes + n > MAX_REASON_BYTES - ELLIPSIS.length()) {
                break;
            }
            cut.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return cut.append(ELLIPSIS).toString();
    }

    private static final String ELLIPSIS = "...";

    private static int utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
