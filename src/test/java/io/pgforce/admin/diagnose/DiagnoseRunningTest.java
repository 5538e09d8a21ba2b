package io.pgforce.admin.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.config.MappingSet;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.WriteTestSupport;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.net.URL;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Diagnose of the running configuration (the test mapping) through GET /api/diagnose: what the
 * database holds, the listener, the backlog. Whatever a test drops is put back by the installer.
 */
@QuarkusTest
@EndToEnd
class DiagnoseRunningTest {

    @TestHTTPResource("/api/diagnose")
    URL endpoint;
    @Inject
    @Named("pgforceDataSource")
    DataSource dataSource;
    @Inject
    MappingSet mappings;

    DiagnoseClient diagnose;
    WriteTestSupport support;

    @BeforeEach
    void open() {
        diagnose = new DiagnoseClient(endpoint);
        support = new WriteTestSupport();
    }

    @AfterEach
    void restore() {
        SchemaInstaller.install(dataSource, mappings, Duration.ofMillis(50));
        support.close();
    }

    @Test
    void theTestMappingsDoublePrecisionEmployeesIsRedAndWhatIsInstalledIsGreen() {
        DiagnoseClient.Report report = diagnose.get();

        assertThat(report.one("Account", "column-type", "RED").path("message").asText()).contains("NumberOfEmployees", "double precision", "int");
        assertThat(report.one("Lead", "unique-identifier", "YELLOW").path("message").asText()).contains("Lead");
        report.all("Contact", "capture-triggers", "GREEN");
        report.all("Contact", "indexes", "GREEN");
        report.all("connection", "schema", "GREEN");
        report.all("connection", "backlog-age", "GREEN");
        report.all("connection", "api-version", "GREEN");
        assertThat(report.status()).isEqualTo("RED");
    }

    @Test
    void aDroppedCaptureTriggerIsRed() {
        support.db.execute("DROP TRIGGER hc_contact_logtrigger_upd ON salesforce.contact");

        DiagnoseClient.Report report = diagnose.get();

        assertThat(report.one("Contact", "capture-triggers", "RED").path("message").asText()).contains("hc_contact_logtrigger_upd", "not captured");
        report.all("Account", "capture-triggers", "GREEN");
    }

    @Test
    void anOlderPgforcesRowTriggerBesideTheStatementTriggersIsRed() {
        support.db.execute("CREATE TRIGGER hc_contact_logtrigger AFTER INSERT OR UPDATE OR DELETE ON salesforce.contact FOR EACH ROW"
                + " EXECUTE FUNCTION salesforce.hc_trigger_log_notify()");

        DiagnoseClient.Report report = diagnose.get();

        assertThat(report.one("Contact", "capture-triggers", "RED").path("message").asText()).contains("hc_contact_logtrigger", "twice");
    }

    @Test
    void aCaptureFunctionEditedByHandIsYellow() {
        support.db.execute("CREATE OR REPLACE FUNCTION salesforce.hc_contact_status() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$");

        DiagnoseClient.Report report = diagnose.get();

        assertThat(report.one("Contact", "capture-triggers", "YELLOW").path("message").asText()).contains("salesforce.hc_contact_status", "differs");
    }

    @Test
    void aDroppedIndexIsYellow() {
        support.db.execute("DROP INDEX salesforce.hcu_idx_contact_external_id__c");

        DiagnoseClient.Report report = diagnose.get();

        assertThat(report.one("Contact", "indexes", "YELLOW").path("message").asText()).contains("hcu_idx_contact_external_id__c");
        report.all("Account", "indexes", "GREEN");
    }

    @Test
    void aRowInAStatePgforceDoesNotKnowIsLeftAloneAndYellow() {
        support.db.update("INSERT INTO salesforce.lead (lastname, company) VALUES ('Held', 'Initech')");
        support.db.update("UPDATE salesforce._trigger_log SET state = 'HOLD'");
        diagnose.get().one("connection", "unreadable-changes", "GREEN");

        assertThat(diagnose.get().one("connection", "unknown-states", "YELLOW").path("message").asText()).endsWith("HOLD 1");
        assertThat(support.db.scalar("SELECT state FROM salesforce._trigger_log")).isEqualTo("HOLD");
    }

    @Test
    void theListenerIsConnected() {
        await().atMost(Duration.ofSeconds(10)).until(() -> support.db.count(
                "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN salesforce_hc_trigger_log%'") == 1);

        diagnose.get().one("connection", "listener", "GREEN");
    }

    @Test
    void aChangeWaitingLongerThanTheMaximumBacklogAgeIsRed() {
        // an insert the org rejects (validation rule) holds the record's later changes NEW
        support.db.update("INSERT INTO salesforce.account (name, numberofemployees, external_id__c) VALUES ('Neg', -1, 'NEG-1')");
        await().atMost(Duration.ofSeconds(10)).until(() -> support.states("FAILED") == 1);
        support.db.update("UPDATE salesforce.account SET name = 'Still negative'");
        await().atMost(Duration.ofSeconds(10)).until(() -> support.db.count(
                "SELECT count(*) FROM salesforce._trigger_log WHERE state = 'NEW' AND sf_message IS NOT NULL") == 1);
        diagnose.get().one("connection", "backlog-age", "GREEN");

        support.db.update("UPDATE salesforce._trigger_log SET created_at = now() - interval '1 hour' WHERE state = 'NEW'");

        assertThat(diagnose.get().one("connection", "backlog-age", "RED").path("message").asText()).contains("pgforce.health.max-backlog-age");
    }
}
