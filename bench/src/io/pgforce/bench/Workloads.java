package io.pgforce.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The workloads, each as the rows it needs in Salesforce beforehand ({@code seed}, synced before
 * the measurement) and the changes it makes while pgforce is paused ({@code changes}, the backlog
 * whose drain is timed). Everything is deterministic, so two runs with different settings (write
 * concurrency 1 and 8) must leave the same org.
 */
final class Workloads {

    /** Runs SQL on the benchmark's own session (autocommit, triggers active). */
    interface Step {
        void run(Connection db) throws SQLException;
    }

    record Workload(String id, String title, Step seed, Step changes) {
    }

    private static final Step NOTHING = db -> {
    };
    private static final int CHUNK = 50_000;

    private Workloads() {
    }

    static Workload w1(int inserts) {
        return new Workload("W1", String.format("%,d inserts, one object", inserts), NOTHING, db -> insertAccounts(db, "w1-", inserts));
    }

    static Workload w2(int inserts) {
        return new Workload("W2", String.format("%,d inserts, one object", inserts), NOTHING, db -> insertAccounts(db, "w2-", inserts));
    }

    /** Account, then a Contact referencing it by external ID, and so on: one transaction, the two objects alternating in the log. */
    static Workload w3(int inserts) {
        int pairs = inserts / 2;
        return new Workload("W3", String.format("%,d inserts, parent and child alternating", pairs * 2), NOTHING, db -> execute(db, """
                DO $$ BEGIN FOR g IN 1..%d LOOP
                  INSERT INTO salesforce.account (name, numberofemployees, description, external_id__c) VALUES ('Account ' || g, g %% 5000, 'change ' || g, 'w3-a-' || g);
                  INSERT INTO salesforce.contact (lastname, email, external_id__c, account__r__external_id__c) VALUES ('Last ' || g, 'c' || g || '@example.com', 'w3-c-' || g, 'w3-a-' || g);
                END LOOP; END $$""".formatted(pairs)));
    }

    /**
     * WT: {@code transactions} application transactions, each an Account and {@code children}
     * Contacts naming it by external ID, each committed on its own (one txid each): the unit
     * {@code atomic_transactions} sends as one Composite Graph.
     */
    static Workload transactions(int transactions, int children) {
        return new Workload("WT", String.format("%,d transactions of 1 account + %d contacts", transactions, children), NOTHING, db -> execute(db, """
                DO $$ BEGIN FOR g IN 1..%d LOOP
                  INSERT INTO salesforce.account (name, numberofemployees, description, external_id__c) VALUES ('Account ' || g, g %% 5000, 'tx ' || g, 'wt-a-' || g);
                  INSERT INTO salesforce.contact (lastname, email, external_id__c, account__r__external_id__c)
                    SELECT 'Last ' || g || '-' || k, 'c' || g || '-' || k || '@example.com', 'wt-c-' || g || '-' || k, 'wt-a-' || g FROM generate_series(1, %d) k;
                  COMMIT;
                END LOOP; END $$""".formatted(transactions, children)));
    }

    /**
     * LOCK: {@code accounts} accounts (the seed), then {@code contacts} contacts naming them by external ID
     * round-robin in log order, one statement: every stretch of the log touches every parent, the
     * grouping that makes concurrent writers lock each other's parents.
     */
    static Workload lock(int contacts, int accounts) {
        return new Workload("LOCK", String.format("%,d contacts round-robin over %,d accounts", contacts, accounts),
                db -> insertAccounts(db, LOCK_ACCOUNT, accounts), db -> execute(db, """
                INSERT INTO salesforce.contact (lastname, email, external_id__c, account__r__external_id__c)
                SELECT 'Last ' || g, 'c' || g || '@example.com', 'lk-c-' || g, '%s' || (1 + (g - 1) %% %d) FROM generate_series(1, %d) g"""
                .formatted(LOCK_ACCOUNT, accounts, contacts)));
    }

    /** The external ID prefix of LOCK's accounts; contact g's account is {@code lockAccount(g, accounts)}, for the naive client too. */
    static final String LOCK_ACCOUNT = "lk-a-";

    static String lockAccount(int contact, int accounts) {
        return LOCK_ACCOUNT + (1 + (contact - 1) % accounts);
    }

    /** {@code hot} accounts, then {@code updates / hot} statements that each update all of them. */
    static Workload w4(int updates, int hot) {
        int rounds = Math.max(1, updates / hot);
        return new Workload("W4", String.format("%,d updates over %d records", rounds * hot, hot), db -> insertAccounts(db, "w4-", hot), db -> execute(db, """
                DO $$ BEGIN FOR r IN 1..%d LOOP
                  UPDATE salesforce.account SET numberofemployees = r, description = 'round ' || r
                   WHERE external_id__c = ANY (ARRAY(SELECT 'w4-' || g FROM generate_series(1, %d) g));
                END LOOP; END $$""".formatted(rounds, hot)));
    }

    /** 70 % updates, 20 % inserts, 10 % deletes over five objects, the first {@code changes} of one fixed random sequence. */
    static Workload w5(int changes, int seedPerObject, String id) {
        return new Workload(id, String.format("%,d mixed changes (70%% update, 20%% insert, 10%% delete), 5 objects", changes),
                db -> MixedChanges.seed(db, "w5", seedPerObject), db -> new MixedChanges("w5", seedPerObject).apply(db, changes));
    }

    /**
     * Not measured: run first on every pgforce, so that no measured workload pays for the JIT
     * compiling its paths. Mixed changes over every object (SOAP), then a run long enough for
     * Bulk under Ordered Writes.
     */
    static Workload warmUp(int changes) {
        int seed = Math.max(10, changes / 20);
        return new Workload("warm-up", String.format("%,d mixed changes and %,d inserts", changes, changes), db -> MixedChanges.seed(db, "wu", seed), db -> {
            new MixedChanges("wu", seed).apply(db, changes);
            insertAccounts(db, "wu-", Math.max(changes, 2_000));
        });
    }

    static Workload memory(int inserts) {
        return new Workload("MEM", String.format("%,d inserts, one object, pgforce at -Xmx256m", inserts), NOTHING, db -> insertAccounts(db, "m-", inserts));
    }

    /** Accounts {@code prefix1..prefixN}, in statements of up to 50,000 rows (the capture triggers fire as for any application). */
    static void insertAccounts(Connection db, String prefix, int count) throws SQLException {
        for (int from = 1; from <= count; from += CHUNK) {
            execute(db, "INSERT INTO salesforce.account (name, numberofemployees, description, external_id__c) "
                    + "SELECT 'Account ' || g, g % 5000, 'change ' || g, " + BenchSchema.literal(prefix) + " || g FROM generate_series("
                    + from + ", " + Math.min(count, from + CHUNK - 1) + ") g");
        }
    }

    static void execute(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    /** W5's change sequence (and the warm-up's): a seeded random walk over the live records of each object. */
    static final class MixedChanges {

        private static final long SEED = 20261206L;
        private final Random random = new Random(SEED);
        private final String prefix;
        private final List<List<String>> live = new ArrayList<>();
        private int inserted;

        /** @param prefix of every external ID, so that two sequences in one org never meet */
        MixedChanges(String prefix, int seedPerObject) {
            this.prefix = prefix;
            for (BenchSchema.Table t : BenchSchema.MIXED) {
                List<String> ids = new ArrayList<>();
                for (int i = 1; i <= seedPerObject; i++) {
                    ids.add(seedId(prefix, t, i));
                }
                live.add(ids);
            }
        }

        private static String seedId(String prefix, BenchSchema.Table t, int i) {
            return prefix + "-" + t.table() + "-s" + i;
        }

        /** The records the sequence expects in Salesforce before it starts, in multi-row inserts. */
        static void seed(Connection db, String prefix, int perObject) throws SQLException {
            for (BenchSchema.Table t : BenchSchema.MIXED) {
                StringBuilder rows = new StringBuilder();
                for (int i = 1; i <= perObject; i++) {
                    rows.append(i == 1 ? "" : ", ").append(t.valuesRow(i, seedId(prefix, t, i)));
                }
                execute(db, "INSERT INTO salesforce." + t.table() + " (" + t.insertColumns() + ") VALUES " + rows);
            }
        }

        /** Makes the first {@code count} changes, in order, in transactions of 1,000 statements. */
        void apply(Connection db, int count) throws SQLException {
            db.setAutoCommit(false);
            try (Statement st = db.createStatement()) {
                for (int i = 1; i <= count; i++) {
                    st.addBatch(next(i));
                    if (i % 1000 == 0 || i == count) {
                        st.executeBatch();
                        db.commit();
                    }
                }
            } finally {
                db.setAutoCommit(true);
            }
        }

        private String next(int i) {
            int o = random.nextInt(BenchSchema.MIXED.size());
            BenchSchema.Table t = BenchSchema.MIXED.get(o);
            List<String> ids = live.get(o);
            int p = random.nextInt(100);
            if (p < 20 || ids.isEmpty()) {
                String id = prefix + "-" + t.table() + "-n" + ++inserted;
                ids.add(id);
                return t.insert(i, id);
            }
            int k = random.nextInt(ids.size());
            if (p < 90) {
                return t.update(i, ids.get(k));
            }
            String gone = ids.get(k);
            ids.set(k, ids.get(ids.size() - 1)); // swap-remove: order of the rest does not matter, the sequence stays deterministic
            ids.remove(ids.size() - 1);
            return t.delete(gone);
        }
    }
}
