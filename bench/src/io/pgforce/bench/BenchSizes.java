package io.pgforce.bench;

import java.time.Duration;

/**
 * How big each part of the benchmark is. {@link #full()} is bench/run.sh's run, sized to stay near
 * 15 minutes on the 2-core machine, the build included: the million-change memory backlog and the
 * org-profile replays do not fit in that beside the rest, so they are off or smaller by default
 * ({@code -Dbench.memoryRows=1000000} adds about 5 minutes, {@code -Dbench.orgReplay=true} about 3);
 * the read rows (a million-record load, a minute of read lag) add about 2.5 minutes.
 * {@link #smoke()} is BenchSmokeIT's, seconds per part. Any size can be changed with a system
 * property {@code -Dbench.<name>=N} (seconds for durations).
 *
 * @param w1               W1 inserts, one object
 * @param w2               W2 inserts, one object
 * @param w3               W3 inserts, parents and children alternating (half of each)
 * @param w4Updates        W4 updates ...
 * @param w4Hot            ... over this many records
 * @param w5               W5 mixed changes over five objects
 * @param w5Seed           records per object that W5 finds in Salesforce already
 * @param w5OrderedSlice   Ordered W5 at the zero profile is measured on this many changes and extrapolated
 *                         (Ordered Writes makes about one call per two of W5's changes: 50,000 take minutes)
 * @param w5OrgSlice       Ordered W5 at the org profile is measured on this many changes and extrapolated
 * @param w6Rate           W6 changes per second ...
 * @param w6Duration       ... for this long
 * @param memoryRows       the backlog pgforce drains with -Xmx256m
 * @param memoryTimeout    how long that drain may take before it counts as not drained
 * @param singleCallsZero  one-call-per-change sample at the zero profile
 * @param singleCallsOrg   one-call-per-change sample at the org profile
 * @param captureCost      how long each capture-cost case runs
 * @param orgReplay        also replay pgforce's calls at the org profile (as long again as those drains)
 * @param drainTimeout     a drain that takes longer fails the run
 * @param warmUp           changes each pgforce drains before it is measured (JIT warm-up), not measured
 * @param startAllAtOnce   start every pgforce at the beginning, in parallel (the smoke run: its figures mean
 *                         nothing, its time does), rather than each setting's when it is measured
 * @param readLoadRows     READ-LOAD: records of one object loaded into a read_only mapping (a Bulk API 2.0 query job
 *                         at pgforce.read.bulk-threshold, 10,000, or more), pgforce at -Xmx256m
 * @param readLoadTimeout  how long that load may take before it counts as not loaded
 * @param readLagRecords   READ-LAG: records of the polled mapping, updated in turn ...
 * @param readLagRate      ... at this many updates per second over REST ...
 * @param readLagDuration  ... for this long
 * @param lockContacts     LOCK: contacts inserted round-robin over ...
 * @param lockAccounts     ... this many accounts, drained by pgforce at write_concurrency 8 (org profile) ...
 * @param lockNaiveJob     ... and, beside it, written by a naive client in Bulk API 2.0 jobs of this many rows, 8 at once
 */
public record BenchSizes(int w1, int w2, int w3, int w4Updates, int w4Hot, int w5, int w5Seed, int w5OrderedSlice, int w5OrgSlice, int w6Rate, Duration w6Duration,
                         int memoryRows, Duration memoryTimeout, int singleCallsZero, int singleCallsOrg, Duration captureCost, boolean orgReplay,
                         Duration drainTimeout, int warmUp, boolean startAllAtOnce,
                         int readLoadRows, Duration readLoadTimeout, int readLagRecords, int readLagRate, Duration readLagDuration,
                         int lockContacts, int lockAccounts, int lockNaiveJob) {

    public static BenchSizes full() {
        return new BenchSizes(10_000, 100_000, 5_000, 10_000, 100, 50_000, 2_000, 3_000, 300, 500, Duration.ofSeconds(60),
                300_000, Duration.ofMinutes(6), 1_000, 50, Duration.ofSeconds(2), false, Duration.ofMinutes(5), 2_000, false,
                1_000_000, Duration.ofMinutes(15), 1_000, 50, Duration.ofSeconds(60), 100_000, 50, 10_000).overridden();
    }

    /** Tiny sizes: every part runs and every ratio is computed, in well under two minutes. */
    public static BenchSizes smoke() {
        return new BenchSizes(500, 500, 500, 500, 50, 500, 50, 300, 50, 200, Duration.ofSeconds(2),
                20_000, Duration.ofMinutes(1), 50, 5, Duration.ofMillis(100), true, Duration.ofMinutes(1), 0, true,
                10_000, Duration.ofMinutes(1), 200, 20, Duration.ofSeconds(2), 20_000, 10, 2_500).overridden();
    }

    /** These sizes with the {@code bench.*} system properties applied. */
    private BenchSizes overridden() {
        return new BenchSizes(size("w1", w1), size("w2", w2), size("w3", w3), size("w4Updates", w4Updates), size("w4Hot", w4Hot), size("w5", w5),
                size("w5Seed", w5Seed), size("w5OrderedSlice", w5OrderedSlice), size("w5OrgSlice", w5OrgSlice), size("w6Rate", w6Rate), seconds("w6Duration", w6Duration),
                size("memoryRows", memoryRows), seconds("memoryTimeout", memoryTimeout), size("singleCallsZero", singleCallsZero),
                size("singleCallsOrg", singleCallsOrg), seconds("captureCost", captureCost),
                Boolean.parseBoolean(System.getProperty("bench.orgReplay", String.valueOf(orgReplay))), seconds("drainTimeout", drainTimeout),
                size("warmUp", warmUp), Boolean.parseBoolean(System.getProperty("bench.startAllAtOnce", String.valueOf(startAllAtOnce))),
                size("readLoadRows", readLoadRows), seconds("readLoadTimeout", readLoadTimeout), size("readLagRecords", readLagRecords),
                size("readLagRate", readLagRate), seconds("readLagDuration", readLagDuration),
                size("lockContacts", lockContacts), size("lockAccounts", lockAccounts), size("lockNaiveJob", lockNaiveJob));
    }

    private static int size(String name, int value) {
        return Integer.getInteger("bench." + name, value);
    }

    private static Duration seconds(String name, Duration value) {
        String s = System.getProperty("bench." + name);
        return s == null ? value : Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
    }
}
