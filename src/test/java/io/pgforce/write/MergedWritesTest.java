package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.SimRecord;
import io.pgforce.simulator.SimulatorClients;
import com.sforce.soap.partner.sobject.SObject;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Merged Writes end to end (the same objects as the other tests, write_algorithm: merged). */
@QuarkusTest
@EndToEnd(mapping = "test-merged.yaml")
class MergedWritesTest extends WriteAlgorithmContract {

    @Test
    void anInsertThatMayHaveReachedSalesforceAndIsThenDeletedLeavesNoOrphan() throws Exception {
        // as after a crash between the send and the write-back: the record is in the org, and its
        // insert is NEW again with sent_at set when the application deletes the row
        SObject sent = new SObject("Account");
        sent.setField("Name", "sent before the crash");
        sent.setField("External_Id__c", "O-1");
        assertThat(SimulatorClients.partner(t.sf).create(new SObject[] {sent})[0].isSuccess()).isTrue();
        t.transaction(db -> {
            db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('sent before the crash', 'O-1')");
            db.update("UPDATE salesforce._trigger_log SET sent_at = now()");
            db.update("DELETE FROM salesforce.account WHERE external_id__c = 'O-1'");
        });
        t.drained(Duration.ofSeconds(20));

        assertThat(t.sf.org().records("Account")).as("no record left whose row is gone").allMatch(SimRecord::deleted);
        assertThat(t.db.query("SELECT action, state FROM salesforce._trigger_log ORDER BY id")).extracting(r -> r.get("action") + " " + r.get("state"))
                .containsExactly("INSERT SUCCESS", "DELETE SUCCESS");
    }

    @Test
    void aSentInsertDeletedAfterMovingToAParentThatNeverReachedSalesforceLeavesNoOrphan() throws Exception {
        // the chaos suite's case: a contact sent before a crash moves to a new account, then the
        // contact and that account are deleted; the account's insert and delete fold to nothing, so
        // the contact's find-or-create upsert must not reference it
        SObject parent = new SObject("Account");
        parent.setField("Name", "old parent");
        parent.setField("External_Id__c", "P-OLD");
        assertThat(SimulatorClients.partner(t.sf).create(new SObject[] {parent})[0].isSuccess()).isTrue();
        SObject sent = new SObject("Contact");
        sent.setField("LastName", "sent before the crash");
        sent.setField("External_Id__c", "C-SENT");
        assertThat(SimulatorClients.partner(t.sf).create(new SObject[] {sent})[0].isSuccess()).isTrue();
        t.transaction(db -> {
            db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES ('sent before the crash', 'C-SENT', 'P-OLD')");
            db.update("UPDATE salesforce._trigger_log SET sent_at = now()");
            db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('new parent', 'P-NEW')");
            db.update("UPDATE salesforce.contact SET account__r__external_id__c = 'P-NEW' WHERE external_id__c = 'C-SENT'");
            db.update("DELETE FROM salesforce.contact WHERE external_id__c = 'C-SENT'");
            db.update("DELETE FROM salesforce.account WHERE external_id__c = 'P-NEW'");
        });
        t.drained(Duration.ofSeconds(20));

        assertThat(t.sf.org().records("Contact")).as("no contact left whose row is gone").allMatch(SimRecord::deleted);
        assertThat(t.states("FAILED")).as("nothing failed").isZero();
        assertThat(t.sf.org().records("Account")).extracting(r -> r.get("External_Id__c")).as("the new parent never reached Salesforce")
                .containsExactly("P-OLD");
    }

    @Test
    void anInsertNeverSentAndThenDeletedSendsNothing() {
        t.transaction(db -> {
            db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('never sent', 'O-2')");
            db.update("DELETE FROM salesforce.account WHERE external_id__c = 'O-2'");
        });
        t.drained(Duration.ofSeconds(20));
        assertThat(t.states("MERGED")).isEqualTo(2);
        assertThat(t.calls("SOAP", "upsert")).isEmpty();
    }

    @Test
    void mergedWritesNeverUseBulk() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Account ' || g, 'A-' || g FROM generate_series(1, 3000) g");
        t.drained(Duration.ofSeconds(60));

        assertThat(t.states("SUCCESS")).isEqualTo(3000);
        assertThat(t.calls("BULK", "createJob")).isEmpty();
        assertThat(t.calls("SOAP", "upsert")).hasSize(15);
    }

    @Test
    void alternatingTwoObjectsFillWholeMessages() {
        t.transaction(db -> {
            for (int i = 1; i <= 300; i++) {
                db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (?, ?)", "A" + i, "A-" + i);
                db.update("INSERT INTO salesforce.contact (lastname, external_id__c) VALUES (?, ?)", "C" + i, "C-" + i);
            }
        });
        t.drained(Duration.ofSeconds(60));

        assertThat(t.calls("SOAP", "upsert")).extracting(CallLog.Call::records).containsExactly(200, 200, 200);
        assertThat(t.calls("SOAP", "upsert").get(1).chunks()).isEqualTo(2);
    }

    @Test
    void aFailedInsertIsResentWhenItsRecordIsUpdated() {
        t.db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES ('Doe', 'C-1', 'A-404')");
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(t.state(1)));
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Found', 'A-404')");
        t.drained(Duration.ofSeconds(20));

        t.db.update("UPDATE salesforce.contact SET email = 'doe@example.com'");
        t.drained(Duration.ofSeconds(20));

        SimRecord contact = t.record("Contact", "C-1");
        assertThat(contact.get("Email")).isEqualTo("doe@example.com");
        assertThat(contact.get("LastName")).isEqualTo("Doe");
        assertThat(t.db.query("SELECT sfid, _hc_lastop FROM salesforce.contact").get(0))
                .containsEntry("sfid", contact.id()).containsEntry("_hc_lastop", "INSERTED");
        assertThat(t.state(3)).isEqualTo("SUCCESS");
        assertThat(t.db.query("SELECT state, sf_message FROM salesforce._trigger_log WHERE id = 1").get(0))
                .containsEntry("state", "MERGED").containsEntry("sf_message", "resent with trigger log id 3");
    }

    @Test
    void anInsertDeletedBeforeItWasSentIsNeverSent() {
        t.transaction(db -> {
            db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Gone', 'G-1')");
            db.update("UPDATE salesforce.account SET name = 'Gone soon'");
            db.update("DELETE FROM salesforce.account");
        });
        t.drained(Duration.ofSeconds(20));

        assertThat(t.states("MERGED")).isEqualTo(3);
        assertThat(t.sf.calls().calls()).noneMatch(c -> c.api().equals("SOAP") && !c.operation().equals("login"));
    }
}
