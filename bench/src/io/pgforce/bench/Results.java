package io.pgforce.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one benchmark run found: bench/results/latest.json is this object, latest.md its tables ({@link ResultsTable}). */
public final class Results {

    /**
     * The same workload at write_concurrency 1 and 8 (org profile): how much faster 8 was, and
     * whether both left the same org (every record compared by External_Id__c).
     */
    public record Concurrency(String workload, String algorithm, double secondsAt1, double secondsAt8, double speedup, int records,
                              boolean sameState, List<String> differences) {
    }

    /**
     * LOCK: contacts round-robin over few accounts, drained by pgforce (Ordered Writes, write_concurrency 8, org
     * profile; its measurement is in {@link #measurements}) and written by the naive client ({@link NaiveLockWrites}):
     * lock errors (records refused UNABLE_TO_LOCK_ROW) and the write transactions that waited for a lock, each side.
     */
    public record Locks(int contacts, int accounts, int concurrency, double pgforceSeconds, String pgforceCalls, long pgforceLockErrors,
                        long pgforceContended, int naiveJobSize, int naiveJobs, double naiveSeconds, long naiveLockErrors, long naiveContended,
                        long naiveFailed) {
    }

    public Map<String, Object> machine = new LinkedHashMap<>();
    public Map<String, Object> sizes = new LinkedHashMap<>();
    public double singleCallSecondsZero;
    public double singleCallSecondsOrg;
    public List<Measurement> measurements = new ArrayList<>();
    public List<Concurrency> concurrency = new ArrayList<>();
    public CaptureCost.Result captureCost;
    public Locks locks;
    public double buildSeconds;
    public double runSeconds;
    public double totalSeconds;

    Measurement find(String workload, String algorithm, String profile, int concurrency) {
        return measurements.stream().filter(m -> m.workload.equals(workload) && m.algorithm.equals(algorithm) && m.profile.equals(profile)
                && m.concurrency == concurrency).findFirst().orElse(null);
    }
}
