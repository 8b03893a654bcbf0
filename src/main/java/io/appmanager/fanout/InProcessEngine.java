package io.appmanager.fanout;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletionStage;

/** The single-node engine: publishing is handing the event to this node's hub. */
@ApplicationScoped
public class InProcessEngine implements FanoutEngine {

    private final Hub hub;

    public InProcessEngine(Hub hub) {
        this.hub = hub;
    }

    @Override
    public CompletionStage<Void> publish(EncodedEvent event) {
        return hub.dispatch(event).thenApply(n -> null);
    }
}
