package io.appmanager.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready until shutdown begins, so a load balancer stops sending new sockets before the drain. */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    private final GatewayLifecycle lifecycle;
    private final SessionRegistry registry;

    public GatewayReadiness(GatewayLifecycle lifecycle, SessionRegistry registry) {
        this.lifecycle = lifecycle;
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("gateway")
                .status(!lifecycle.isShuttingDown())
                .withData("connections", registry.connectionCount())
                .withData("sessions", registry.sessionCount())
                .build();
    }
}
