package io.pgforce.cycle;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code pgforce.cluster.*}: Camel's leadership over the writer lease. */
@ConfigMapping(prefix = "pgforce.cluster")
public interface ClusterSettings {

    /** The namespace the writer's routes run under ({@code master:<namespace>:...}). */
    String namespace();

    /** How often a standby asks whether the lease is free. */
    Duration standbyCheck();
}
