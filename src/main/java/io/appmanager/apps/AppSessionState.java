package io.appmanager.apps;

/**
 * Where one app session (one package serving one user session) stands. docs/lifecycle.md has the
 * diagram and every rule; {@link Lifecycle} is the only code that moves a session between states.
 */
public enum AppSessionState {
    /** Start webhook sent; waiting for the app's first SDK connection (start timeout armed). */
    CONNECTING,
    /** An SDK instance owns the session; at most one socket is live. */
    RUNNING,
    /** The live socket went away; waiting for the same instance to reconnect (grace timer armed). */
    GRACE_PERIOD,
    /** Grace expired with nobody back; the first resurrection is scheduled after a random jitter. */
    DISCONNECTED,
    /** A session_request webhook is in flight, or was accepted and the new instance has not connected yet. */
    RESURRECTING,
    /** An attempt failed or the circuit breaker is open; the next attempt is scheduled. */
    BACKOFF,
    /** Stop requested: stop webhook sent, socket closed with 4017; waiting for the stop to finish. */
    STOPPING,
    /** Terminal: stopped on purpose. Never resurrected, never reconnected; a new start makes a new app session. */
    STOPPED,
    /** Terminal unless an admin forces a resurrection: every attempt of the horizon failed. */
    EVICTED;

    /** No timer, webhook or connection moves a terminal session (only ForceResurrection lifts EVICTED). */
    public boolean isTerminal() {
        return this == STOPPED || this == EVICTED;
    }
}
