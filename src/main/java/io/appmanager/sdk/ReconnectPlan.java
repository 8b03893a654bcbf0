package io.appmanager.sdk;

/**
 * What to do after a disconnect.
 *
 * @param action    the step to take
 * @param attempt   1-based attempt number for the backoff delay (0 when {@code action} is FAIL)
 * @param nextCycle budget to carry forward
 * @param reason    human-readable explanation, used for {@link ClientListener#onFailed}
 */
record ReconnectPlan(Action action, int attempt, DisconnectCycle nextCycle, String reason) {

    /** The possible next steps. */
    enum Action {
        /** Reconnect after the backoff for {@code attempt}, resuming if a session is held. */
        RETRY,
        /** Fatal close: call the token refresher, drop the session, IDENTIFY after backoff. */
        REFRESH_TOKEN,
        /** Attempts exhausted: refresh the token if possible, drop the session, start counting again. */
        ESCALATE,
        /** Terminal failure. */
        FAIL
    }
}
