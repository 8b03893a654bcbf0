package io.appmanager.fanout;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Carries feed entries to the hub of every node, in one order. The in-process engine has one node; the
 * Redis engine appends to a log every node follows. Which one runs is {@code appmanager.fanout.engine}.
 */
public interface FanoutEngine {

    /**
     * Completes once the entry is in the feed every reachable node applies (for the in-process engine:
     * applied here), or fails with {@link EngineUnavailable} when cross-node delivery cannot be guaranteed.
     */
    CompletionStage<Void> append(FeedEntry entry);

    /** A publication to topics. */
    default CompletionStage<Void> publish(EncodedEvent event) {
        return append(new FeedEntry.Publish(event));
    }

    /** The shared log sessions are rebuilt from on other nodes; empty for the in-process engine. */
    default Optional<SharedLog> sharedLog() {
        return Optional.empty();
    }

    /** Whether entries can be appended right now (readiness). */
    default boolean available() {
        return true;
    }

    /**
     * The engine could not take the entry. {@code outcomeUnknown}: the request may have reached the
     * log before it failed (no answer in time, a connection lost mid-command), so the entry may still
     * be delivered; a publisher is told 504 instead of 503.
     */
    final class EngineUnavailable extends RuntimeException {
        private final boolean outcomeUnknown;

        public EngineUnavailable(String message) {
            this(message, false);
        }

        public EngineUnavailable(String message, boolean outcomeUnknown) {
            super(message);
            this.outcomeUnknown = outcomeUnknown;
        }

        public EngineUnavailable(String message, Throwable cause) {
            super(message, cause);
            this.outcomeUnknown = false;
        }

        public boolean outcomeUnknown() {
            return outcomeUnknown;
        }
    }
}
