package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.simulator.CallLog;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.pgforce.testing.PostgresTestResource;
import io.pgforce.testing.UserSession;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** atomic_transactions end to end: each Postgres transaction goes to Salesforce as one all-or-nothing Composite Graph. */
@QuarkusTest
@EndToEnd(mapping = "test-atomic.yaml")
class AtomicTransactionsTest extends EndToEndWrites {

    private void accountWithContacts(UserSession db, String account, int contacts, String failingContact) {
        db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (?, ?)", "Acme " + account, account);
        for (int i = 1; i <= contacts; i++) {
            String key = account + "-C" + i;
            db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES (?, ?, ?)",
                    key.equals(failingContact) ? null : "Contact " + i, key, account);
        }
    }

    @Test
    void anAccountAndItsContactsGoAsOneGraphAndAllSettle() {
        t.transaction(db -> {
            accountWithContacts(db, "A-1", 3, null);
            db.update("UPDATE salesforce.account SET description = 'changed in the same transaction' WHERE external_id__c = 'A-1'");
        });
        t.drained(Duration.ofSeconds(20));

        assertThat(t.states("SUCCESS")).isEqualTo(5);
        List<CallLog.Call> graphs = t.calls("GRAPH", "graph");
        assertThat(graphs).as("%s", graphs).singleElement().satisfies(c -> assertThat(c.records()).isEqualTo(5));
        assertThat(t.calls("SOAP", null)).isEmpty();
        assertThat(t.record("Account", "A-1").get("Description")).isEqualTo("changed in the same transaction");
        for (int i = 1; i <= 3; i++) {
            t.assertParentOf("A-1-C" + i, "A-1");
            assertThat(t.db.scalar("SELECT sfid FROM salesforce.contact WHERE external_id__c = ?", "A-1-C" + i)).isEqualTo(t.record("Contact", "A-1-C" + i).id());
        }
        assertThat(t.db.scalar("SELECT sfid FROM salesforce.account")).isEqualTo(t.record("Account", "A-1").id());
    }

    @Test
    void aContactThatFailsLeavesNothingOfItsTransactionAndEveryRowSaysWhy() {
        t.transaction(db -> accountWithContacts(db, "B-1", 3, "B-1-C2"));
        t.transaction(db -> accountWithContacts(db, "B-2", 1, null));
        t.drained(Duration.ofSeconds(20));

        assertThat(t.sf.org().findByExternalId("Account", "External_Id__c", "B-1")).as("nothing of the failed transaction").isEmpty();
        assertThat(t.sf.org().records("Contact")).hasSize(1);
        assertThat(t.record("Account", "B-2")).isNotNull();
        assertThat(t.calls("GRAPH", "graph")).as("both transactions in one payload").hasSize(1);
        List<Map<String, Object>> rows = t.db.query("SELECT id, state, sf_message FROM salesforce._trigger_log WHERE id <= 4 ORDER BY id");
        assertThat(rows).extracting(r -> r.get("state")).containsOnly("FAILED");
        assertThat(rows.get(2).get("sf_message").toString()).startsWith("REQUIRED_FIELD_MISSING: ");
        for (int i : new int[] {0, 1, 3}) {
            assertThat(rows.get(i).get("sf_message").toString()).contains("Rolled back with its transaction").contains("change 3 (Contact row 2) failed: REQUIRED_FIELD_MISSING");
        }
        assertThat(t.states("SUCCESS")).isEqualTo(2);
    }

    @Test
    void aResendAfterALostResponseLeavesNoDuplicate() {
        t.sf.faults().loseResponses(1);
        t.transaction(db -> accountWithContacts(db, "L-1", 2, null));
        t.drainedAfterALostResponse(Duration.ofSeconds(30));

        assertThat(t.calls("GRAPH", "graph")).extracting(CallLog.Call::outcome).containsExactly("RESPONSE_LOST (OK)", "OK");
        assertThat(t.sf.org().records("Account")).hasSize(1);
        assertThat(t.sf.org().records("Contact")).hasSize(2);
        assertThat(t.states("SUCCESS")).isEqualTo(3);
        t.assertParentOf("L-1-C2", "L-1");
    }

    @Test
    void aTransactionOverFiveHundredChangesIsSplitIntoGraphs() {
        t.transaction(db -> accountWithContacts(db, "S-1", 500, null));
        t.drained(Duration.ofSeconds(60));

        assertThat(t.states("SUCCESS")).isEqualTo(501);
        assertThat(t.calls("GRAPH", "graph")).extracting(CallLog.Call::records).containsExactly(500, 1);
        t.assertParentOf("S-1-C1", "S-1");
        t.assertParentOf("S-1-C500", "S-1");
    }

    @Test
    void transactionsInterleavedWithTheApplicationWritingAreEachOneGraph() throws Exception {
        try (UserSession other = PostgresTestResource.userSession()) {
            Connection a = t.db.connection();
            Connection b = other.connection();
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            // two transactions writing at once: their trigger-log ids interleave
            t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('I-1', 'I-1')");
            other.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('I-2', 'I-2')");
            t.db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES ('x', 'I-1-C1', 'I-1')");
            other.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES ('y', 'I-2-C1', 'I-2')");
            other.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES (NULL, 'I-2-C2', 'I-2')");
            a.commit();
            b.commit();
            a.setAutoCommit(true);
            b.setAutoCommit(true);
        }
        for (int i = 1; i <= 20; i++) {
            int n = i;
            t.transaction(db -> accountWithContacts(db, "W-" + n, 2, null)); // the application goes on while pgforce writes
        }
        t.drained(Duration.ofSeconds(30));

        t.assertParentOf("I-1-C1", "I-1");
        assertThat(t.sf.org().findByExternalId("Account", "External_Id__c", "I-2")).as("the other transaction failed whole").isEmpty();
        assertThat(t.states("FAILED")).isEqualTo(3);
        assertThat(t.states("SUCCESS")).isEqualTo(2 + 60);
        for (int i = 1; i <= 20; i++) {
            t.assertParentOf("W-" + i + "-C2", "W-" + i);
        }
    }
}
