package io.appmanager.apps;

/**
 * Close codes the app lifecycle sends to SDK sockets. 4015 is the gateway's SESSION_REPLACED; 4016-4018
 * are new AppManager codes. All four are final for the SDK: reconnecting could only fight the instance
 * that now owns the session, or revive a session the platform ended. docs/lifecycle.md lists them.
 */
public final class AppCloseCodes {

    /** The same instance connected again (takeover); this older socket of it must go quietly. */
    public static final int REPLACED = 4015;
    public static final String REPLACED_REASON = "replaced by a newer connection of this instance";

    /**
     * Fencing: another instance owns the app session (it is live, or it holds a newer generation).
     * Not retried: the orphan that retries is exactly how MentraOS let an old instance stop a new session.
     */
    public static final int FENCED = 4016;
    public static final String FENCED_REASON = "app session already has a live instance";

    /** The app was stopped on purpose; reconnecting or resurrecting it would undo the user's stop. */
    public static final int STOPPED = 4017;
    public static final String STOPPED_REASON = "app stopped";

    /** The resurrection horizon ran out; only a new start (or an admin) brings the app back. */
    public static final int EVICTED = 4018;
    public static final String EVICTED_REASON = "app session evicted; start it again";

    /**
     * An SDK connected for a package and user session that have no app session at all: nothing was started
     * there. Final: retrying cannot create one; the platform starts apps, not their SDKs.
     */
    public static final int NO_SESSION = 4019;
    public static final String NO_SESSION_REASON = "no app session for this package and user session; start the app first";

    private AppCloseCodes() {
    }
}
