package io.pgforce.cycle;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code pgforce.poll.*}: the poll loop's cadence (the batch size is the poll route's). */
@ConfigMapping(prefix = "pgforce.poll")
public interface PollSettings {

    /** Poll at least this often. */
    Duration interval();

    /** Never start cycles more often (0: back to back). */
    Duration minInterval();
}
