package io.appmanager.fanout;

import java.util.concurrent.CompletionStage;

/**
 * Carries a published event to the hub of every node. The in-process engine has one node; a
 * multi-node engine (Redis) implements the same contract across processes.
 */
public interface FanoutEngine {

    /**
     * Completes once every node that can be reached has the event queued for delivery, or fails
     * with {@link EngineUnavailable} when cross-node delivery cannot be guaranteed.
     */
    CompletionStage<Void> publish(EncodedEvent event);

    /** The engine could not take the event; the publisher is told 503. */
    final class EngineUnavailable extends RuntimeException {
        public EngineUnavailable(String message) {
            super(message);
        }
    }
}
