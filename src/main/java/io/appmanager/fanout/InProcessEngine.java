package io.appmanager.fanout;

import java.util.concurrent.CompletionStage;

/** The single-node engine (the embedded default): appending is handing the entry to this node's hub. */
public final class InProcessEngine implements FanoutEngine {

    private final Hub hub;

    public InProcessEngine(Hub hub) {
        this.hub = hub;
    }

    @Override
    public CompletionStage<Void> append(FeedEntry entry) {
        return hub.feedLocal(entry).thenApply(n -> null);
    }
}
