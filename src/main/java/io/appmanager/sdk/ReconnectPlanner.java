package io.appmanager.sdk;

/** Decides the next step after a disconnect. Pure: same inputs, same plan. */
final class ReconnectPlanner {

    private ReconnectPlanner() {
    }

    /**
     * Plans the reaction to a close.
     *
     * @param cycle       budget of the current disconnect cycle
     * @param closeCode   the close code (remote, or synthesised 1006/4000 for local events)
     * @param maxAttempts attempts allowed before escalating
     */
    static ReconnectPlan plan(DisconnectCycle cycle, int closeCode, int maxAttempts) {
        switch (CloseCodes.classify(closeCode)) {
            case FAIL:
                return fail(cycle, "session replaced by another connection (close " + closeCode + ")");
            case REFRESH_TOKEN:
                if (cycle.tokenRefreshUsed()) {
                    return fail(cycle, "fatal close " + closeCode + " again after a token refresh");
                }
                return new ReconnectPlan(ReconnectPlan.Action.REFRESH_TOKEN, 1,
                        new DisconnectCycle(1, true, cycle.escalationUsed()),
                        "fatal close " + closeCode + ", refreshing token");
            case RECONNECT:
            default:
                if (cycle.attemptsUsed() < maxAttempts) {
                    int attempt = cycle.attemptsUsed() + 1;
                    return new ReconnectPlan(ReconnectPlan.Action.RETRY, attempt,
                            new DisconnectCycle(attempt, cycle.tokenRefreshUsed(), cycle.escalationUsed()),
                            "reconnecting after close " + closeCode);
                }
                if (!cycle.escalationUsed()) {
                    return new ReconnectPlan(ReconnectPlan.Action.ESCALATE, 1,
                            new DisconnectCycle(1, cycle.tokenRefreshUsed(), true),
                            maxAttempts + " reconnect attempts failed, escalating to a fresh IDENTIFY");
                }
                return fail(cycle, "reconnect attempts exhausted (" + maxAttempts
                        + " attempts, twice) after close " + closeCode);
        }
    }

    private static ReconnectPlan fail(DisconnectCycle cycle, String reason) {
        return new ReconnectPlan(ReconnectPlan.Action.FAIL, 0, cycle, reason);
    }
}
