package io.appmanager.sdk;

import java.util.OptionalLong;

/**
 * Detects gaps and repeats in the per-session sequence. Anomalies are reported, never repaired:
 * the SDK must show exactly what the server sent so that tests can catch server bugs.
 */
final class SequenceCheck {
    /** Type of the lifecycle frame that opens a session; a new session counts from 1. */
    static final String READY = "ready";
    /** Type of the lifecycle frame that ends a replay; it repeats the last seq. */
    static final String RESUMED = "resumed";

    private SequenceCheck() {
    }

    /** The seq an op-0 frame of {@code type} should carry after {@code lastSeq} (0 when none seen). */
    static long expectedSeq(long lastSeq, String type) {
        if (READY.equals(type)) {
            return 1;
        }
        if (RESUMED.equals(type)) {
            return lastSeq;
        }
        return lastSeq + 1;
    }

    /** The expected seq when {@code seq} is not it; empty when the frame is in order. */
    static OptionalLong unexpected(long lastSeq, long seq, String type) {
        long expected = expectedSeq(lastSeq, type);
        return seq == expected ? OptionalLong.empty() : OptionalLong.of(expected);
    }
}
