package io.pgforce.config;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code pgforce.claim.*}: commit-consistent claiming (a change waits while an older transaction is still open). */
@ConfigMapping(prefix = "pgforce.claim")
public interface ClaimSettings {

    boolean commitConsistent();

    /** The longest a change waits for an older open transaction. */
    Duration maxWait();

    /** How often pgforce looks again while changes wait (an ending transaction may notify nobody). */
    Duration recheckInterval();
}
