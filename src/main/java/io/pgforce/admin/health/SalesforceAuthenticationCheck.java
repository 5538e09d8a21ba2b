package io.pgforce.admin.health;

import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code pgforce-salesforce}: DOWN while Salesforce refuses the credentials
 * (UNAUTHORIZED), which needs a person; Salesforce being unavailable (maintenance, 5xx) passes by
 * itself and is only reported. Learnt from the writer's last login, not by logging in for the probe.
 */
@Readiness
@ApplicationScoped
public class SalesforceAuthenticationCheck implements HealthCheck {

    private final ConnectionStatus status;

    SalesforceAuthenticationCheck(ConnectionStatus status) {
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        ConnectionState state = status.state();
        return HealthCheckResponse.named("pgforce-salesforce").status(state != ConnectionState.UNAUTHORIZED)
                .withData("state", state.name())
                .withData("reason", status.reason() == null ? "" : status.reason())
                .build();
    }
}
