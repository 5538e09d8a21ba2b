package io.pgforce.salesforce;

import io.smallrye.config.ConfigMapping;

/** {@code pgforce.soap.*} as the client reads it (the default address is the route's). */
@ConfigMapping(prefix = "pgforce.soap")
public interface SoapSettings {

    /** AllowFieldTruncationHeader: cut strings that are too long instead of failing the record. */
    boolean allowFieldTruncation();
}
