package io.appmanager.fanout;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The one ordered log behind fan-out: every publication, and every entry that changes what a session
 * is sent (a direct event, a new topic list, a takeover), is appended here and read back by every
 * node in the same order. That order is what makes a session's seqs reproducible: any node that holds
 * a session's checkpoint can replay the log after it and arrive at the same seqs the owner assigned.
 *
 * <p>The Redis stream ({@code fanout.redis.RedisLog}) implements it for several nodes; the in-process
 * engine needs no log, its hub is the whole feed. Bodies are opaque strings here; {@link FeedCodec}
 * gives them meaning.
 */
public interface SharedLog {

    /** One entry as read back. */
    record LogRecord(LogPosition position, String body) {
    }

    /** What {@link #readAfter} found. */
    sealed interface LogRead {
        /** Entries after the position, in order; {@code more} when the read stopped at {@code max}. */
        record Records(List<LogRecord> records, boolean more) implements LogRead {
        }

        /** The log no longer holds everything after the position (trimmed by count, bytes or age). */
        record Trimmed(LogPosition oldestRetained) implements LogRead {
        }

        /** The position belongs to an epoch the log no longer continues (restart, failover, data loss). */
        record OtherEpoch(String currentEpoch) implements LogRead {
        }
    }

    /** Receives the log in order, one call at a time. */
    interface Follower {
        /** Entries in log order; never called concurrently with itself or {@link #epochChanged}. */
        void records(List<LogRecord> batch);

        /**
         * The log lost history (its server restarted empty, failed over, or went backwards): entries
         * before {@code from} may be gone, and following resumes at {@code from}.
         */
        void epochChanged(LogPosition from);

        /** The log became reachable again, or stopped being reachable. */
        void availability(boolean available);
    }

    /** A session's checkpoint as stored: {@code seq} orders writes (an older one never replaces a newer one). */
    record CheckpointWrite(String sessionId, long seq, String body) {
    }

    /** Appends one entry; completes with its position, or fails with {@link FanoutEngine.EngineUnavailable}. */
    CompletionStage<LogPosition> append(String body);

    /**
     * Starts delivering every entry appended after this call to {@code follower}, in order, until the
     * service stops. Reconnects by itself after an outage and continues where it stopped when the
     * epoch is unchanged.
     */
    void follow(Follower follower);

    /** Up to {@code max} entries after {@code after}, in order. */
    CompletionStage<LogRead> readAfter(LogPosition after, int max);

    /** Whether appends can currently succeed. */
    boolean available();

    /** The epoch entries are currently appended in; null before the first connection. */
    String epoch();

    /**
     * Stores checkpoints, each only if it is newer (higher seq) than the stored one, and gives every
     * one of them {@code ttl} to live from now.
     */
    CompletionStage<Void> saveCheckpoints(List<CheckpointWrite> checkpoints, Duration ttl);

    /** The stored checkpoint body of a session, if any. */
    CompletionStage<Optional<String>> checkpoint(String sessionId);

    /** Forgets a session's checkpoint: it ended and must not be resumed anywhere. */
    CompletionStage<Void> deleteCheckpoint(String sessionId);
}
