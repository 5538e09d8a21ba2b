package io.pgforce.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The capture triggers' cost to the application: rows per second of inserts and updates on a
 * mapping table (salesforce.account, pgforce's triggers on it) and on a copy without triggers,
 * with 1-row and 1,000-row statements, each its own transaction. Run it while no pgforce drains
 * the database (the captured rows would be sent meanwhile).
 *
 * <p>A stand-in: another engineer's {@code CaptureCost.measure(jdbcUrl, user, password, Duration)}
 * does this job more thoroughly; when it is merged, {@link Bench}'s single call site of this class
 * calls it instead and this class goes.
 */
final class TriggerCost {

    /** Rows per second with pgforce's capture triggers and without, for one kind of statement. */
    record Case(String statement, double withTriggers, double withoutTriggers) {
        double ratio() {
            return withTriggers / withoutTriggers;
        }
    }

    private TriggerCost() {
    }

    static List<Case> measure(String jdbcUrl, String user, String password, Duration each) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password); Statement st = db.createStatement()) {
            st.execute("CREATE TABLE salesforce.account_nocapture (LIKE salesforce.account INCLUDING DEFAULTS INCLUDING INDEXES)");
            // ids of its own, so that each table's rows are one contiguous range for the updates
            st.execute("CREATE SEQUENCE salesforce.account_nocapture_id_seq OWNED BY salesforce.account_nocapture.id");
            st.execute("ALTER TABLE salesforce.account_nocapture ALTER COLUMN id SET DEFAULT nextval('salesforce.account_nocapture_id_seq')");
            try {
                List<Case> cases = new ArrayList<>();
                for (int rows : new int[] {1, 1000}) {
                    cases.add(new Case(String.format("INSERT, %,d row(s) a statement", rows),
                            insertRate(st, "account", rows, each), insertRate(st, "account_nocapture", rows, each)));
                }
                for (int rows : new int[] {1, 1000}) {
                    cases.add(new Case(String.format("UPDATE, %,d row(s) a statement", rows),
                            updateRate(st, "account", rows, each), updateRate(st, "account_nocapture", rows, each)));
                }
                return cases;
            } finally {
                st.execute("DROP TABLE salesforce.account_nocapture");
            }
        }
    }

    private static int next;

    private static double insertRate(Statement st, String table, int rows, Duration each) throws SQLException {
        return rate(each, rows, () -> {
            int from = next;
            next += rows;
            st.execute("INSERT INTO salesforce." + table + " (name, numberofemployees, external_id__c) SELECT 'Capture ' || g, g % 5000, 'cc-' || g "
                    + "FROM generate_series(" + from + ", " + (from + rows - 1) + ") g");
        });
    }

    /** Updates a mapped column of rows the inserts made, {@code rows} consecutive ones a statement, round and round. */
    private static double updateRate(Statement st, String table, int rows, Duration each) throws SQLException {
        long[] offset = {0};
        long first = Drain.single(st.getConnection(), "SELECT min(id) FROM salesforce." + table + " WHERE external_id__c LIKE 'cc-%'");
        long count = Drain.single(st.getConnection(), "SELECT count(*) FROM salesforce." + table + " WHERE external_id__c LIKE 'cc-%'");
        return rate(each, rows, () -> {
            long lo = first + offset[0] % Math.max(1, count - rows);
            offset[0] += rows;
            st.execute("UPDATE salesforce." + table + " SET numberofemployees = numberofemployees + 1 WHERE id BETWEEN " + lo + " AND " + (lo + rows - 1));
        });
    }

    private interface Sql {
        void run() throws SQLException;
    }

    private static double rate(Duration each, int rowsPerStatement, Sql statement) throws SQLException {
        for (int i = 0; i < 20; i++) {
            statement.run(); // warm-up: plans cached, pages in memory
        }
        long statements = 0;
        long start = System.nanoTime();
        long end = start + each.toNanos();
        while (System.nanoTime() < end) {
            statement.run();
            statements++;
        }
        return statements * rowsPerStatement / ((System.nanoTime() - start) / 1e9);
    }
}
