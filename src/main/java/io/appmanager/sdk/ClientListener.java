package io.appmanager.sdk;

/**
 * Receives everything the client observes. All methods have no-op defaults, so implement only
 * what you need.
 *
 * <p>Every callback runs on the client's single executor thread, one at a time and in the order
 * things happened. Do not block in a callback: it stalls the heartbeat and all other processing.
 * Calling the client's own methods (e.g. {@link AccordClient#send}) from a callback is fine.
 * An exception thrown by a callback is logged and otherwise ignored.
 */
public interface ClientListener {

    /**
     * IDENTIFY succeeded; the client is READY and queued sends have just been flushed.
     *
     * @param ready contents of the READY event
     */
    default void onReady(ReadyInfo ready) {
    }

    /**
     * RESUME succeeded; missed events have already been delivered through {@link #onEvent}.
     *
     * @param resumed contents of the resumed event
     */
    default void onResumed(ResumedInfo resumed) {
    }

    /**
     * A dispatched event. Every op-0 frame except the lifecycle frames {@code ready} and
     * {@code resumed} (which go to {@link #onReady}/{@link #onResumed}) arrives here exactly as
     * received: replays after RESUME included, duplicates not removed.
     *
     * @param event the event
     */
    default void onEvent(GatewayEvent event) {
    }

    /**
     * The socket is gone. {@code code} is the server's close code, 1006 for network failures and
     * aborts, or 4000 when the client dropped the socket itself (heartbeat timeout, RECONNECT).
     * Not called for {@link AccordClient#close()}.
     *
     * @param code   close code
     * @param reason close reason or failure description
     */
    default void onDisconnected(int code, String reason) {
    }

    /**
     * A reconnect attempt has been scheduled after a backoff delay. After exhaustion escalates to a
     * fresh IDENTIFY the count starts again at 1.
     *
     * @param attempt     1-based attempt number in the current disconnect cycle
     * @param maxAttempts {@link ReconnectPolicy#maxAttempts()}
     */
    default void onReconnecting(int attempt, int maxAttempts) {
    }

    /**
     * The client gave up for good (state FAILED). Not called after {@link AccordClient#close()}.
     *
     * @param reason why it gave up
     */
    default void onFailed(String reason) {
    }

    /**
     * READY announced a different API version or a newer SDK. Called before {@link #onReady}.
     *
     * @param notice what differs
     */
    default void onVersionMismatch(VersionNotice notice) {
    }

    /**
     * An op-0 frame's seq was not the expected one (last seq + 1, or equal to the last seq for
     * {@code resumed}). The event is still delivered; this exists to surface server bugs.
     *
     * @param expected the seq that should have come
     * @param actual   the seq that came
     */
    default void onSequenceAnomaly(long expected, long actual) {
    }
}
