package io.pgforce.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application under chaos: one plain JDBC session (xmlbinary left at its default, so every
 * write is captured) writing accounts and contacts at a steady pace. Inserts, updates and deletes,
 * contacts referencing accounts by external ID (children are deleted before their parents, like a
 * real application), small transactions, and now and then one statement of 2,500 rows (so that
 * Ordered Writes goes over the Bulk API). Every SQL error the application gets is counted: there
 * must be none. The model of what exists is only changed by statements that committed.
 */
final class ChaosWorkload implements Runnable {

    static final int BULK_ROWS = 2500;

    private final String url;
    private final String user;
    private final String password;
    private final Random random;
    private final double statementsPerSecond;
    private final long bulkEveryMillisMin;
    private final long bulkEveryMillisMax;
    private final AtomicBoolean stop = new AtomicBoolean();

    // the model: what the application has committed
    private List<String> accounts = new ArrayList<>();
    /** contact external ID -> its parent account's external ID (or null) */
    private Map<String, String> contacts = new HashMap<>();
    /** account external ID -> how many contacts refer to it */
    private Map<String, Integer> children = new HashMap<>();
    /** prefixes of blocks of BULK_ROWS accounts inserted by one statement (never parents) */
    private Deque<String> blocks = new ArrayDeque<>();
    private int next;

    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private final AtomicInteger bulkStatements = new AtomicInteger();
    private final Map<String, Integer> errors = new TreeMap<>();
    private int errorCount;
    private final List<java.util.Map.Entry<java.time.Instant, String>> errorMoments = new ArrayList<>();
    private Connection db;

    ChaosWorkload(String url, String user, String password, long seed, double statementsPerSecond, long bulkEveryMillisMin, long bulkEveryMillisMax) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.random = new Random(seed);
        this.statementsPerSecond = statementsPerSecond;
        this.bulkEveryMillisMin = bulkEveryMillisMin;
        this.bulkEveryMillisMax = bulkEveryMillisMax;
    }

    void stop() {
        stop.set(true);
    }

    @Override
    public void run() {
        long nextBulk = System.currentTimeMillis() + between(bulkEveryMillisMin / 3, bulkEveryMillisMin);
        while (!stop.get()) {
            int n;
            if (System.currentTimeMillis() >= nextBulk) {
                n = 1;
                unit(false, 1, true);
                nextBulk = System.currentTimeMillis() + between(bulkEveryMillisMin, bulkEveryMillisMax);
            } else if (random.nextInt(4) == 0) {
                n = 2 + random.nextInt(5);
                unit(true, n, false);
            } else {
                n = 1;
                unit(false, 1, false);
            }
            sleep((long) (n * 1000 / statementsPerSecond * (0.5 + random.nextDouble())));
        }
        close();
    }

    /** One autocommit statement or one transaction; on an error the model goes back to what it was. */
    private void unit(boolean transaction, int steps, boolean bulk) {
        Snapshot before = new Snapshot();
        try {
            Connection c = connection();
            c.setAutoCommit(!transaction);
            for (int i = 0; i < steps; i++) {
                if (bulk) {
                    bulkStep(c);
                } else {
                    step(c);
                }
            }
            if (transaction) {
                c.commit();
                transactions.incrementAndGet();
            }
        } catch (SQLException e) {
            error(e);
            before.restore();
            try {
                if (db != null && !db.getAutoCommit()) {
                    db.rollback();
                }
            } catch (SQLException broken) {
                close(); // a new session next time
            }
        }
    }

    private void step(Connection c) throws SQLException {
        int choice = random.nextInt(100);
        if (choice < 28 || accounts.isEmpty()) {
            String ext = "A-" + ++next;
            update(c, "INSERT INTO salesforce.account (name, numberofemployees, description, external_id__c) VALUES (?, ?, ?, ?)",
                    "Account " + next, (double) random.nextInt(500), random.nextBoolean() ? null : "about " + next, ext);
            accounts.add(ext);
        } else if (choice < 48) {
            String ext = "C-" + ++next;
            String parent = random.nextInt(3) > 0 ? pick(accounts) : null;
            update(c, "INSERT INTO salesforce.contact (lastname, email, external_id__c, account__r__external_id__c) VALUES (?, ?, ?, ?)",
                    "Contact " + next, random.nextBoolean() ? null : "c" + next + "@example.com", ext, parent);
            contacts.put(ext, parent);
            if (parent != null) {
                children.merge(parent, 1, Integer::sum);
            }
        } else if (choice < 66) {
            update(c, "UPDATE salesforce.account SET name = ?, numberofemployees = ?, description = ? WHERE external_id__c = ?",
                    "Renamed " + random.nextInt(1000), random.nextInt(5) == 0 ? null : (double) random.nextInt(500),
                    random.nextBoolean() ? null : "d" + random.nextInt(100), pick(accounts));
        } else if (choice < 76 && !contacts.isEmpty()) {
            update(c, "UPDATE salesforce.contact SET lastname = ?, email = ? WHERE external_id__c = ?", "Last " + random.nextInt(1000),
                    random.nextInt(3) == 0 ? null : "x" + random.nextInt(100) + "@example.com", pickContact());
        } else if (choice < 82 && !contacts.isEmpty()) {
            // a contact moves to another account
            String ext = pickContact();
            String parent = pick(accounts);
            update(c, "UPDATE salesforce.contact SET account__r__external_id__c = ? WHERE external_id__c = ?", parent, ext);
            String old = contacts.put(ext, parent);
            if (old != null) {
                children.merge(old, -1, Integer::sum);
            }
            children.merge(parent, 1, Integer::sum);
        } else if (choice < 91) {
            List<String> free = accounts.stream().filter(a -> children.getOrDefault(a, 0) <= 0).toList();
            if (!free.isEmpty()) {
                String ext = free.get(random.nextInt(free.size()));
                update(c, "DELETE FROM salesforce.account WHERE external_id__c = ?", ext);
                accounts.remove(ext);
            }
        } else if (!contacts.isEmpty()) {
            String ext = pickContact();
            update(c, "DELETE FROM salesforce.contact WHERE external_id__c = ?", ext);
            String parent = contacts.remove(ext);
            if (parent != null) {
                children.merge(parent, -1, Integer::sum);
            }
        }
    }

    /** One statement of BULK_ROWS rows: a block of accounts inserted, updated or deleted, or contacts inserted. */
    private void bulkStep(Connection c) throws SQLException {
        int kind = blocks.isEmpty() ? 0 : random.nextInt(4);
        bulkStatements.incrementAndGet();
        switch (kind) {
            case 0 -> {
                String prefix = "B" + ++next + "-";
                update(c, "INSERT INTO salesforce.account (name, numberofemployees, description, external_id__c) "
                        + "SELECT 'Bulk ' || g, g % 400, CASE WHEN g % 3 = 0 THEN NULL ELSE 'bulk ' || g END, ? || g FROM generate_series(1, ?) g",
                        prefix, BULK_ROWS);
                blocks.add(prefix);
            }
            case 1 -> update(c, "UPDATE salesforce.account SET numberofemployees = coalesce(numberofemployees, 0) + 1, name = name || '+' "
                    + "WHERE external_id__c LIKE ?", pickBlock() + "%");
            case 2 -> {
                String prefix = blocks.removeFirst();
                update(c, "DELETE FROM salesforce.account WHERE external_id__c LIKE ?", prefix + "%");
            }
            default -> {
                String prefix = "BC" + ++next + "-";
                String parent = accounts.isEmpty() ? "" : pick(accounts);
                // every other contact of the block refers to one account (none when there is none)
                update(c, "INSERT INTO salesforce.contact (lastname, email, external_id__c, account__r__external_id__c) "
                        + "SELECT 'Bulk contact ' || g, CASE WHEN g % 2 = 0 THEN 'b' || g || '@example.com' END, ? || g, "
                        + "CASE WHEN g % 2 = 0 THEN nullif(?, '') END FROM generate_series(1, ?) g", prefix, parent, BULK_ROWS);
                parent = parent.isEmpty() ? null : parent;
                for (int g = 1; g <= BULK_ROWS; g++) {
                    String p = g % 2 == 0 ? parent : null;
                    contacts.put(prefix + g, p);
                    if (p != null) {
                        children.merge(p, 1, Integer::sum);
                    }
                }
            }
        }
    }

    private String pickBlock() {
        List<String> all = new ArrayList<>(blocks);
        return all.get(random.nextInt(all.size()));
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    private String pickContact() {
        List<String> all = new ArrayList<>(contacts.keySet());
        return all.get(random.nextInt(all.size()));
    }

    private void update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
            statements.incrementAndGet();
        }
    }

    private Connection connection() throws SQLException {
        if (db == null || db.isClosed()) {
            db = DriverManager.getConnection(url, user, password);
        }
        return db;
    }

    private synchronized void error(SQLException e) {
        errorCount++;
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        errors.merge("SQLState " + e.getSQLState() + ": " + message.replaceAll("\\d+", "N"), 1, Integer::sum);
        if (errorMoments.size() < 20) {
            errorMoments.add(Map.entry(java.time.Instant.now(), "SQLState " + e.getSQLState() + ": " + message));
        }
    }

    /** When the first errors happened, and what they said. */
    synchronized List<Map.Entry<java.time.Instant, String>> errorMoments() {
        return List.copyOf(errorMoments);
    }

    private void close() {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // going anyway
        }
        db = null;
    }

    private long between(long min, long max) {
        return min + (max > min ? (long) (random.nextDouble() * (max - min)) : 0);
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        }
    }

    int statements() {
        return statements.get();
    }

    int transactions() {
        return transactions.get();
    }

    int bulkStatements() {
        return bulkStatements.get();
    }

    synchronized int errorCount() {
        return errorCount;
    }

    /** Distinct application errors (numbers blanked) with how often each happened. */
    synchronized Map<String, Integer> errors() {
        return new TreeMap<>(errors);
    }

    /** The model before a statement or transaction, put back when it fails. */
    private final class Snapshot {
        private final List<String> a = new ArrayList<>(accounts);
        private final Map<String, String> c = new HashMap<>(contacts);
        private final Map<String, Integer> ch = new HashMap<>(children);
        private final Deque<String> b = new ArrayDeque<>(blocks);

        void restore() {
            accounts = a;
            contacts = c;
            children = ch;
            blocks = b;
        }
    }
}
