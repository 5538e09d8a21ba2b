package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.simulator.SimRecord;
import io.pgforce.testing.PostgresTestResource;
import io.pgforce.testing.SalesforceTestResource;
import io.pgforce.testing.UserSession;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write engine end to end: real Postgres, real routes, the simulated org over HTTP. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(SalesforceTestResource.class)
class WriteEngineTest {

    UserSession user;
    SalesforceSimulator sf;

    @BeforeEach
    void clean() {
        user = PostgresTestResource.userSession();
        user.execute("TRUNCATE salesforce._trigger_log, salesforce._trigger_log_archive, salesforce.account, salesforce.contact, salesforce.lead, salesforce.\"case\" RESTART IDENTITY");
        sf = SalesforceTestResource.simulator();
        sf.reset();
    }

    @AfterEach
    void close() {
        user.close();
    }

    private String state(long id) {
        return (String) user.scalar("SELECT state FROM salesforce._trigger_log WHERE id = ?", id);
    }

    @Test
    void anInsertArrivesInSalesforceAndItsSfidIsWrittenBack() {
        user.update("INSERT INTO salesforce.account (name, external_id__c, numberofemployees) VALUES ('Acme', 'A-1', 12)");

        await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCESS".equals(state(1)));
        Map<String, Object> row = user.query("SELECT sfid, _hc_lastop, _hc_err FROM salesforce.account").get(0);
        SimRecord record = sf.org().findByExternalId("Account", "External_Id__c", "A-1").orElseThrow();
        assertThat(row).containsEntry("sfid", record.id()).containsEntry("_hc_lastop", "INSERTED").containsEntry("_hc_err", null);
        assertThat(record.get("Name")).isEqualTo("Acme");
        assertThat(record.get("NumberOfEmployees")).isEqualTo(12.0);
        assertThat(user.scalar("SELECT sfid FROM salesforce._trigger_log WHERE id = 1")).isEqualTo(record.id());
    }
}
