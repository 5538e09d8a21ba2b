package io.pgforce.bench;

import java.util.Map;

/**
 * One workload drained under one setting, with its reference points. Public fields: this is
 * what bench/results/latest.json holds, one object per measurement. Times in seconds, memory in
 * MiB; null where a reference point does not apply.
 */
public final class Measurement {
    public String workload;
    public String title;
    public String algorithm;
    public String profile;
    public int concurrency;
    /** Trigger-log rows waiting when pgforce was resumed (W6: written while it ran). */
    public long changes;
    public boolean drained = true;
    public double drainSeconds;
    public double changesPerSecond;
    public String apiCalls;
    /**
     * pgforce's requests counted against the org's daily API allocation while it ran (the simulator's
     * count: SOAP and REST calls, every step of a Bulk job, /limits; not logins): what
     * pgforce.api.max-share budgets.
     */
    public Long apiRequests;
    public Map<String, Long> soapCalls;
    public long soapRecords;
    public long bulkJobs;
    public long bulkRecords;
    public String lowerBound;
    public long soapBound;
    public long bulkJobBound;
    /** API calls made / the lower bound (1.0: as few as possible). */
    public double callsOverBound;
    public Double bareSqlSeconds;
    public Double simulatorAloneSeconds;
    /** Replayed answers whose status differed from pgforce's (0: the replay made the same calls on the same data). */
    public Integer replayMismatches;
    /** drain / (bare SQL + simulator alone); the target at the zero profile is <= 2.0. */
    public Double overheadRatio;
    /** One single-record SOAP call per change, the mean of a sample times the changes: extrapolated. */
    public Double oneCallPerChangeSeconds;
    /** A slice measured for a workload too long to run whole: the drain time extrapolated to the whole workload. */
    public Double extrapolatedSeconds;
    public Long extrapolatedChanges;
    public double peakHeapMb;
    public double peakRssMb;
    /** W6: commit to acknowledgement; READ-LAG: the update's acknowledgement to its row in Postgres. */
    public SteadyLoad.Latency latency;
    /** The read rows: pgforce's calls by API and operation (READ-LOAD: the COUNT and the Bulk job's; READ-LAG: the polls' queries). */
    public Map<String, Long> readApiCalls;
    /**
     * READ-LOAD, seconds: countAndCreate (first call to the job's creation), untilJobComplete (to the poll that saw it
     * complete: jobRan, until the simulator completed it, plus completeToSeen, the status polls' back-off), pages (to
     * the table full and SYNCED); simAloneUntilJobComplete, simAlonePages.
     */
    public Map<String, Double> readPhases;
    /** READ-LAG: the mapping's poll interval, the lag's floor. */
    public Double pollIntervalSeconds;
    public String note;
    /** Records the simulator refused with UNABLE_TO_LOCK_ROW during the drain (a lock held past the lock wait). */
    public long lockErrors;
    /** The drain's write transactions (calls, Bulk slices) that found a record lock held and waited for it. */
    public long lockContended;

    /** API requests per 1,000 changes (records read, updates seen), the benchmark table's column; empty when not counted. */
    String requestsPerThousand() {
        return apiRequests == null || changes == 0 ? "" : String.format("%,.1f", apiRequests * 1000.0 / changes);
    }

    boolean read() {
        return workload.startsWith("READ-");
    }

    String setting() {
        return algorithm + " / " + profile + " / c" + concurrency;
    }
}
