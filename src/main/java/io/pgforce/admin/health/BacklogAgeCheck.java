package io.pgforce.admin.health;

import io.pgforce.triggerlog.TriggerLogStatistics;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code pgforce-backlog}: DOWN while the oldest change not yet written has waited longer
 * than {@code pgforce.health.max-backlog-age}: writing is stuck or far behind (paused, Salesforce
 * away for long, a held change), and a person should look.
 */
@Readiness
@ApplicationScoped
public class BacklogAgeCheck implements HealthCheck {

    private final TriggerLogStatistics statistics;
    private final Duration maxAge;

    BacklogAgeCheck(TriggerLogStatistics statistics, HealthSettings health) {
        this.statistics = statistics;
        this.maxAge = health.maxBacklogAge();
    }

    @Override
    public HealthCheckResponse call() {
        try {
            Optional<Duration> oldest = statistics.oldestNewAge();
            boolean fine = oldest.map(age -> age.compareTo(maxAge) <= 0).orElse(true);
            return HealthCheckResponse.named("pgforce-backlog").status(fine)
                    .withData("oldestChangeAgeSeconds", oldest.map(Duration::toSeconds).orElse(0L))
                    .withData("maxAgeSeconds", maxAge.toSeconds()).build();
        } catch (SQLException e) {
            // the database check says so; the backlog's age is not known
            return HealthCheckResponse.named("pgforce-backlog").up().withData("reason", "unknown: " + e.getMessage()).build();
        }
    }
}
