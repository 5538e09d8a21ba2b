package io.pgforce.salesforce;

import io.smallrye.config.ConfigMapping;

/** {@code pgforce.describe.*}: checking the mappings against the org's describe. */
@ConfigMapping(prefix = "pgforce.describe")
public interface DescribeSettings {

    /** At start-up; otherwise the first cycle checks. */
    boolean checkAtStartup();
}
