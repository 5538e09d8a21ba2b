package io.pgforce.bench;

import io.pgforce.database.EmbeddedPostgresServer;
import io.pgforce.simulator.LatencyProfile;
import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.simulator.SimulatedOrg;
import io.pgforce.testing.Simulators;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One setting under test: a fresh database on the benchmark's PostgreSQL, a fresh simulator at a
 * latency profile (recording pgforce's requests when the simulator-alone reference is wanted), and
 * pgforce with one algorithm and write concurrency, run as its own process. Workloads run on it
 * one after the other, each measured as {@link #backlog} or {@link #steady} describes.
 */
final class Rig implements AutoCloseable {

    /** Which reference points a backlog measurement takes besides the drain. */
    record References(boolean bareSql, boolean replay, double singleCallSeconds) {
    }

    final String name;
    final LatencyProfile profile;
    final String algorithm;
    final int concurrency;
    final String jdbcUrl;
    final SalesforceSimulator sf;
    final Connection db;
    private final boolean recording;
    final Engine engine;
    private final BenchSizes sizes;
    private boolean warm;

    private Rig(Spec spec, String jdbcUrl, SalesforceSimulator sf, Connection db, Engine engine, BenchSizes sizes) {
        this.name = spec.name();
        this.profile = spec.profile();
        this.algorithm = spec.algorithm();
        this.concurrency = spec.concurrency();
        this.recording = spec.record();
        this.jdbcUrl = jdbcUrl;
        this.sf = sf;
        this.db = db;
        this.engine = engine;
        this.sizes = sizes;
    }

    /**
     * What a rig runs: pgforce's algorithm, write concurrency and heap, the simulator's profile and whether it records requests;
     * {@code reads}: the read rows' pgforce (its read mapping, reading on), else the write workloads' (reading off).
     */
    record Spec(LatencyProfile profile, String algorithm, int concurrency, boolean record, String maxHeap, boolean reads) {
        Spec(LatencyProfile profile, String algorithm, int concurrency, boolean record, String maxHeap) {
            this(profile, algorithm, concurrency, record, maxHeap, false);
        }

        /** Names the rig's database, log and instance, so it keeps to a SQL identifier's letters. */
        String name() {
            return profile.name() + "_" + algorithm.replace('-', '_') + "_c" + concurrency + "_" + maxHeap + (reads ? "_reads" : "");
        }
    }

    /** Rigs started together (pgforce's start-up, seconds of CPU, overlaps), used one after the other, all closed at the end. */
    static final class Set implements AutoCloseable {
        private final List<Rig> rigs;

        private Set(List<Rig> rigs) {
            this.rigs = rigs;
        }

        Rig get(int i) {
            return rigs.get(i);
        }

        @Override
        public void close() throws Exception {
            for (Rig r : rigs) {
                r.close();
            }
        }
    }

    /**
     * Where each part of the benchmark gets its rigs: started when the part runs, or, with
     * {@link BenchSizes#startAllAtOnce()}, every one started together at the beginning (idle until used).
     */
    static final class Starter implements AutoCloseable {
        private final EmbeddedPostgresServer pg;
        private final Path work;
        private final BenchSizes sizes;
        private final Map<String, Rig> started = new HashMap<>();

        Starter(EmbeddedPostgresServer pg, Path work, BenchSizes sizes, Spec... all) throws Exception {
            this.pg = pg;
            this.work = work;
            this.sizes = sizes;
            if (sizes.startAllAtOnce()) {
                for (Rig r : Rig.open(pg, work, sizes, all).rigs) {
                    started.put(r.name, r);
                }
            }
        }

        Set open(Spec... specs) throws Exception {
            if (started.isEmpty()) {
                return Rig.open(pg, work, sizes, specs);
            }
            List<Rig> rigs = new ArrayList<>();
            for (Spec spec : specs) {
                rigs.add(java.util.Objects.requireNonNull(started.get(spec.name()), spec.name() + " was not started"));
            }
            return new Set(rigs);
        }

        @Override
        public void close() throws Exception {
            new Set(List.copyOf(started.values())).close();
        }
    }

    static Set open(EmbeddedPostgresServer pg, Path work, BenchSizes sizes, Spec... specs) throws Exception {
        ExecutorService starting = Executors.newFixedThreadPool(specs.length);
        try {
            List<Future<Rig>> started = new ArrayList<>();
            for (Spec spec : specs) {
                started.add(starting.submit(() -> open(pg, work, sizes, spec)));
            }
            List<Rig> rigs = new ArrayList<>();
            Exception failure = null;
            for (Future<Rig> f : started) {
                try {
                    rigs.add(f.get());
                } catch (ExecutionException e) {
                    failure = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            if (failure != null) {
                new Set(rigs).close();
                throw failure;
            }
            return new Set(rigs);
        } finally {
            starting.shutdown();
        }
    }

    private static Rig open(EmbeddedPostgresServer pg, Path work, BenchSizes sizes, Spec spec) throws Exception {
        try (Connection admin = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER, ""); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE bench_" + spec.name());
        }
        String url = pg.jdbcUrl().replaceFirst("/[^/]*$", "/bench_" + spec.name());
        SalesforceSimulator sf = Simulators.forBench(spec.profile()).recordRequests(spec.record()).build().start();
        Engine engine = null;
        try {
            engine = Engine.start(work, spec.name(), url, sf, spec.algorithm(), spec.concurrency(), spec.maxHeap(), spec.reads(),
                    sizes.startAllAtOnce());
            return new Rig(spec, url, sf, DriverManager.getConnection(url, EmbeddedPostgresServer.USER, ""), engine, sizes);
        } catch (Exception | Error e) {
            if (engine != null) {
                engine.close();
            }
            sf.close();
            throw e;
        }
    }

    /** The first time: drains a warm-up workload, unmeasured, so that no measured workload pays for the JIT compiling pgforce's paths. */
    private void warm() throws Exception {
        if (warm || sizes.warmUp() == 0) {
            return;
        }
        warm = true;
        Workloads.Workload w = Workloads.warmUp(sizes.warmUp());
        Bench.log("pgforce %s / %s / c%d: warm-up, %s", algorithm, profile.name(), concurrency, w.title());
        sf.faults().profile(LatencyProfile.ZERO);
        w.seed().run(db);
        Drain.await(db, engine, sizes.drainTimeout());
        w.changes().run(db);
        Drain.await(db, engine, sizes.drainTimeout());
        sf.faults().profile(profile);
    }

    /**
     * The backlog measurement: the workload's seed is written and synced (at the zero profile, it is
     * not what is measured), pgforce is paused, the changes are made, VACUUM ANALYZE, the bare SQL
     * reference runs (rolled back), the org is snapshot, pgforce resumes and the drain is timed;
     * then pgforce's recorded calls are replayed on the snapshot, and the org put back as pgforce left it.
     */
    Measurement backlog(Workloads.Workload w, References refs, Duration drainTimeout) throws Exception {
        warm();
        Bench.log("%s %s (%s / %s / c%d)", w.id(), w.title(), algorithm, profile.name(), concurrency);
        sf.faults().profile(LatencyProfile.ZERO);
        w.seed().run(db);
        Drain.await(db, engine, drainTimeout);
        engine.pause();
        sf.faults().profile(profile);
        long from = Drain.lastId(db);
        w.changes().run(db);
        Drain.vacuum(db);
        Measurement m = measurement(w.id(), w.title());
        m.changes = Drain.waiting(db, from);
        ApiCalls.Bound bound = ApiCalls.Bound.of(db, from);
        if (refs.bareSql()) {
            m.bareSqlSeconds = BareSql.seconds(db, from);
        }
        SimulatedOrg.Snapshot before = refs.replay() ? sf.org().snapshot() : null;
        sf.calls().clear();
        sf.faults().apiRequestsUsed(0);
        if (recording) {
            sf.clearRecordedRequests();
        }
        long refusedBefore = sf.locks().refused();
        long contendedBefore = sf.locks().contended();
        // the simulator lives in this JVM: collect the snapshots' garbage now, not during the timed drain
        System.gc();
        PeakMemory memory = PeakMemory.watch(engine);
        try {
            Drain.Timed drain = Drain.resumeAndDrain(db, engine, from, drainTimeout);
            m.drainSeconds = drain.seconds();
        } catch (IllegalStateException e) {
            if (!w.id().equals("MEM")) {
                throw e;
            }
            m.drained = false; // the memory workload reports whether it drained rather than failing the run
            m.note = e.getMessage();
            m.drainSeconds = drainTimeout.toNanos() / 1e9;
        } finally {
            PeakMemory.Peak peak = memory.stop();
            m.peakHeapMb = peak.heapMb();
            m.peakRssMb = peak.rssMb();
        }
        m.changesPerSecond = m.drained ? m.changes / m.drainSeconds : 0;
        m.apiRequests = sf.faults().apiRequests(); // before the replay's
        m.lockErrors = sf.locks().refused() - refusedBefore;
        m.lockContended = sf.locks().contended() - contendedBefore;
        calls(m, ApiCalls.of(sf.calls(), bound));
        if (before != null) {
            SimulatedOrg.Snapshot after = sf.org().snapshot();
            sf.org().restore(before);
            System.gc(); // as before the drain
            RequestReplay.Result replay = RequestReplay.loggedInTo(sf).replay(sf.recordedRequests(), concurrency);
            sf.org().restore(after);
            m.simulatorAloneSeconds = replay.wallTime().toNanos() / 1e9;
            m.replayMismatches = replay.statusMismatches();
        }
        if (m.bareSqlSeconds != null && m.simulatorAloneSeconds != null) {
            m.overheadRatio = m.drainSeconds / (m.bareSqlSeconds + m.simulatorAloneSeconds);
        }
        if (refs.singleCallSeconds() > 0) {
            m.oneCallPerChangeSeconds = m.changes * refs.singleCallSeconds();
        }
        Bench.log("  %,d changes in %.2f s (%,.0f/s), %s, bound %s%s", m.changes, m.drainSeconds, m.changesPerSecond, m.apiCalls, m.lowerBound,
                m.overheadRatio == null ? "" : String.format(", bare SQL %.2f s, simulator alone %.2f s, ratio %.2f", m.bareSqlSeconds,
                        m.simulatorAloneSeconds, m.overheadRatio));
        return m;
    }

    /** W6: the application writes at a steady rate while pgforce runs; commit-to-ack latency of every change. */
    Measurement steady(int rate, Duration duration, Duration drainTimeout) throws Exception {
        warm();
        String title = String.format("steady %d changes/s for %d s", rate, duration.toSeconds());
        Bench.log("W6 %s (%s / %s / c%d)", title, algorithm, profile.name(), concurrency);
        SteadyLoad.seed(db);
        Drain.await(db, engine, drainTimeout);
        Drain.vacuum(db);
        long from = Drain.lastId(db);
        Measurement m = measurement("W6", title);
        ApiCalls.Bound none = new ApiCalls.Bound(0, 0);
        sf.calls().clear();
        sf.faults().apiRequestsUsed(0);
        PeakMemory memory = PeakMemory.watch(engine);
        long start = System.nanoTime();
        try {
            m.latency = SteadyLoad.run(db, engine, rate, duration, drainTimeout);
        } finally {
            PeakMemory.Peak peak = memory.stop();
            m.peakHeapMb = peak.heapMb();
            m.peakRssMb = peak.rssMb();
        }
        m.drainSeconds = (System.nanoTime() - start) / 1e9;
        m.changes = Drain.single(db, "SELECT count(*) FROM salesforce._trigger_log WHERE id > " + from + " AND state <> 'IGNORE'");
        m.changesPerSecond = m.changes / m.drainSeconds;
        m.apiRequests = sf.faults().apiRequests();
        calls(m, ApiCalls.of(sf.calls(), none));
        m.lowerBound = ""; // a stream has no backlog to bound
        m.callsOverBound = 0;
        Bench.log("  %,d changes, commit to ack p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms; %s; %d deadlock(s) of the application", m.latency.changes(),
                m.latency.p50(), m.latency.p95(), m.latency.p99(), m.latency.max(), m.apiCalls, m.latency.deadlocks());
        return m;
    }

    private Measurement measurement(String workload, String title) {
        Measurement m = new Measurement();
        m.workload = workload;
        m.title = title;
        m.algorithm = algorithm;
        m.profile = profile.name();
        m.concurrency = concurrency;
        return m;
    }

    private static void calls(Measurement m, ApiCalls calls) {
        m.apiCalls = calls.summary();
        m.soapCalls = calls.soap();
        m.soapRecords = calls.soapRecords();
        m.bulkJobs = calls.bulkJobs();
        m.bulkRecords = calls.bulkRecords();
        m.soapBound = calls.soapBound();
        m.bulkJobBound = calls.bulkJobBound();
        m.lowerBound = calls.boundSummary();
        m.callsOverBound = calls.overBound();
    }

    /** Stops pgforce (gracefully); the database and the simulator stay for what follows. */
    void stopEngine() {
        engine.close();
    }

    /** Stops pgforce and the simulator; closing twice is harmless. */
    @Override
    public void close() throws Exception {
        stopEngine();
        db.close();
        sf.close();
    }
}
