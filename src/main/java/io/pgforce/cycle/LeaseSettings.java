package io.pgforce.cycle;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code pgforce.writer.*}: the writer lease. */
@ConfigMapping(prefix = "pgforce.writer")
public interface LeaseSettings {

    /** The lease's lifetime: renewed every third of it, a standby leads at most this long after the writer died. */
    Duration leaseLifetime();
}
