package io.pgforce.salesforce;

import io.pgforce.config.Backoff;
import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code pgforce.bulk.poll.*}: polling a Bulk job's status (whether Bulk is used at all is the mapping file's {@code pgforce.bulk.enabled}). */
@ConfigMapping(prefix = "pgforce.bulk.poll")
public interface BulkSettings {

    /** The wait before a job's first status poll. */
    Duration initialDelay();

    /** The longest wait between status polls. */
    Duration maxDelay();

    default Backoff polls() {
        return new Backoff(initialDelay(), maxDelay());
    }
}
