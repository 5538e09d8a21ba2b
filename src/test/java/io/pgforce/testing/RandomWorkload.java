package io.pgforce.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.simulator.SimRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random but valid stream of application writes to account and contact (inserts, updates,
 * deletes, contacts referencing accounts by external ID), some in transactions, racing the
 * engine's cycles; then the check that, once drained, Salesforce holds exactly what Postgres holds.
 */
public final class RandomWorkload {

    private final WriteTestSupport t;
    private final Random random;
    private final long seed;
    private final List<String> accounts = new ArrayList<>();
    private final List<String> contacts = new ArrayList<>();
    /** Accounts some contact refers to: like a real application, the workload deletes children before parents. */
    private final java.util.Set<String> referenced = new java.util.HashSet<>();
    private int next;

    public RandomWorkload(WriteTestSupport t, long seed) {
        this.t = t;
        this.seed = seed;
        this.random = new Random(seed);
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    public void run(int operations) {
        int done = 0;
        while (done < operations) {
            if (random.nextInt(4) == 0) {
                int n = 1 + random.nextInt(6);
                t.transaction(db -> {
                    for (int i = 0; i < n; i++) {
                        step();
                    }
                });
                done += n;
            } else {
                step();
                done++;
            }
        }
    }

    private void step() {
        UserSession db = t.db;
        int choice = random.nextInt(10);
        if (choice < 3 || accounts.isEmpty()) {
            String ext = "A-" + seed + "-" + ++next;
            db.update("INSERT INTO salesforce.account (name, numberofemployees, external_id__c) VALUES (?, ?, ?)", "Account " + next,
                    (double) random.nextInt(500), ext);
            accounts.add(ext);
        } else if (choice < 5) {
            String ext = "C-" + seed + "-" + ++next;
            String parent = random.nextBoolean() ? pick(accounts) : null;
            db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES (?, ?, ?)", "Contact " + next, ext, parent);
            if (parent != null) {
                referenced.add(parent);
            }
            contacts.add(ext);
        } else if (choice < 7) {
            db.update("UPDATE salesforce.account SET name = ?, description = ? WHERE external_id__c = ?", "Renamed " + random.nextInt(1000),
                    random.nextBoolean() ? null : "d" + random.nextInt(100), pick(accounts));
        } else if (choice < 8 && !contacts.isEmpty()) {
            db.update("UPDATE salesforce.contact SET email = ? WHERE external_id__c = ?", "x" + random.nextInt(100) + "@example.com", pick(contacts));
        } else if (choice < 9 && accounts.stream().anyMatch(a -> !referenced.contains(a))) {
            List<String> free = accounts.stream().filter(a -> !referenced.contains(a)).toList();
            String ext = free.get(random.nextInt(free.size()));
            accounts.remove(ext);
            db.update("DELETE FROM salesforce.account WHERE external_id__c = ?", ext);
        } else if (!contacts.isEmpty()) {
            String ext = contacts.remove(random.nextInt(contacts.size()));
            db.update("DELETE FROM salesforce.contact WHERE external_id__c = ?", ext);
        }
    }

    /** After the drain: every row is in Salesforce as it is in Postgres, nothing else is, nothing failed, every call kept the rules. */
    public void assertSalesforceMatchesPostgres() {
        try {
            t.drained(Duration.ofSeconds(60));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("seed " + seed + ": not drained: " + t.db.query(
                    "SELECT id, action, table_name, record_id, state, sf_message FROM salesforce._trigger_log WHERE state IN ('NEW', 'PENDING') ORDER BY id"), e);
        }
        SalesforceSimulator sf = t.sf;
        assertThat(t.db.query("SELECT id, action, table_name, record_id, state, sf_message FROM salesforce._trigger_log WHERE state = 'FAILED' ORDER BY id"))
                .as("seed %d: failed changes; their records' history: %s", seed, t.db.query(
                        "SELECT l.id, l.action, l.table_name, l.record_id, l.state, l.sfid, l.values::text FROM salesforce._trigger_log l "
                                + "WHERE (l.table_name, l.record_id) IN (SELECT table_name, record_id FROM salesforce._trigger_log WHERE state = 'FAILED') ORDER BY l.id")).isEmpty();
        List<Map<String, Object>> accountRows = t.db.query("SELECT sfid, name, numberofemployees, description, external_id__c FROM salesforce.account");
        assertThat(sf.org().count("Account")).as("seed %d: accounts", seed).isEqualTo(accountRows.size());
        for (Map<String, Object> row : accountRows) {
            SimRecord r = sf.org().find((String) row.get("sfid")).orElseThrow(() -> new AssertionError("seed " + seed + ": no record for " + row));
            assertThat(r.deleted()).isFalse();
            assertThat(r.get("Name")).as("seed %d", seed).isEqualTo(row.get("name"));
            assertThat(r.get("NumberOfEmployees")).isEqualTo(row.get("numberofemployees"));
            assertThat(r.get("Description")).as("seed %d: %s", seed, row).isEqualTo(row.get("description"));
            assertThat(r.get("External_Id__c")).isEqualTo(row.get("external_id__c"));
        }
        List<Map<String, Object>> contactRows = t.db.query("SELECT c.sfid, c.lastname, c.email, a.sfid AS account_sfid, c.account__r__external_id__c AS parent "
                + "FROM salesforce.contact c LEFT JOIN salesforce.account a ON a.external_id__c = c.account__r__external_id__c");
        assertThat(sf.org().count("Contact")).as("seed %d: contacts", seed).isEqualTo(contactRows.size());
        for (Map<String, Object> row : contactRows) {
            SimRecord r = sf.org().find((String) row.get("sfid")).orElseThrow(() -> new AssertionError("seed " + seed + ": no record for " + row));
            assertThat(r.get("LastName")).isEqualTo(row.get("lastname"));
            assertThat(r.get("Email")).isEqualTo(row.get("email"));
            if (row.get("parent") != null && row.get("account_sfid") != null) {
                assertThat(r.get("AccountId")).as("seed %d: %s", seed, row).isEqualTo(row.get("account_sfid"));
            }
        }
        for (CallLog.Call c : sf.calls().calls()) {
            if (c.api().equals("SOAP") && !c.operation().equals("login")) {
                assertThat(c.records()).isBetween(1, 200);
                assertThat(c.chunks()).isBetween(1, 10);
                assertThat(c.outcome()).as("seed %d: %s", seed, c).isEqualTo("OK");
            }
        }
    }
}
