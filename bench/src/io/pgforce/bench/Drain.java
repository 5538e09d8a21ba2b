package io.pgforce.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * The trigger log as the benchmark reads it: where a workload's rows start, how many changes wait,
 * and the drain: from the resume until no row is NEW or PENDING. Any FAILED row ends the run: the
 * workloads only write valid rows, so a failure is pgforce's (or the simulator's) and must be seen.
 */
final class Drain {

    private static final String LOG = "salesforce._trigger_log";

    private Drain() {
    }

    /** The newest trigger-log id: a workload's rows are the ones after it. */
    static long lastId(Connection db) throws SQLException {
        return single(db, "SELECT COALESCE(max(id), 0) FROM " + LOG);
    }

    /** Changes waiting to be sent, after {@code fromId}. */
    static long waiting(Connection db, long fromId) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM " + LOG + " WHERE id > ? AND state = 'NEW'")) {
            ps.setLong(1, fromId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** What a drain took: from the resume to the last row settled (its processed_at). */
    record Timed(Instant start, Instant end) {
        double seconds() {
            return Duration.between(start, end).toNanos() / 1e9;
        }
    }

    /** Resumes pgforce and waits until every change is settled. */
    static Timed resumeAndDrain(Connection db, Engine engine, long fromId, Duration timeout) throws Exception {
        Instant start = Instant.now();
        engine.resume();
        await(db, engine, timeout);
        return new Timed(start, lastProcessed(db, fromId, start));
    }

    /** Waits until no row is NEW or PENDING; throws on a FAILED row, a dead pgforce or the timeout. */
    static void await(Connection db, Engine engine, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT EXISTS (SELECT 1 FROM " + LOG + " WHERE state IN ('NEW', 'PENDING')), "
                            + "(SELECT id || ' ' || action || ' ' || table_name || ': ' || COALESCE(sf_message, '') FROM " + LOG
                            + " WHERE state = 'FAILED' ORDER BY id LIMIT 1)")) {
                rs.next();
                if (rs.getString(2) != null) {
                    throw new IllegalStateException("A change FAILED (trigger log id " + rs.getString(2) + "); see " + engine.log());
                }
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
            if (!engine.isAlive()) {
                throw new IllegalStateException("pgforce exited during a drain; see " + engine.log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Not drained within " + timeout.toSeconds() + " s; see " + engine.log());
            }
            Thread.sleep(20);
        }
    }

    /** When the last of the changes after {@code fromId} was settled (its processed_at); {@code otherwise} when none says. */
    static Instant lastProcessed(Connection db, long fromId, Instant otherwise) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT max(processed_at) FROM " + LOG + " WHERE id > ?")) {
            ps.setLong(1, fromId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1) == null ? otherwise : rs.getTimestamp(1).toInstant();
            }
        }
    }

    /** VACUUM ANALYZE of the trigger log and the mapping tables: every drain starts from fresh statistics and no dead rows. */
    static void vacuum(Connection db) throws SQLException {
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(true);
        try (Statement st = db.createStatement()) {
            StringBuilder tables = new StringBuilder(LOG);
            for (BenchSchema.Table t : BenchSchema.MIXED) {
                tables.append(", salesforce.").append(t.table());
            }
            st.execute("VACUUM ANALYZE " + tables);
        } finally {
            db.setAutoCommit(auto);
        }
    }

    static long single(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
