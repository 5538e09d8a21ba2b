package io.pgforce.read;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code pgforce.read.*}: reading Salesforce's changes into the mapping tables (docs/reading.md). */
@ConfigMapping(prefix = "pgforce.read")
public interface ReadSettings {

    /** Off: pgforce only writes, as before it read. */
    boolean enabled();

    /** How often a mapping is polled when its mapping file does not say ({@code poll_interval}, {@code sf_polling_seconds}). */
    Duration interval();

    /** How far before the watermark each poll reads again: a record whose transaction committed late has an earlier SystemModstamp. */
    Duration overlap();

    /** Records a query page asks for (the route's {@code Sforce-Query-Options}). */
    int pageSize();

    /** A load of at least this many records goes through a Bulk API 2.0 query job; 0 or less: never. */
    int bulkThreshold();

    /** Records a Bulk query job's results page asks for (the route's {@code maxRecords}). */
    int bulkPageSize();

    /**
     * Mappings read at once (the route {@code pgforce-read}'s consumers): a long load of one does not
     * hold back the polls of the others; one mapping is never read twice at once.
     */
    int concurrency();

    /** How often the writer looks for mappings due to be read (the route's timer). */
    Duration tick();

    /**
     * Accelerated polling: how long a stream may stay connected but not subscribed before it starts
     * again (camel-salesforce may not subscribe again after Salesforce refused its replay id).
     */
    Duration streamResubscribe();
}
