package io.appmanager.fanout;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

/** Chooses the engine: {@code appmanager.fanout.engine}, in-process unless told otherwise. */
@ApplicationScoped
public class EngineProducer {

    @Produces
    @ApplicationScoped
    FanoutEngine engine(FanoutConfig config, Hub hub) {
        return new InProcessEngine(hub);
    }

    /** Created at start, not on first use: a Redis engine must be following the log before sessions exist. */
    void start(@Observes StartupEvent e, FanoutEngine engine) {
        engine.available();
    }
}
