package io.pgforce.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The reference "bare SQL": the database work a drain cannot avoid, done as set-based statements
 * on the real backlog: claim the NEW rows as PENDING, mark them SUCCESS with an sfid, write sfid
 * and _hc_lastop back to the mapping rows (one statement per table). It runs in a transaction that
 * is rolled back, then VACUUM ANALYZE, so pgforce drains exactly the same rows afterwards.
 */
final class BareSql {

    private BareSql() {
    }

    /** Seconds the statements took (the rollback and the vacuum excluded). */
    static double seconds(Connection db, long fromId) throws SQLException {
        db.setAutoCommit(false);
        long start;
        long end;
        try (Statement st = db.createStatement()) {
            // as pgforce's own sessions: the write-back must not be captured as new changes
            st.execute("SET LOCAL xmlbinary = 'hex'");
            start = System.nanoTime();
            update(db, "UPDATE salesforce._trigger_log SET state = 'PENDING', updated_at = clock_timestamp(), sent_at = COALESCE(sent_at, clock_timestamp()) "
                    + "WHERE state = 'NEW' AND id > ?", fromId);
            // an sfid of a record Salesforce would have made: 18 characters no real Id has
            update(db, "UPDATE salesforce._trigger_log SET state = 'SUCCESS', sfid = COALESCE(sfid, 'zzz' || lpad(record_id::text, 15, '0')), sf_result = 0, "
                    + "processed_at = clock_timestamp(), processed_tx = txid_current(), updated_at = clock_timestamp() WHERE state = 'PENDING' AND id > ?", fromId);
            for (BenchSchema.Table t : BenchSchema.MIXED) {
                update(db, "UPDATE salesforce." + t.table() + " AS r SET sfid = COALESCE(r.sfid, l.sfid), _hc_err = NULL, "
                        + "_hc_lastop = CASE l.action WHEN 'INSERT' THEN 'INSERTED' ELSE 'UPDATED' END "
                        + "FROM (SELECT DISTINCT ON (record_id) record_id, action, sfid FROM salesforce._trigger_log "
                        + "WHERE table_name = '" + t.table() + "' AND state = 'SUCCESS' AND id > ? ORDER BY record_id, id DESC) AS l WHERE r.id = l.record_id", fromId);
            }
            end = System.nanoTime();
        } finally {
            db.rollback();
            db.setAutoCommit(true);
        }
        Drain.vacuum(db);
        return (end - start) / 1e9;
    }

    private static void update(Connection db, String sql, long fromId) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setLong(1, fromId);
            ps.executeUpdate();
        }
    }
}
