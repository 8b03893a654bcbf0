package io.appmanager.sdk;

import java.time.Duration;

/** Tracks whether the last heartbeat was acknowledged. Confined to the client's executor thread. */
final class HeartbeatTracker {

    /** Outcome when a heartbeat falls due. */
    enum BeatAction {
        /** Previous beat was acknowledged: send the next one. */
        SEND,
        /** Previous beat is still unacknowledged: the connection is a zombie, drop it. */
        TIMEOUT
    }

    private boolean awaitingAck;

    /**
     * Delay of the first beat: a random fraction of the interval, so that clients reconnected
     * together by a server restart do not heartbeat in lock-step forever (Discord does the same).
     */
    static Duration firstBeatDelay(long intervalMillis, double random) {
        double fraction = Math.max(0.0, Math.min(1.0, random));
        return Duration.ofMillis((long) (intervalMillis * fraction));
    }

    /** Decides what to do now that a beat is due, and records the beat as sent when it is. */
    BeatAction beatDue() {
        if (awaitingAck) {
            return BeatAction.TIMEOUT;
        }
        awaitingAck = true;
        return BeatAction.SEND;
    }

    /** Records an ACK. */
    void ackReceived() {
        awaitingAck = false;
    }

    /** Forgets any outstanding beat; used when a new socket says HELLO. */
    void reset() {
        awaitingAck = false;
    }
}
