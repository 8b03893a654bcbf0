package io.appmanager.sdk;

/**
 * A version disagreement found in READY, delivered through
 * {@link ClientListener#onVersionMismatch(VersionNotice)}. The client keeps running either way;
 * what to do about it (log, prompt for an update, refuse to continue) is the application's call.
 *
 * @param kind          which check fired
 * @param clientVersion what this SDK has: the API version it speaks or {@link AccordClient#SDK_VERSION}
 * @param serverVersion what the server announced: its api_version, sdk.min_version or sdk.latest_version
 * @param message       human-readable summary
 */
public record VersionNotice(Kind kind, String clientVersion, String serverVersion, String message) {

    /** The kinds of notice. */
    public enum Kind {
        /** The server speaks a different gateway API version than this SDK. */
        API_VERSION,
        /** The server requires a newer SDK than this one (sdk.min_version). */
        UPDATE_REQUIRED,
        /** A newer SDK exists (sdk.latest_version); this one is still supported. */
        UPDATE_AVAILABLE
    }
}
