package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A field's direction end to end (test-read.yaml's Account): Website is read_only (another
 * system's), Phone write_only (the application's), and neither side overwrites the other's with a
 * stale copy. LastActivityDate, which Salesforce lets nobody write, is mapped read_only: the
 * application started, so the describe check took it.
 */
@QuarkusTest
@EndToEnd(mapping = "test-read.yaml")
@TestProfile(ReadTestProfile.class)
class FieldDirectionTest extends EndToEndReads {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Test
    void aReadOnlyFieldChangedInPostgresIsNotSentAndAWriteOnlyOneIs() throws Exception {
        r.resume();
        r.t.db.update("INSERT INTO salesforce.account (name, website, phone, external_id__c) VALUES ('Acme', 'local.example', '555-0100', 'D-1')");
        r.t.drained(WITHIN);
        assertThat(r.t.record("Account", "D-1").get("Phone")).isEqualTo("555-0100");
        assertThat(r.t.record("Account", "D-1").get("Website")).as("read_only: never sent").isNull();
        assertThat((String) r.t.db.scalar("SELECT \"values\"::text FROM salesforce._trigger_log WHERE action = 'INSERT'")).as("nor captured")
                .contains("phone").doesNotContain("website");

        r.t.db.update("UPDATE salesforce.account SET website = 'other.example' WHERE external_id__c = 'D-1'");

        assertThat(r.t.db.query("SELECT action, state FROM salesforce._trigger_log ORDER BY id DESC LIMIT 1"))
                .as("nothing to send: no write at all").containsExactly(Map.of("action", "UPDATE", "state", "IGNORE"));
        assertThat(r.t.db.scalar("SELECT _hc_lastop FROM salesforce.account WHERE external_id__c = 'D-1'")).isNotEqualTo("PENDING");

        r.t.db.update("UPDATE salesforce.account SET phone = '555-0199', website = 'third.example' WHERE external_id__c = 'D-1'");
        r.t.drained(WITHIN);
        assertThat(r.t.record("Account", "D-1").get("Phone")).isEqualTo("555-0199");
        assertThat(r.t.record("Account", "D-1").get("Website")).isNull();
    }

    @Test
    void aReadOnlyFieldChangedInSalesforceArrivesAndAWriteOnlyOneDoesNotOverwriteTheRow() throws Exception {
        r.resume();
        String id = r.create("Account", Map.of("Name", "Remote", "Website", "sf.example", "Phone", "555-SF", "External_Id__c", "D-2"));
        await().atMost(WITHIN).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid = ?", id) == 1);
        assertThat(r.t.db.query("SELECT website, phone FROM salesforce.account WHERE sfid = ?", id)).extracting(row -> row.get("website") + " " + row.get("phone"))
                .as("a new row's write_only column stays NULL").containsExactly("sf.example null");

        r.t.db.update("UPDATE salesforce.account SET phone = '555-0100' WHERE sfid = ?", id);
        r.t.drained(WITHIN);
        assertThat(r.t.record("Account", "D-2").get("Phone")).isEqualTo("555-0100");

        // another Salesforce user changes both
        r.update("Account", id, Map.of("Website", "new.example", "Phone", "555-STALE"));

        await().atMost(WITHIN).until(() -> "new.example".equals(r.t.db.scalar("SELECT website FROM salesforce.account WHERE sfid = ?", id)));
        assertThat(r.t.db.scalar("SELECT phone FROM salesforce.account WHERE sfid = ?", id)).as("write_only: not overwritten").isEqualTo("555-0100");
        assertThat(r.t.db.count("SELECT count(*) FROM salesforce._trigger_log")).as("only the application's change was captured").isOne();
    }
}
