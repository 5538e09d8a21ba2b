package io.pgforce.admin.health;

import io.pgforce.cycle.WriterLease;
import io.pgforce.database.ListenerPresence;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code pgforce-listener}: whether the writer LISTENs for the capture triggers' notify.
 * DOWN when the writer is not listening: changes are then written only at the poll timer
 * ({@code pgforce.poll.interval}), late. A standby does not listen and is UP.
 */
@Readiness
@ApplicationScoped
public class ListenerCheck implements HealthCheck {

    private final ListenerPresence listener;
    private final WriterLease lease;

    ListenerCheck(ListenerPresence listener, WriterLease lease) {
        this.listener = listener;
        this.lease = lease;
    }

    @Override
    public HealthCheckResponse call() {
        if (!lease.isHeld()) {
            return HealthCheckResponse.named("pgforce-listener").up().withData("listening", "no: a standby does not listen").build();
        }
        try {
            boolean listening = listener.listening();
            return HealthCheckResponse.named("pgforce-listener").status(listening).withData("channel", listener.channel())
                    .withData("listening", listening ? "yes" : "no: changes wait for the poll timer").build();
        } catch (SQLException e) {
            return HealthCheckResponse.named("pgforce-listener").down().withData("listening", "unknown: " + e.getMessage()).build();
        }
    }
}
