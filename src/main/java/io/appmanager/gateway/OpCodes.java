package io.appmanager.gateway;

/** Gateway opcodes. 0-11 are Accord's; 12 and up are AppManager's additions (docs/protocol.md). */
public final class OpCodes {
    public static final int EVENT = 0;
    public static final int HEARTBEAT = 1;
    public static final int IDENTIFY = 2;
    public static final int RESUME = 3;
    public static final int HEARTBEAT_ACK = 4;
    public static final int HELLO = 5;
    public static final int RECONNECT = 6;
    public static final int INVALID_SESSION = 7;
    /** Accord client ops we accept and ignore so AccordKit is not disconnected for sending them. */
    public static final int PRESENCE_UPDATE = 8;
    public static final int VOICE_STATE_UPDATE = 9;
    public static final int REQUEST_MEMBERS = 10;
    public static final int VOICE_SIGNAL = 11;
    /** AppManager: change this session's topic subscriptions. */
    public static final int SUBSCRIBE = 12;
    /** AppManager: an app SDK asks the platform something; the answer comes back as an app.response event. */
    public static final int REQUEST = 13;

    private OpCodes() {
    }

    static boolean isAccordClientOpWithoutEffect(int op) {
        return op >= PRESENCE_UPDATE && op <= VOICE_SIGNAL;
    }
}
