package io.pgforce.demo;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code pgforce.demo.workload.*}: the demo run's application writing accounts. */
@ConfigMapping(prefix = "pgforce.demo.workload")
public interface WorkloadSettings {

    boolean enabled();

    Duration period();

    /** Accounts written per tick. */
    int rows();
}
