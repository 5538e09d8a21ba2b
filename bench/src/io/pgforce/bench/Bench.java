package io.pgforce.bench;

import io.pgforce.database.EmbeddedPostgresServer;
import io.pgforce.simulator.LatencyProfile;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole benchmark (bench/run.sh without an argument): every workload drained by the packaged
 * pgforce, its own process, on the embedded PostgreSQL and the simulator, with the reference points
 * that turn each time into a ratio, written to bench/results/latest.json and latest.md.
 *
 * <ol>
 *   <li>zero profile, Ordered then Merged, write_concurrency 1: W1-W5 as backlogs (each with bare SQL,
 *       simulator alone and one call per change), W6 steady for latency; the capture triggers' cost;
 *       W3 and the Ordered W5 slice again with {@code ordering: record};</li>
 *   <li>org profile at write_concurrency 1 and 8: Ordered W2 (Bulk) and an Ordered W5 slice, Merged W5;
 *       each pair must leave the same org;</li>
 *   <li>memory: a large backlog drained by pgforce at -Xmx256m;</li>
 *   <li>read: READ-LAG and READ-LOAD ({@link ReadRows}) on a pgforce of their own, at -Xmx256m;</li>
 *   <li>atomic: WT, transactions of a parent and children, drained over SOAP (Ordered Writes) and as
 *       Composite Graphs (atomic_transactions), calls and drain time at the zero profile.</li>
 *   <li>lock (on the org part's Ordered concurrency-8 pgforce): LOCK, contacts round-robin over few accounts,
 *       pgforce's lock errors beside a naive client's ({@link NaiveLockWrites}).</li>
 * </ol>
 *
 * Options: {@code --smoke} (BenchSmokeIT's tiny sizes), {@code --out DIR} (default bench/results);
 * sizes by {@code -Dbench.<name>=N} (see {@link BenchSizes}); {@code -Dbench.parts=zero,org,memory,read} the
 * parts to run (all by default); {@code -Dbench.startedAtMillis} is when
 * bench/run.sh started, so that the build counts in the total.
 */
public final class Bench {

    private static final long STARTED = System.nanoTime();
    private static final java.util.Set<String> PARTS = java.util.Set.of(System.getProperty("bench.parts", "zero,org,memory,read,atomic").split(","));

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        BenchSizes sizes = BenchSizes.full();
        Path out = Path.of("bench", "results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> sizes = BenchSizes.smoke();
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (use --smoke, --out DIR)");
            }
        }
        // bench/run.sh says when it started: the build before this JVM ran the benchmark counts in the total
        long startedAt = Long.getLong("bench.startedAtMillis", 0L);
        double build = startedAt == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - (System.nanoTime() - STARTED) / 1_000_000 - startedAt) / 1000.0);
        Results r = run(sizes, out, build);
        System.out.println();
        System.out.print(ResultsTable.markdown(r));
        System.out.printf("%nResults in %s/latest.md and latest.json. Total %.0f s (build %.0f s, benchmark %.0f s).%n", out, r.totalSeconds,
                r.buildSeconds, r.runSeconds);
    }

    public static Results run(BenchSizes s, Path out, double buildSeconds) throws Exception {
        long start = System.nanoTime();
        Path logs = Path.of("target", "bench-" + System.currentTimeMillis() / 1000).toAbsolutePath();
        Path scratch = Files.createTempDirectory("pgforce-bench");
        Results r = new Results();
        r.sizes = asMap(s);
        log("Logs in %s; sizes %s", logs, r.sizes);
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(scratch.resolve("pgdata"), 0, false)) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER, "")) {
                r.machine = MachineInfo.describe(c);
            }
            r.singleCallSecondsZero = SingleCalls.secondsPerCall(LatencyProfile.ZERO, s.singleCallsZero());
            r.singleCallSecondsOrg = SingleCalls.secondsPerCall(LatencyProfile.ORG, s.singleCallsOrg());
            log("One single-record call: %.2f ms (zero), %.1f ms (org)", r.singleCallSecondsZero * 1000, r.singleCallSecondsOrg * 1000);

            Rig.Spec ordered = new Rig.Spec(LatencyProfile.ZERO, "ordered", 1, true, "1g");
            Rig.Spec merged = new Rig.Spec(LatencyProfile.ZERO, "merged", 1, true, "1g");
            Rig.Spec orderedRecord = new Rig.Spec(LatencyProfile.ZERO, BenchSchema.ORDERED_RECORD, 1, true, "1g");
            Rig.Spec memory = new Rig.Spec(LatencyProfile.ZERO, "ordered", 1, false, "256m");
            Rig.Spec read = new Rig.Spec(LatencyProfile.ZERO, "ordered", 1, false, "256m", true);
            List<Rig.Spec> org = new ArrayList<>();
            for (String algorithm : List.of("ordered", "merged")) {
                for (int concurrency : new int[] {1, 8}) {
                    org.add(new Rig.Spec(LatencyProfile.ORG, algorithm, concurrency, s.orgReplay(), "1g"));
                }
            }
            // WT's SOAP side: a pgforce of its own (1024m: the same heap, a name other than the zero part's ordered rig)
            Rig.Spec soap = new Rig.Spec(LatencyProfile.ZERO, "ordered", 1, false, "1024m");
            Rig.Spec atomic = new Rig.Spec(LatencyProfile.ZERO, BenchSchema.ATOMIC, 1, false, "1g");
            List<Rig.Spec> all = new ArrayList<>();
            if (PARTS.contains("zero")) {
                all.addAll(List.of(ordered, merged, orderedRecord));
            }
            if (PARTS.contains("org")) {
                all.addAll(org);
            }
            if (PARTS.contains("memory")) {
                all.add(memory);
            }
            if (PARTS.contains("read")) {
                all.add(read);
            }
            if (PARTS.contains("atomic")) {
                all.addAll(List.of(soap, atomic));
            }
            try (Rig.Starter starter = new Rig.Starter(pg, logs, s, all.toArray(Rig.Spec[]::new))) {
                run(s, r, starter, List.of(ordered, merged, orderedRecord), memory, org);
                if (PARTS.contains("read")) {
                    reads(s, r, starter, read);
                }
                if (PARTS.contains("atomic")) {
                    transactions(s, r, starter, soap, atomic);
                }
            }
        } finally {
            // the server's log (deadlock reports name both statements) stays with pgforce's logs
            Path serverLog = scratch.resolve("pgdata.log");
            if (Files.exists(serverLog)) {
                Files.createDirectories(logs);
                Files.copy(serverLog, logs.resolve("postgresql.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            deleteTree(scratch);
        }
        r.buildSeconds = buildSeconds;
        r.runSeconds = (System.nanoTime() - start) / 1e9;
        r.totalSeconds = r.buildSeconds + r.runSeconds;
        ResultsTable.write(r, out);
        return r;
    }

    /**
     * Every part of the benchmark, on rigs from {@code starter}: the zero profile, the org-profile
     * pairs, the memory backlog; {@code -Dbench.parts=zero,org,memory} (the default) chooses.
     */
    private static void run(BenchSizes s, Results r, Rig.Starter starter, List<Rig.Spec> zero, Rig.Spec memory, List<Rig.Spec> org)
            throws Exception {
        if (PARTS.contains("zero")) {
            zeroProfile(s, r, starter, zero.get(0), zero.get(1));
            orderedByRecord(s, r, starter, zero.get(2));
        }
        if (PARTS.contains("org")) {
            Rig.References atOrg = new Rig.References(false, s.orgReplay(), r.singleCallSecondsOrg);
            int slice = Math.min(s.w5OrgSlice(), s.w5());
            concurrencyPair(starter, r, org.get(0), org.get(1), List.of(Workloads.w2(s.w2()), Workloads.w5(slice, s.w5Seed(), "W5 slice")), atOrg, s,
                    at8 -> r.locks = locks(s, r, at8));
            concurrencyPair(starter, r, org.get(2), org.get(3), List.of(Workloads.w5(s.w5(), s.w5Seed(), "W5")), atOrg, s, at8 -> {
            });
            for (Measurement m : r.measurements) {
                if (m.workload.equals("W5 slice") && m.profile.equals("org")) {
                    slice(m, slice, s.w5());
                }
            }
        }
        if (PARTS.contains("memory")) {
            try (Rig.Set rigs = starter.open(memory)) {
                r.measurements.add(rigs.get(0).backlog(Workloads.memory(s.memoryRows()), new Rig.References(false, false, 0), s.memoryTimeout()));
            }
        }
    }

    /**
     * The read rows on their pgforce: READ-LAG first, while the org is small (the simulator's queries
     * go through every record it holds), then READ-LOAD; listed load first.
     */
    private static void reads(BenchSizes s, Results r, Rig.Starter starter, Rig.Spec read) throws Exception {
        try (Rig.Set rigs = starter.open(read)) {
            Rig rig = rigs.get(0);
            ReadRows.awaitFirstReads(rig, Duration.ofSeconds(60));
            Measurement lag = ReadRows.lag(rig, s.readLagRecords(), s.readLagRate(), s.readLagDuration(), Duration.ofSeconds(60));
            Measurement load = ReadRows.load(rig, s.readLoadRows(), s.readLoadTimeout());
            r.measurements.add(load);
            r.measurements.add(lag);
        }
    }

    /**
     * WT on Ordered Writes over SOAP and with atomic_transactions: the calls and drain time of
     * transactions as units. {@code -Dbench.wt=N} transactions; by default W3's size / 5 (1 account + 4 contacts each).
     */
    private static void transactions(BenchSizes s, Results r, Rig.Starter starter, Rig.Spec soap, Rig.Spec atomic) throws Exception {
        Workloads.Workload wt = Workloads.transactions(Integer.getInteger("bench.wt", s.w3() / 5), 4);
        try (Rig.Set rigs = starter.open(soap, atomic)) {
            for (int k = 0; k < 2; k++) {
                r.measurements.add(rigs.get(k).backlog(wt, new Rig.References(false, false, 0), s.drainTimeout()));
            }
        }
    }

    /** W1-W6 under both algorithms at the zero profile, and the capture triggers' cost. */
    private static void zeroProfile(BenchSizes s, Results r, Rig.Starter starter, Rig.Spec ordered, Rig.Spec merged) throws Exception {
        Rig.References zero = new Rig.References(true, true, r.singleCallSecondsZero);
        int orderedSlice = Math.min(s.w5OrderedSlice(), s.w5());
        try (Rig.Set rigs = starter.open(ordered, merged)) {
            for (int k = 0; k < 2; k++) {
                Rig rig = rigs.get(k);
                String algorithm = rig.algorithm;
                for (Workloads.Workload w : List.of(Workloads.w1(s.w1()), Workloads.w2(s.w2()), Workloads.w3(s.w3()), Workloads.w4(s.w4Updates(), s.w4Hot()))) {
                    r.measurements.add(rig.backlog(w, zero, s.drainTimeout()));
                }
                if (algorithm.equals("ordered")) {
                    r.measurements.add(slice(rig.backlog(Workloads.w5(orderedSlice, s.w5Seed(), "W5 slice"), zero, s.drainTimeout()), orderedSlice, s.w5()));
                } else {
                    r.measurements.add(rig.backlog(Workloads.w5(s.w5(), s.w5Seed(), "W5"), zero, s.drainTimeout()));
                }
                r.measurements.add(rig.steady(s.w6Rate(), s.w6Duration(), s.drainTimeout()));
                if (algorithm.equals("ordered")) {
                    rig.stopEngine(); // nothing may drain what the capture-cost statements write
                    log("Capture triggers' cost");
                    r.captureCost = CaptureCost.measure(rig.jdbcUrl, EmbeddedPostgresServer.USER, "", s.captureCost());
                    log("%s", r.captureCost.report());
                }
                rig.close();
            }
        }
    }

    /** W3 and the Ordered W5 slice with {@code ordering: record}: the calls beside the log order's and the bound. */
    private static void orderedByRecord(BenchSizes s, Results r, Rig.Starter starter, Rig.Spec orderedRecord) throws Exception {
        Rig.References zero = new Rig.References(true, true, r.singleCallSecondsZero);
        int orderedSlice = Math.min(s.w5OrderedSlice(), s.w5());
        try (Rig.Set rigs = starter.open(orderedRecord)) {
            Rig rig = rigs.get(0);
            r.measurements.add(rig.backlog(Workloads.w3(s.w3()), zero, s.drainTimeout()));
            r.measurements.add(slice(rig.backlog(Workloads.w5(orderedSlice, s.w5Seed(), "W5 slice"), zero, s.drainTimeout()), orderedSlice, s.w5()));
        }
    }

    /** Runs on a rig after its measurements. */
    private interface Then {
        void run(Rig rig) throws Exception;
    }

    /**
     * The same workloads at write_concurrency 1 and 8 at the org profile; both must leave the same org. Then
     * {@code thenAt8} on the concurrency-8 rig, once its org is compared (it saves a pgforce start).
     */
    private static void concurrencyPair(Rig.Starter starter, Results r, Rig.Spec at1, Rig.Spec at8, List<Workloads.Workload> workloads,
                                        Rig.References refs, BenchSizes s, Then thenAt8) throws Exception {
        String algorithm = at1.algorithm();
        OrgState[] states = new OrgState[2];
        Measurement[][] measured = new Measurement[2][workloads.size()];
        try (Rig.Set rigs = starter.open(at1, at8)) {
            for (int k = 0; k < 2; k++) {
                Rig rig = rigs.get(k);
                for (int i = 0; i < workloads.size(); i++) {
                    measured[k][i] = rig.backlog(workloads.get(i), refs, s.drainTimeout());
                    r.measurements.add(measured[k][i]);
                }
                states[k] = OrgState.of(rig.sf);
                if (k == 1) {
                    thenAt8.run(rig);
                }
                rig.close();
            }
        }
        List<String> differences = states[0].differences(states[1], 3);
        for (int i = 0; i < workloads.size(); i++) {
            double serial = measured[0][i].drainSeconds;
            double concurrent = measured[1][i].drainSeconds;
            r.concurrency.add(new Results.Concurrency(workloads.get(i).id(), algorithm, serial, concurrent, serial / concurrent, states[0].size(),
                    differences.isEmpty(), differences));
        }
        log("%s at the org profile, concurrency 1 and 8: %s", algorithm, differences.isEmpty() ? "the same org" : "orgs differ: " + differences);
    }

    /**
     * LOCK on pgforce's concurrency-8 org rig (its lock errors and waits counted by the simulator), then the same
     * contacts written by the naive client at the same concurrency, on a simulator of its own.
     */
    private static Results.Locks locks(BenchSizes s, Results r, Rig at8) throws Exception {
        Measurement m = at8.backlog(Workloads.lock(s.lockContacts(), s.lockAccounts()), new Rig.References(false, false, 0), s.drainTimeout());
        r.measurements.add(m);
        log("  pgforce: %,d lock errors, %,d transactions waited for a lock", m.lockErrors, m.lockContended);
        NaiveLockWrites.Result naive = NaiveLockWrites.run(s.lockContacts(), s.lockAccounts(), s.lockNaiveJob(), at8.concurrency);
        log("  naive Bulk jobs of %,d, %d at once: %d jobs in %.2f s, %,d lock errors, %,d slices waited for a lock, %,d records failed", s.lockNaiveJob(),
                at8.concurrency, naive.jobs(), naive.seconds(), naive.lockErrors(), naive.contended(), naive.failed());
        return new Results.Locks(s.lockContacts(), s.lockAccounts(), at8.concurrency, m.drainSeconds, m.apiCalls, m.lockErrors, m.lockContended,
                s.lockNaiveJob(), naive.jobs(), naive.seconds(), naive.lockErrors(), naive.contended(), naive.failed());
    }

    /** A slice of {@code whole} changes measured on {@code slice}: its drain extrapolated to the whole. */
    private static Measurement slice(Measurement m, int slice, int whole) {
        m.title += String.format(" (a slice of %,d)", whole);
        m.extrapolatedChanges = (long) whole;
        m.extrapolatedSeconds = m.drainSeconds * whole / slice;
        return m;
    }

    private static Map<String, Object> asMap(BenchSizes s) throws ReflectiveOperationException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : BenchSizes.class.getRecordComponents()) {
            Object v = c.getAccessor().invoke(s);
            m.put(c.getName(), v instanceof Duration d ? d.toMillis() / 1000.0 : v);
        }
        return m;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[%5.0f s] %s%n", (System.nanoTime() - STARTED) / 1e9, String.format(format, args));
    }
}
