package io.appmanager.apps;

/**
 * How an accepted SDK connection relates to the app session, strongest evidence first. It decides
 * between "the same instance is back" (a reconnect) and "a different instance arrived" (a fresh
 * start or a resurrected instance), and it is the {@code path} tag of the reconnect metrics.
 * {@link AttachClassifier} picks it.
 */
public enum AttachPath {
    /** A gateway RESUME of the session the instance held: proof it is the same instance. */
    RESUME,
    /** IDENTIFY with the current reconnect token: proof it is the instance we last accepted. */
    TOKEN,
    /** IDENTIFY with {@code properties.reconnect = true}: the SDK says it is reconnecting (not proof). */
    HINT,
    /** No hint and no token, but the session was in GRACE_PERIOD: taken as the instance coming back (seed 004). */
    INFERRED,
    /** No hint, no token, session not in grace: e.g. the instance a start or resurrection webhook started. */
    NEW_INSTANCE;

    /**
     * True for the paths on which the connecting SDK says it is the instance that held the session.
     * INFERRED and NEW_INSTANCE carry the same (absent) evidence; they differ only in the state the
     * classifier saw, so outside GRACE_PERIOD the lifecycle treats them alike.
     */
    public boolean claimsOriginalInstance() {
        return this == RESUME || this == TOKEN || this == HINT;
    }
}
