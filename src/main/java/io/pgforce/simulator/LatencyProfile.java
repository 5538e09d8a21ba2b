package io.pgforce.simulator;

import java.util.List;

/**
 * How long the simulated org takes to answer, so that a benchmark can measure against a realistic
 * org as well as against one that answers at once. {@link #ZERO} adds nothing; {@link #ORG} is a
 * nearby org on the fast side of what real ones do (docs/simulator.md says where each number comes from).
 * The fault switches ({@link Faults#latency}) add to whichever profile is in force.
 *
 * @param name                 what the admin API and the command line call it
 * @param soapCallMillis       every SOAP call (login and faults too), before it is answered
 * @param soapMillisPerRecord  each record of a SOAP write call, on top
 * @param restCallMillis       every OAuth and REST call, the Bulk API's included
 * @param bulkQueueMillis      how long a closed Bulk ingest job, or a new Bulk query job, stays UploadComplete before it is processed
 * @param bulkRecordsPerSecond how fast one Bulk job's records (ingest) or rows (query) are processed once it is InProgress; 0: at once
 */
public record LatencyProfile(String name, long soapCallMillis, long soapMillisPerRecord, long restCallMillis, long bulkQueueMillis,
                             long bulkRecordsPerSecond) {

    /** No added latency: every call is answered and every Bulk job processed as fast as the machine allows. */
    public static final LatencyProfile ZERO = new LatencyProfile("zero", 0, 0, 0, 0, 0);

    /** A realistic org: a 200-record SOAP call takes 0.55 s, a Bulk job of 10,000 records 3 s from closing to JobComplete. */
    public static final LatencyProfile ORG = new LatencyProfile("org", 150, 2, 100, 1_000, 5_000);

    public LatencyProfile {
        if (soapCallMillis < 0 || soapMillisPerRecord < 0 || restCallMillis < 0 || bulkQueueMillis < 0 || bulkRecordsPerSecond < 0) {
            throw new IllegalArgumentException("A latency profile's numbers cannot be negative: " + name);
        }
    }

    /** The named profile ({@code zero} or {@code org}, in any case). */
    public static LatencyProfile named(String name) {
        for (LatencyProfile p : List.of(ZERO, ORG)) {
            if (p.name.equalsIgnoreCase(name.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("No latency profile " + name + " (use zero or org)");
    }

    /** How long one Bulk job takes to process its first {@code records} records once it is InProgress. */
    long bulkProcessingMillis(long records) {
        return bulkRecordsPerSecond == 0 ? 0 : records * 1000 / bulkRecordsPerSecond;
    }
}
