package io.pgforce.admin.health;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code pgforce.health.*}: when pgforce is not ready. */
@ConfigMapping(prefix = "pgforce.health")
public interface HealthSettings {

    /** Readiness is DOWN, and diagnose RED, while the oldest change not yet written is older. */
    Duration maxBacklogAge();
}
