package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.Faults;
import io.pgforce.simulator.SimRecord;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ordered Writes end to end, one test per behaviour the original's documentation names: real
 * Postgres, the real routes, the simulated org over HTTP.
 */
@QuarkusTest
@EndToEnd
class OrderedWritesTest extends WriteAlgorithmContract {

    private void insertAccounts(int n) {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Account ' || g, 'A-' || g FROM generate_series(1, ?) g", n);
    }

    @Test
    void anInsertArrivesInSalesforceAndItsSfidIsWrittenBack() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c, numberofemployees) VALUES ('  Acme  ', 'A-1', 12)");
        t.drained(Duration.ofSeconds(20));

        SimRecord record = t.record("Account", "A-1");
        assertThat(t.db.query("SELECT sfid, _hc_lastop, _hc_err FROM salesforce.account").get(0))
                .containsEntry("sfid", record.id()).containsEntry("_hc_lastop", "INSERTED").containsEntry("_hc_err", null);
        assertThat(record.get("Name")).as("Salesforce trims").isEqualTo("Acme");
        assertThat(record.get("NumberOfEmployees")).isEqualTo(12.0);
        assertThat(t.db.query("SELECT state, sfid, processed_at IS NOT NULL AS processed FROM salesforce._trigger_log").get(0))
                .containsEntry("state", "SUCCESS").containsEntry("sfid", record.id()).containsEntry("processed", true);
        assertThat(t.db.count("SELECT count(*) FROM salesforce._trigger_log")).as("the write-back is not captured").isEqualTo(1);
    }

    @Test
    void contiguousInsertsBelow2000GoOverSoap() {
        insertAccounts(1999);
        t.drained(Duration.ofSeconds(60));

        assertThat(t.states("SUCCESS")).isEqualTo(1999);
        assertThat(t.calls("SOAP", "upsert")).hasSize(10);
        assertThat(t.calls("BULK", "createJob")).isEmpty();
        assertThat(t.sf.org().count("Account")).isEqualTo(1999);
    }

    @Test
    void twoThousandContiguousInsertsGoInOneBulkJob() {
        insertAccounts(2000);
        t.drained(Duration.ofSeconds(60));

        assertThat(t.states("SUCCESS")).isEqualTo(2000);
        assertThat(t.calls("BULK", "createJob")).hasSize(1);
        assertThat(t.calls("SOAP", "upsert")).isEmpty();
        assertThat(t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid IS NOT NULL AND _hc_lastop = 'INSERTED'")).isEqualTo(2000);
    }

    @Test
    void tenThousandAndOneInsertsGoInTwoBulkJobs() {
        insertAccounts(10_001);
        t.drained(Duration.ofSeconds(120));

        assertThat(t.states("SUCCESS")).isEqualTo(10_001);
        assertThat(t.calls("BULK", "createJob")).hasSize(2);
        assertThat(t.calls("BULK", "ingest:upsert")).extracting(CallLog.Call::records).containsExactlyInAnyOrder(10_000, 1);
        assertThat(t.sf.org().count("Account")).isEqualTo(10_001);
    }

    @Test
    void recordsABulkJobFailsAreRetriedOverSoapForTheirExactError() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT CASE WHEN g % 500 = 0 THEN NULL ELSE 'Account ' || g END, 'A-' || g "
                + "FROM generate_series(1, 2000) g");
        t.drained(Duration.ofSeconds(60));

        assertThat(t.calls("BULK", "createJob")).hasSize(1);
        assertThat(t.calls("SOAP", "upsert")).singleElement().extracting(CallLog.Call::records).isEqualTo(4);
        assertThat(t.states("SUCCESS")).isEqualTo(1996);
        assertThat(t.db.query("SELECT sf_message FROM salesforce._trigger_log WHERE state = 'FAILED'")).hasSize(4)
                .allSatisfy(r -> assertThat(r.get("sf_message")).isEqualTo("REQUIRED_FIELD_MISSING: Required fields are missing: [Name]"));
    }

    @Test
    void theDailyApiLimitMakesChangesWaitNotFail() {
        t.sf.faults().dailyApiLimit(t.sf.faults().apiRequests());
        insertAccounts(3);
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(t.states("FAILED")).isZero();
        assertThat(t.states("PENDING")).isEqualTo(3);

        t.sf.faults().dailyApiLimit(15_000_000);
        t.drained(Duration.ofSeconds(20));
        assertThat(t.states("SUCCESS")).isEqualTo(3);
    }

    @Test
    void withoutAUniqueIdentifierEvenLongRunsGoOverSoap() {
        t.db.update("INSERT INTO salesforce.lead (lastname, company) SELECT 'Lead ' || g, 'Co' FROM generate_series(1, 2000) g");
        t.drained(Duration.ofSeconds(60));

        assertThat(t.states("SUCCESS")).isEqualTo(2000);
        assertThat(t.calls("SOAP", "create")).hasSize(10);
        assertThat(t.calls("BULK", "createJob")).isEmpty();
    }

    @Test
    void alternatingTwoObjectsRespectsTheChunkLimit() {
        t.transaction(db -> {
            for (int i = 1; i <= 100; i++) {
                db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (?, ?)", "A" + i, "A-" + i);
                db.update("INSERT INTO salesforce.contact (lastname, external_id__c) VALUES (?, ?)", "C" + i, "C-" + i);
            }
        });
        t.drained(Duration.ofSeconds(60));

        List<CallLog.Call> calls = t.calls("SOAP", "upsert");
        assertThat(calls).hasSize(20).allSatisfy(c -> {
            assertThat(c.chunks()).isEqualTo(10);
            assertThat(c.records()).isEqualTo(10);
            assertThat(c.outcome()).isEqualTo("OK");
        });
    }

    @Test
    void aFailedInsertHoldsBackLaterChangesUntilItIsResubmitted() {
        // the parent does not exist yet: Salesforce rejects the child's insert
        t.db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES ('Doe', 'C-1', 'A-404')");
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(t.state(1)));
        assertThat(t.db.scalar("SELECT sf_message FROM salesforce._trigger_log WHERE id = 1").toString())
                .startsWith("INVALID_CROSS_REFERENCE_KEY: Foreign key external ID: A-404 not found");
        Map<String, Object> row = t.db.query("SELECT _hc_lastop, _hc_err FROM salesforce.contact").get(0);
        assertThat(row.get("_hc_lastop")).isEqualTo("FAILED");
        assertThat(row.get("_hc_err").toString()).contains("\"statusCode\":\"INVALID_CROSS_REFERENCE_KEY\"").contains("\"operation\":\"INSERT\"");

        t.db.update("UPDATE salesforce.contact SET email = 'doe@example.com'");
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Found', 'A-404')"); // the parent arrives
        await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCESS".equals(t.state(3)));
        assertThat(t.state(2)).as("held behind the failed insert").isEqualTo("NEW");
        assertThat(t.db.scalar("SELECT sf_message FROM salesforce._trigger_log WHERE id = 2").toString()).contains("trigger log id 1");

        t.db.update("UPDATE salesforce._trigger_log SET state = 'NEW' WHERE id = 1"); // resubmit
        t.drained(Duration.ofSeconds(20));

        assertThat(t.state(1)).isEqualTo("SUCCESS");
        assertThat(t.state(2)).isEqualTo("SUCCESS");
        SimRecord contact = t.record("Contact", "C-1");
        assertThat(contact.get("Email")).isEqualTo("doe@example.com");
        t.assertParentOf("C-1", "A-404");
    }

    @Test
    void aFailedInsertFixedInItsRowGoesAsTheRowIsNowWhenResubmitted() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (NULL, 'FIX-1')");
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(t.state(1)));
        assertThat(t.db.scalar("SELECT sf_message FROM salesforce._trigger_log WHERE id = 1")).isEqualTo("REQUIRED_FIELD_MISSING: Required fields are missing: [Name]");

        t.db.update("UPDATE salesforce.account SET name = 'Fixed', description = 'set after the failure'"); // the user's fix: held behind the insert
        await().atMost(Duration.ofSeconds(20)).until(() -> t.db.scalar("SELECT sf_message FROM salesforce._trigger_log WHERE id = 2") != null);
        t.db.update("UPDATE salesforce._trigger_log SET state = 'NEW' WHERE id = 1"); // resubmit, as the held change's message says
        t.drained(Duration.ofSeconds(20));

        assertThat(t.state(1)).isEqualTo("SUCCESS");
        assertThat(t.state(2)).isEqualTo("SUCCESS");
        SimRecord account = t.record("Account", "FIX-1");
        assertThat(account.get("Name")).isEqualTo("Fixed");
        assertThat(account.get("Description")).isEqualTo("set after the failure");
        assertThat(t.db.scalar("SELECT _hc_lastop FROM salesforce.account")).isEqualTo("UPDATED");
    }

    /**
     * A window long enough for pgforce to give up, were there anything to give up on: more attempts
     * than a record is retried (pgforce.retry.record-attempts, 5), and several of them at the
     * back-off's cap (pgforce.retry.max-delay, 1 s in the tests), as a window of many minutes is
     * at production's 60 s. It is waited out by attempts, not by a minute of the clock: nothing in
     * the outage wait counts time (its redeliveries are unbounded).
     */
    @Test
    void aMaintenanceWindowLosesNothingAndFailsNothing() {
        t.sf.faults().maintenance(true);
        insertAccounts(5);
        t.db.update("UPDATE salesforce.account SET name = name || ' (edited)' WHERE id <= 2");
        int attempts = 12;
        await().atMost(Duration.ofSeconds(60)).until(() -> t.calls("SOAP", "upsert").size() >= attempts);

        assertThat(t.states("FAILED")).isZero();
        assertThat(t.db.count("SELECT count(*) FROM salesforce._trigger_log WHERE state IN ('NEW', 'PENDING')")).isEqualTo(7);
        List<CallLog.Call> tries = t.calls("SOAP", "upsert");
        assertThat(Duration.between(tries.get(attempts - 2).at(), tries.get(attempts - 1).at())).as("kept trying at the back-off's cap")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));

        t.sf.faults().maintenance(false);
        t.drained(Duration.ofSeconds(30));
        assertThat(t.states("SUCCESS")).isEqualTo(7);
        assertThat(t.sf.org().records("Account")).extracting(r -> r.get("Name"))
                .containsExactlyInAnyOrder("Account 1 (edited)", "Account 2 (edited)", "Account 3", "Account 4", "Account 5");
    }

    @Test
    void salesforceUnreachableIsWaitedOut() {
        t.sf.faults().unavailable(Faults.Unavailable.CONNECTION_RESET);
        insertAccounts(3);
        // camel-cxf's conduit may fail on a thread of its own while it unwinds a reset call (see
        // drainedAfterALostResponse): what pgforce makes of it is what is checked
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(10)).until(() -> t.states("PENDING") == 3);
        t.sf.faults().unavailable(Faults.Unavailable.HTTP_503);
        await().dontCatchUncaughtExceptions().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(t.states("FAILED")).isZero();

        t.sf.faults().unavailable(Faults.Unavailable.NONE);
        t.drainedAfterALostResponse(Duration.ofSeconds(20));
        assertThat(t.states("SUCCESS")).isEqualTo(3);
    }

    @Test
    void anExpiredSessionIsRenewedAndTheCallRepeated() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('First', 'F-1')");
        t.drained(Duration.ofSeconds(20));
        t.sf.sessions().expireAll();
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Second', 'F-2')");
        t.drained(Duration.ofSeconds(20));

        assertThat(t.states("SUCCESS")).isEqualTo(2);
        assertThat(t.calls("SOAP", "upsert")).extracting(CallLog.Call::outcome).containsExactly("OK", "INVALID_SESSION_ID", "OK");
        assertThat(t.calls("OAUTH", "token")).as("logged in again").isNotEmpty();
    }

    @Test
    void aLostResponseAndItsRetryMakeNoDuplicate() {
        t.sf.faults().loseResponses(1);
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Once', 'O-1')");
        t.drainedAfterALostResponse(Duration.ofSeconds(20));

        assertThat(t.calls("SOAP", "upsert")).extracting(CallLog.Call::outcome).containsExactly("RESPONSE_LOST (OK)", "OK");
        assertThat(t.sf.org().records("Account")).hasSize(1);
        assertThat(t.db.scalar("SELECT sfid FROM salesforce.account")).isEqualTo(t.sf.org().records("Account").get(0).id());
    }

    @Test
    void aRecordSalesforceCannotLockIsSentAgainAndItsRowSaysOnWhichAttempt() {
        t.sf.faults().lockRows(0.3, 7);
        insertAccounts(50);
        t.drained(Duration.ofSeconds(30));

        assertThat(t.states("SUCCESS")).isEqualTo(50);
        assertThat(t.calls("SOAP", "upsert").size()).as("records sent again").isGreaterThan(1);
        assertThat(t.sf.org().count("Account")).isEqualTo(50);
        assertThat(t.db.query("SELECT sf_message FROM salesforce._trigger_log WHERE sf_message IS NOT NULL")).isNotEmpty()
                .allSatisfy(r -> assertThat((String) r.get("sf_message")).matches("Written on attempt [2-5] \\(before: UNABLE_TO_LOCK_ROW: .*\\)"));
    }

    @Test
    void aRecordThatStaysLockedFailsAfterTheLastAttemptWithItsAttempts() {
        t.sf.faults().lockRows(1.0, 7);
        insertAccounts(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> t.states("FAILED") == 3);

        assertThat(t.calls("SOAP", "upsert")).as("one call per attempt, with every record still locked").hasSize(5);
        assertThat(t.db.query("SELECT sf_message FROM salesforce._trigger_log"))
                .allSatisfy(r -> assertThat((String) r.get("sf_message")).startsWith("UNABLE_TO_LOCK_ROW: ").endsWith("(5 attempts)"));
    }

    @Test
    void assignmentRulesRunOnlyWhereConfigured() {
        t.db.update("INSERT INTO salesforce.lead (lastname, company) VALUES ('Lead', 'Co')");
        t.db.update("INSERT INTO salesforce.\"case\" (subject, external_id__c) VALUES ('Help', 'CS-1')");
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Acme', 'A-1')");
        t.drained(Duration.ofSeconds(20));

        assertThat(t.sf.org().records("Lead").get(0).assignmentRule()).isEqualTo("default");
        assertThat(t.sf.org().records("Case").get(0).assignmentRule()).isNull();
        assertThat(t.calls("SOAP", "create")).singleElement().satisfies(c -> assertThat(c.detail()).containsEntry("assignmentRule", "default"));
        assertThat(t.calls("SOAP", "upsert")).allSatisfy(c -> assertThat(c.detail()).doesNotContainKey("assignmentRule"));
    }

    @Test
    void aRecordErrorFailsOnlyThatRecord() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Good', 'G-1'), (NULL, 'B-1'), ('Also good', 'G-2')");
        t.drained(Duration.ofSeconds(20));

        assertThat(t.db.query("SELECT state, sf_message FROM salesforce._trigger_log ORDER BY id")).extracting(r -> r.get("state"))
                .containsExactly("SUCCESS", "FAILED", "SUCCESS");
        assertThat(t.db.scalar("SELECT sf_message FROM salesforce._trigger_log WHERE id = 2")).isEqualTo("REQUIRED_FIELD_MISSING: Required fields are missing: [Name]");
    }

    @Test
    void deletesAndUpdatesFollowTheirInsertInOneCycle() {
        t.transaction(db -> {
            db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Short-lived', 'S-1'), ('Kept', 'K-1')");
            db.update("UPDATE salesforce.account SET name = 'Kept and edited' WHERE external_id__c = 'K-1'");
            db.update("DELETE FROM salesforce.account WHERE external_id__c = 'S-1'");
        });
        t.drained(Duration.ofSeconds(20));

        assertThat(t.states("SUCCESS")).isEqualTo(4);
        assertThat(t.sf.org().records("Account")).extracting(r -> r.get("Name")).containsExactly("Kept and edited");
    }
}
