package io.appmanager.sdk;

/**
 * Gateway opcodes of the Accord-compatible wire protocol.
 *
 * <p>The numbers are fixed by the protocol (they mirror Discord's gateway so that existing
 * tooling and mental models carry over); 12 is AppManager's own extension.
 */
public final class OpCodes {
    /** Server to client: a sequenced dispatch ({@code seq} and {@code type} are present). */
    public static final int EVENT = 0;
    /** Client to server keep-alive carrying the last seq seen; the server may also request one. */
    public static final int HEARTBEAT = 1;
    /** Client to server: start a new session. */
    public static final int IDENTIFY = 2;
    /** Client to server: continue an existing session and replay what was missed. */
    public static final int RESUME = 3;
    /** Server to client: acknowledges a heartbeat. */
    public static final int HEARTBEAT_ACK = 4;
    /** Server to client: first frame on every socket, carries the heartbeat interval. */
    public static final int HELLO = 5;
    /** Server to client: asks the client to reconnect and resume. */
    public static final int RECONNECT = 6;
    /** Server to client: the session cannot be used; {@code data} says whether it may be resumed. */
    public static final int INVALID_SESSION = 7;
    /** Client to server: change topic subscriptions (AppManager extension). */
    public static final int SUBSCRIBE = 12;
    /** App SDKs: a request to the platform with a correlation id (docs/protocol.md, "Requests"). */
    public static final int REQUEST = 13;

    private OpCodes() {
    }
}
