package io.pgforce.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * W6: an application writing at a steady rate while pgforce runs, and each change's commit-to-ack
 * latency: from the commit of its transaction (taken by the workload, right after commit returns)
 * to the processed_at pgforce gives its trigger-log row when Salesforce has acknowledged it.
 * Every 100 ms one transaction of rate/10 changes: first a fifth of them inserts of new accounts,
 * then the rest updates of accounts this workload made before. (Inserts and updates interleaved one
 * by one would make Ordered Writes send one call per change run, as it must: see docs/benchmarks.md.)
 */
final class SteadyLoad {

    /**
     * Commit-to-ack percentiles in milliseconds over every change; {@code deadlocks}: the
     * application's transactions PostgreSQL aborted as deadlocked (against pgforce's write-back of
     * the rows' sfid and status), each retried as an application would.
     */
    record Latency(double p50, double p95, double p99, double max, long changes, double achievedRate, int deadlocks) {
    }

    private static final int TICKS_PER_SECOND = 10;
    private static final int WARM_RECORDS = 100;
    /** More than this many deadlocks in one run is no longer a measurement of latency. */
    private static final int MAX_DEADLOCKS = 1000;

    private SteadyLoad() {
    }

    /** The accounts the updates start on, synced before the measurement. */
    static void seed(Connection db) throws SQLException {
        Workloads.insertAccounts(db, "w6-", WARM_RECORDS);
    }

    /** Writes for {@code duration}, waits for the drain, and returns the latencies. */
    static Latency run(Connection db, Engine engine, int rate, Duration duration, Duration drainTimeout) throws Exception {
        long fromId = Drain.lastId(db);
        Map<Long, Instant> commits = new HashMap<>();
        Random random = new Random(6);
        int perTick = Math.max(1, rate / TICKS_PER_SECOND);
        int inserted = WARM_RECORDS;
        long changes = 0;
        int deadlocks = 0;
        long start = System.nanoTime();
        long ticks = duration.toMillis() * TICKS_PER_SECOND / 1000;
        db.setAutoCommit(false);
        try (Statement st = db.createStatement()) {
            for (long tick = 0; tick < ticks; tick++) {
                long due = start + tick * 1_000_000_000L / TICKS_PER_SECOND;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                List<String> statements = new ArrayList<>();
                int inserts = Math.max(1, perTick / 5);
                for (int k = 0; k < perTick; k++) {
                    int n = (int) (tick * perTick + k);
                    if (k < inserts) {
                        statements.add(BenchSchema.ACCOUNT.insert(n, "w6-" + ++inserted));
                    } else {
                        statements.add(BenchSchema.ACCOUNT.update(n, "w6-" + (1 + random.nextInt(inserted))));
                    }
                }
                while (true) {
                    try {
                        long txid = commit(db, st, statements);
                        commits.put(txid, Instant.now());
                        break;
                    } catch (SQLException e) {
                        db.rollback();
                        if (!deadlocked(e) || ++deadlocks > MAX_DEADLOCKS) {
                            throw e;
                        }
                    }
                }
                changes += perTick;
            }
        } finally {
            db.setAutoCommit(true);
        }
        double achieved = changes / ((System.nanoTime() - start) / 1e9);
        Drain.await(db, engine, drainTimeout);
        return latencies(db, fromId, commits, achieved, deadlocks);
    }

    /** One tick's transaction; returns its id, which its trigger-log rows carry. */
    private static long commit(Connection db, Statement st, List<String> statements) throws SQLException {
        long txid;
        try (ResultSet rs = st.executeQuery("SELECT txid_current()")) {
            rs.next();
            txid = rs.getLong(1);
        }
        for (String sql : statements) {
            st.addBatch(sql);
        }
        try {
            st.executeBatch();
        } finally {
            st.clearBatch();
        }
        db.commit();
        return txid;
    }

    /** Whether PostgreSQL aborted the transaction as deadlocked (the driver reports a batch's failure as a chain). */
    private static boolean deadlocked(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("40P01".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static Latency latencies(Connection db, long fromId, Map<Long, Instant> commits, double achieved, int deadlocks) throws SQLException {
        List<Double> millis = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT txid, processed_at FROM salesforce._trigger_log WHERE id > ? AND state IN ('SUCCESS', 'MERGED')")) {
            ps.setLong(1, fromId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant commit = commits.get(rs.getLong(1));
                    if (commit != null) {
                        millis.add(Math.max(0, Duration.between(commit, rs.getTimestamp(2).toInstant()).toNanos() / 1e6));
                    }
                }
            }
        }
        Collections.sort(millis);
        return new Latency(percentile(millis, 50), percentile(millis, 95), percentile(millis, 99), millis.isEmpty() ? 0 : millis.get(millis.size() - 1),
                millis.size(), achieved, deadlocks);
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }
}
