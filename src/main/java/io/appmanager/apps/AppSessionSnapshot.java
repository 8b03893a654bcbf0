package io.appmanager.apps;

import java.time.Instant;
import java.util.Objects;

/**
 * The part of an app session the lifecycle decides on. Timer deadlines, sockets and subscriptions
 * live with the caller; everything here is enough to decide every rule.
 *
 * @param generation           bumped on every accepted connection; reconnect tokens of older generations are stale
 * @param resurrectionAttempts attempts spent in this outage (a failed start counts); 0 while RUNNING
 * @param droppedAt            when the live socket went away; null while RUNNING, and in an outage
 *                             after a failed start, where no instance ever ran and so none can come back
 * @param webhookAccepted      a session_request was accepted in this outage, so the original instance
 *                             coming back is a false resurrection and a NEW_INSTANCE is the one we asked for
 */
public record AppSessionSnapshot(
        AppSessionState state,
        long generation,
        int resurrectionAttempts,
        Instant droppedAt,
        boolean webhookAccepted) {

    public AppSessionSnapshot {
        Objects.requireNonNull(state, "state");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative, was " + generation);
        }
        if (resurrectionAttempts < 0) {
            throw new IllegalArgumentException("resurrectionAttempts must not be negative, was " + resurrectionAttempts);
        }
    }

    AppSessionSnapshot withState(AppSessionState next) {
        return new AppSessionSnapshot(next, generation, resurrectionAttempts, droppedAt, webhookAccepted);
    }

    AppSessionSnapshot withAttempts(int attempts) {
        return new AppSessionSnapshot(state, generation, attempts, droppedAt, webhookAccepted);
    }

    AppSessionSnapshot withWebhookAccepted() {
        return new AppSessionSnapshot(state, generation, resurrectionAttempts, droppedAt, true);
    }

    /** A fresh outage: nothing spent yet, nothing accepted yet. */
    AppSessionSnapshot droppedAt(Instant at) {
        return new AppSessionSnapshot(state, generation, 0, at, false);
    }

    /** An instance owns the session again: the outage is over and its bookkeeping with it. */
    AppSessionSnapshot attached() {
        return new AppSessionSnapshot(AppSessionState.RUNNING, generation + 1, 0, null, false);
    }
}
