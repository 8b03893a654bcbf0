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

    /** The engine could not take the entry; a publisher is told 503. */
    final class EngineUnavailable extends RuntimeException {
        public EngineUnavailable(String message) {
            super(message);
        }

        public EngineUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
