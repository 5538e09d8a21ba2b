package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A team leaving Heroku Connect with read-only mappings: the original's mapping export (six
 * read-only mappings, no types in it) imported (AdminApiImportTest writes exactly this mapping
 * file, typed from the org's describe), and pgforce started on an empty database creates the
 * tables and fills them from the org.
 */
@QuarkusTest
@EndToEnd(mapping = "heroku-connect-read-only-import.yaml")
@TestProfile(ReadTestProfile.class)
class ReadOnlyExportTest extends EndToEndReads {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final List<String> TABLES = List.of("account", "contact", "lead", "case", "opportunity", "invoice__c");

    @Test
    void theExportsReadOnlyTablesFillFromTheOrg() throws Exception {
        String account = r.create("Account", Map.of("Name", "Acme", "NumberOfEmployees", 12, "AnnualRevenue", 1500000.5, "Industry", "Retail",
                "External_Id__c", "A-1"));
        r.create("Contact", Map.of("LastName", "Doe", "FirstName", "Jane", "Birthdate", "1980-02-29", "AccountId", account));
        r.create("Lead", Map.of("LastName", "Roe", "Company", "Roe Inc", "Status", "Working - Contacted"));
        r.create("Case", Map.of("Subject", "Broken", "Status", "New", "Priority", "High", "AccountId", account));
        r.create("Opportunity", Map.of("Name", "Big deal", "StageName", "Prospecting", "CloseDate", "2027-01-31", "Amount", 2500.25,
                "Probability", 40, "AccountId", account));
        r.create("Invoice__c", Map.of("Name", "INV-1", "Amount__c", 99.5, "Paid__c", true, "Due_Date__c", "2027-02-01",
                "Issued_At__c", "2026-12-01T10:15:30.000+0000", "Account__c", account));

        r.resume();

        for (String table : TABLES) {
            await(table).atMost(WITHIN).until(() -> "SYNCED".equals(r.state(table).get("phase"))
                    && r.t.db.count("SELECT count(*) FROM salesforce.\"" + table + "\"") == 1);
        }
        assertThat(r.t.db.query("SELECT name, numberofemployees, annualrevenue, industry, external_id__c, _hc_lastop FROM salesforce.account").get(0))
                .containsEntry("name", "Acme").containsEntry("numberofemployees", 12.0).containsEntry("annualrevenue", 1500000.5)
                .containsEntry("industry", "Retail").containsEntry("_hc_lastop", "SYNCED");
        assertThat(r.t.db.query("SELECT name, amount__c, paid__c, due_date__c::text AS due, issued_at__c::text AS issued FROM salesforce.invoice__c").get(0))
                .containsEntry("amount__c", 99.5).containsEntry("paid__c", true).containsEntry("due", "2027-02-01")
                .containsEntry("issued", "2026-12-01 10:15:30");
        assertThat(r.t.db.query("SELECT closedate::text AS closedate, amount, probability FROM salesforce.opportunity").get(0))
                .containsEntry("closedate", "2027-01-31").containsEntry("amount", 2500.25).containsEntry("probability", 40.0);
        assertThat(r.t.db.query("SELECT lastname, accountid, account__r__external_id__c FROM salesforce.contact").get(0))
                .containsEntry("lastname", "Doe").containsEntry("accountid", account).containsEntry("account__r__external_id__c", "A-1");
        assertThat(r.t.db.scalar("SELECT account__c FROM salesforce.invoice__c")).isEqualTo(account);
        assertThat(r.t.db.count("SELECT count(*) FROM salesforce._trigger_log")).as("nothing the read wrote was captured").isZero();
    }
}
