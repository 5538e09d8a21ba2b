package io.pgforce.config;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code pgforce.api.*}: how much of the org's daily API request allocation pgforce may go up to. */
@ConfigMapping(prefix = "pgforce.api")
public interface ApiSettings {

    /**
     * The share (above 0, at most 1) of the org's daily API requests past which pgforce makes no
     * more calls: the org's usage, every integration's, as Salesforce reports it.
     */
    double maxShare();

    /** While pgforce waits past the share, or after Salesforce refused a call over the spent allocation, how often it asks Salesforce (/limits) whether the allocation allows again. */
    Duration recheckInterval();
}
