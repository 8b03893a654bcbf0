package io.appmanager.gateway;

import io.appmanager.fanout.EncodedEvent;

import java.util.List;

/**
 * The events a session was sent, kept so that a RESUME can replay what a dropped client missed.
 * Bounded by count and bytes; the oldest go first. Seqs are contiguous, so only the first is kept.
 * Implementations are used under the owning session's lock.
 */
public interface ReplayLog {

    /** Appends the event that got {@code seq}; seqs arrive strictly +1. @return events evicted */
    int append(long seq, EncodedEvent event);

    /** Seq of the oldest retained event; {@code lastSeq + 1} when empty. */
    long firstRetainedSeq();

    /** Retained events with seqs in [from, to], in order. Callers check coverage via {@link Replay}. */
    List<EncodedEvent> range(long from, long to);
}
