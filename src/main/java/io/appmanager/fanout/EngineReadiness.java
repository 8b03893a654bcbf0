package io.appmanager.fanout;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the engine cannot take entries (the shared log is unreachable): a load balancer then
 * sends new connections to nodes that can deliver across the cluster. Sockets already here stay.
 */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {

    private final FanoutEngine engine;
    private final FanoutConfig config;

    public EngineReadiness(FanoutEngine engine, FanoutConfig config) {
        this.engine = engine;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("fanout-engine")
                .status(engine.available())
                .withData("engine", config.engine().name().toLowerCase().replace('_', '-'))
                .build();
    }
}
