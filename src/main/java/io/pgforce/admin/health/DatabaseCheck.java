package io.pgforce.admin.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code pgforce-database}: the engine's database answers. DOWN while it does not
 * (nothing is lost: changes wait in the trigger log). Never a liveness check: restarting pgforce
 * would not bring the database back.
 */
@Readiness
@ApplicationScoped
public class DatabaseCheck implements HealthCheck {

    private static final int TIMEOUT_SECONDS = 3;
    private final DataSource dataSource;

    DatabaseCheck(@Named("operationsDataSource") DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        try (Connection c = dataSource.getConnection()) {
            boolean valid = c.isValid(TIMEOUT_SECONDS);
            return HealthCheckResponse.named("pgforce-database").status(valid).withData("reason", valid ? "answers" : "no answer within " + TIMEOUT_SECONDS + " s").build();
        } catch (SQLException e) {
            return HealthCheckResponse.named("pgforce-database").down().withData("reason", String.valueOf(e.getMessage())).build();
        }
    }
}
