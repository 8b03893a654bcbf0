package io.appmanager.sdk;

/**
 * Budget of one disconnect cycle: from the first disconnect until the next successful READY or
 * RESUMED. Immutable; {@link ReconnectPlanner} returns the next value.
 *
 * @param attemptsUsed     reconnect attempts scheduled so far in this cycle (since the last reset)
 * @param tokenRefreshUsed whether a fatal close already triggered the token refresher
 * @param escalationUsed   whether attempt exhaustion already escalated to a fresh IDENTIFY
 */
record DisconnectCycle(int attemptsUsed, boolean tokenRefreshUsed, boolean escalationUsed) {

    /** The budget right after READY/RESUMED. */
    static final DisconnectCycle FRESH = new DisconnectCycle(0, false, false);
}
