package io.pgforce.triggerlog;

import io.pgforce.testing.TestSchema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteItem;
import io.pgforce.salesforce.RecordError;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.UserSession;
import io.pgforce.salesforce.Outcome;
import io.pgforce.write.OutcomeSettlement;
import java.time.Clock;
import io.pgforce.cycle.WriterLease;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trigger log's transitions (Claims, Settler, OperatorActions, Housekeeping) one after the
 * other: outcomes land in the log and on the mapping rows without being captured again, and
 * nothing changes without the writer lease.
 */
class TriggerLogTest {

    @TempDir
    Path dir;
    UserSession user;
    TestDatabase database;
    Claims claims;
    Settler settler;
    OperatorActions operatorActions;
    Housekeeping housekeeping;

    @BeforeEach
    void install() throws Exception {
        database = TestDatabase.create("results");
        SchemaInstaller.install(database.engineDataSource(), TestMappings.fromYaml(dir,
                "mappings: [{object: Account, unique_identifier: Ext__c, fields: {Name: text, Ext__c: text}}]"), TestSchema.LOCK_TIMEOUT);
        FencedLog log = new FencedLog(database.engineDataSource(), "salesforce", "host-a");
        claims = new Claims(log, true, java.time.Duration.ofSeconds(30));
        settler = new Settler(log);
        operatorActions = new OperatorActions(log);
        housekeeping = new Housekeeping(log);
        assertThat(new WriterLease(database.engineDataSource(), claims, "salesforce", "host-a", 30, Clock.systemUTC()).acquire()).isTrue();
        user = database.userSession();
        user.update("INSERT INTO salesforce.account (name, ext__c) VALUES ('Acme', 'A-1'), ('Globex', 'G-1')");
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING'");
    }

    @AfterEach
    void close() {
        user.close();
    }

    private void record(Outcome... outcomes) throws Exception {
        settler.settle(List.of(outcomes).stream().map(OutcomeSettlement::of).toList());
    }

    private static WriteItem insert(long logId, long recordId) {
        return new WriteItem("account", "Account", recordId, Operation.UPSERT, null, Map.of(), logId, List.of());
    }

    @Test
    void successWritesBackTheSfidUnderTheBypass() throws Exception {
        record(Outcome.success(insert(1, 1), "001000000000001AAA"));

        Map<String, Object> log = user.query("SELECT state, sfid, sf_result, processed_at IS NOT NULL AS processed, processed_tx FROM salesforce._trigger_log WHERE id = 1").get(0);
        assertThat(log).containsEntry("state", "SUCCESS").containsEntry("sfid", "001000000000001AAA").containsEntry("sf_result", 0).containsEntry("processed", true);
        assertThat(log.get("processed_tx")).isNotNull();
        assertThat(user.query("SELECT sfid, _hc_lastop, _hc_err FROM salesforce.account WHERE id = 1").get(0))
                .containsEntry("sfid", "001000000000001AAA").containsEntry("_hc_lastop", "INSERTED").containsEntry("_hc_err", null);
        assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log")).as("write-back not captured").isEqualTo(2);
    }

    @Test
    void anInsertAndALaterUpdateOfItsRecordSettledTogetherKeepTheInsertsSfid() throws Exception {
        user.update("UPDATE salesforce.account SET name = 'Acme 2' WHERE id = 1");
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING' WHERE id = 3");
        WriteItem update = new WriteItem("account", "Account", 1, Operation.UPDATE, "001000000000001AAA", Map.of("name", "Acme 2"), 3, List.of());
        record(Outcome.success(insert(1, 1), "001000000000001AAA"), Outcome.success(update, "001000000000001AAA"));

        assertThat(user.query("SELECT sfid, _hc_lastop FROM salesforce.account WHERE id = 1").get(0))
                .containsEntry("sfid", "001000000000001AAA").containsEntry("_hc_lastop", "UPDATED");
    }

    @Test
    void aRowTheApplicationHoldsIsLeftForLaterAndNothingWaitsForIt() throws Exception {
        try (UserSession app = database.userSession()) {
            app.connection().setAutoCommit(false);
            app.query("SELECT 1 FROM salesforce.account WHERE id = 2 FOR UPDATE");
            Settler.Settled settled = settler.settle(List.of(OutcomeSettlement.of(Outcome.success(insert(1, 1), "001000000000001AAA")),
                    OutcomeSettlement.of(Outcome.success(insert(2, 2), "001000000000002AAA"))));
            assertThat(settled.deferred()).extracting(Settlement::logId).containsExactly(2L);
            assertThat(user.query("SELECT id, state FROM salesforce._trigger_log WHERE id <= 2 ORDER BY id"))
                    .extracting(r -> r.get("id") + " " + r.get("state")).containsExactly("1 SUCCESS", "2 PENDING");
            app.connection().rollback();
        }
    }

    @Test
    void aFailedInsertIsRecordedWithItsError() throws Exception {
        RecordError error = RecordError.fromSalesforce("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", List.of("Name"));
        record(Outcome.failed(insert(1, 1), error), Outcome.success(insert(2, 2), "001000000000002AAA"));

        assertThat(user.query("SELECT state, sf_result, sf_message FROM salesforce._trigger_log WHERE id = 1").get(0))
                .containsEntry("state", "FAILED").containsEntry("sf_result", 1)
                .containsEntry("sf_message", "REQUIRED_FIELD_MISSING: Required fields are missing: [Name]");
        Map<String, Object> row = user.query("SELECT _hc_lastop, _hc_err FROM salesforce.account WHERE id = 1").get(0);
        assertThat(row).containsEntry("_hc_lastop", "FAILED");
        assertThat(new ObjectMapper().readValue(row.get("_hc_err").toString(), Map.class)).isEqualTo(Map.of(
                "operation", "INSERT", "source", "SALESFORCE", "statusCode", "REQUIRED_FIELD_MISSING",
                "message", "Required fields are missing: [Name]", "fields", List.of("Name")));
        assertThat(user.scalar("SELECT state FROM salesforce._trigger_log WHERE id = 2")).isEqualTo("SUCCESS");
    }

    @Test
    void settlingTwiceChangesNothingMore() throws Exception {
        record(Outcome.success(insert(1, 1), "001000000000001AAA"));
        Object processed = user.scalar("SELECT processed_at FROM salesforce._trigger_log WHERE id = 1");
        record(Outcome.failed(insert(1, 1), RecordError.fromPgforce("X", "late")));
        assertThat(user.query("SELECT state, processed_at FROM salesforce._trigger_log WHERE id = 1").get(0))
                .containsEntry("state", "SUCCESS").containsEntry("processed_at", processed);
    }

    @Test
    void withoutTheLeaseNothingChanges() throws Exception {
        FencedLog other = new FencedLog(database.engineDataSource(), "salesforce", "host-b");
        Claims otherClaims = new Claims(other, true, java.time.Duration.ofSeconds(30));
        Settler otherSettler = new Settler(other);
        user.update("UPDATE salesforce._trigger_log SET state = 'NEW' WHERE id = 2");

        assertThat(otherClaims.claim(10)).isEmpty();
        assertThat(otherClaims.reclaim()).isZero();
        assertThatThrownBy(() -> otherSettler.settle(List.of(OutcomeSettlement.of(Outcome.success(insert(1, 1), "001000000000001AAA")))))
                .isInstanceOf(WriterLeaseLostException.class);
        otherSettler.markBulkJob(List.of(1L), "750000000000001AAA");
        assertThat(user.query("SELECT id, state, sent_at, bulk_job_id FROM salesforce._trigger_log ORDER BY id"))
                .extracting(r -> r.get("id") + " " + r.get("state") + " " + r.get("sent_at") + " " + r.get("bulk_job_id"))
                .containsExactly("1 PENDING null null", "2 NEW null null");

        user.update("UPDATE salesforce._hc_writer SET expires_at = now() - interval '1 second'");
        assertThat(claims.claim(10)).as("an expired lease fences its holder too").isEmpty();
    }

    @Test
    void aClaimMarksItsRowsSentAndSaysWhetherTheyWereBefore() throws Exception {
        settler.markBulkJob(List.of(1L), "750000000000001AAA");
        assertThat(claims.reclaim()).isEqualTo(2);
        assertThat(claims.claim(10)).extracting(r -> r.id() + " " + r.sent() + " " + r.bulkJobId())
                .containsExactlyInAnyOrder("1 false 750000000000001AAA", "2 false null");
        assertThat(claims.reclaim()).as("as after a crash").isEqualTo(2);
        assertThat(claims.claim(10)).as("claimed before, so they may have reached Salesforce")
                .extracting(r -> r.id() + " " + r.sent()).containsExactlyInAnyOrder("1 true", "2 true");
    }

    @Test
    void aSettledRowNoLongerCarriesItsBulkJobSoThatAResubmittedRowIsSentAnew() throws Exception {
        settler.markBulkJob(List.of(1L, 2L), "750000000000001AAA");
        record(Outcome.success(insert(1, 1), "001000000000001AAA"));
        settler.settleUnsent(List.of(2L), TriggerLogState.IGNORED, "test");
        user.update("UPDATE salesforce._trigger_log SET state = 'NEW'"); // a user resubmits both

        assertThat(claims.claim(10)).extracting(r -> r.id() + " " + r.bulkJobId()).containsExactlyInAnyOrder("1 null", "2 null");
    }

    @Test
    void anArchivedRowRequeuedAndArchivedAgainKeepsItsNewestOutcome() throws Exception {
        RecordError error = RecordError.fromSalesforce("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", List.of("Name"));
        record(Outcome.failed(insert(1, 1), error), Outcome.success(insert(2, 2), "001000000000002AAA"));
        assertThat(housekeeping.archive(0)).isEqualTo(2);
        user.update("UPDATE salesforce._trigger_log_archive SET state = 'REQUEUE' WHERE id = 1");

        assertThat(housekeeping.requeue()).isEqualTo(1);
        assertThat(claims.claim(10)).extracting(ClaimedChange::id).containsExactly(1L);
        record(Outcome.success(insert(1, 1), "001000000000001AAA"));
        assertThat(housekeeping.archive(0)).isEqualTo(1);

        assertThat(user.query("SELECT state, sfid, sf_message FROM salesforce._trigger_log_archive WHERE id = 1").get(0))
                .containsEntry("state", "SUCCESS").containsEntry("sfid", "001000000000001AAA").containsEntry("sf_message", null);
    }

    @Test
    void foldedRowsBecomeMergedAndHeldRowsWaitAsNew() throws Exception {
        user.update("UPDATE salesforce.account SET name = 'Acme 2' WHERE id = 1");
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING'");
        WriteItem merged = new WriteItem("account", "Account", 1, Operation.UPSERT, null, Map.of(), 1, List.of(3L));
        WriteItem held = new WriteItem("account", "Account", 2, Operation.UPDATE, null, Map.of(), 2, List.of());

        record(Outcome.success(merged, "001000000000001AAA"), Outcome.held(held, "waiting for insert 9"));

        assertThat(user.query("SELECT id, state, sf_message FROM salesforce._trigger_log ORDER BY id")).extracting(r -> r.get("id") + " " + r.get("state") + " " + r.get("sf_message"))
                .containsExactly("1 SUCCESS null", "2 NEW waiting for insert 9", "3 MERGED merged into trigger log id 1");
    }

    @Test
    void aRowWithALaterChangeQueuedKeepsPending() throws Exception {
        user.update("UPDATE salesforce.account SET name = 'Acme 2' WHERE id = 1"); // log id 3, NEW

        record(Outcome.success(insert(1, 1), "001000000000001AAA"));

        assertThat(user.query("SELECT sfid, _hc_lastop FROM salesforce.account WHERE id = 1").get(0))
                .containsEntry("sfid", "001000000000001AAA").containsEntry("_hc_lastop", "PENDING");
    }

    @Test
    void foldedAwayRowsAreSettledAsMerged() throws Exception {
        settler.settleUnsent(List.of(1L, 2L), TriggerLogState.MERGED, "folded away");
        assertThat(user.query("SELECT state FROM salesforce._trigger_log ORDER BY id")).extracting(r -> r.get("state")).containsExactly("MERGED", "MERGED");
    }

    @Test
    void anOperatorRetriesFailedChangesLiveAndArchivedByTableIdOrAll() throws Exception {
        RecordError error = RecordError.fromSalesforce("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", List.of("Name"));
        record(Outcome.failed(insert(1, 1), error), Outcome.failed(insert(2, 2), error));
        assertThat(housekeeping.archive(0)).isEqualTo(2);
        user.update("INSERT INTO salesforce.account (name, ext__c) VALUES ('Initech', 'I-1')"); // log id 3
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING' WHERE id = 3");
        record(Outcome.failed(insert(3, 3), error));

        assertThat(operatorActions.retry(OperatorActions.Selection.ids(List.of(2L)))).isEqualTo(1);
        assertThat(user.scalar("SELECT state FROM salesforce._trigger_log_archive WHERE id = 2")).isEqualTo("REQUEUE");
        assertThat(user.scalar("SELECT state FROM salesforce._trigger_log_archive WHERE id = 1")).as("not selected").isEqualTo("FAILED");
        assertThat(operatorActions.retry(OperatorActions.Selection.table("contact"))).as("another table's errors").isZero();
        assertThat(operatorActions.retry(OperatorActions.Selection.all())).isEqualTo(2);
        assertThat(user.query("SELECT state, processed_at, sf_result FROM salesforce._trigger_log WHERE id = 3").get(0))
                .as("refused before: its record goes as it is now").containsEntry("state", "NEW").containsEntry("processed_at", null).containsEntry("sf_result", 1);
        assertThat(claims.claim(10)).filteredOn(r -> r.id() == 3L).extracting(ClaimedChange::resubmitted).containsExactly(true);
        assertThat(operatorActions.retry(OperatorActions.Selection.all())).as("nothing failed any more").isZero();
    }

    @Test
    void anOperatorIgnoresFailedChangesWhichThenNoLongerCountAsWriteErrors() throws Exception {
        RecordError error = RecordError.fromSalesforce("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", List.of("Name"));
        record(Outcome.failed(insert(1, 1), error), Outcome.failed(insert(2, 2), error));
        assertThat(housekeeping.archive(0)).isEqualTo(2);
        user.update("UPDATE salesforce._trigger_log_archive SET state = 'REQUEUE' WHERE id = 1");
        housekeeping.requeue();
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING' WHERE id = 1");
        record(Outcome.failed(insert(1, 1), error));

        assertThat(operatorActions.ignore(OperatorActions.Selection.table("account"))).isEqualTo(2);
        assertThat(user.scalar("SELECT state FROM salesforce._trigger_log WHERE id = 1")).isEqualTo("IGNORED");
        assertThat(user.scalar("SELECT state FROM salesforce._trigger_log_archive WHERE id = 2")).isEqualTo("IGNORED");
        assertThat(user.scalar("SELECT sf_message FROM salesforce._trigger_log WHERE id = 1")).as("the error stays readable")
                .isEqualTo("REQUIRED_FIELD_MISSING: Required fields are missing: [Name]");
        assertThat(new TriggerLogStatistics(database.engineDataSource(), "salesforce").perTable().get("account").failed()).isZero();
    }

    @Test
    void nothingIsClaimedWhileAnOperatorHasPausedWritingEvenByACycleThatStartedBefore() throws Exception {
        claims.reclaim();
        user.update("INSERT INTO salesforce._hc_connection (id, paused, changed_at, changed_by) VALUES (1, true, now(), 'operator')");
        assertThat(claims.claim(10)).as("paused").isEmpty();

        user.update("UPDATE salesforce._hc_connection SET paused = false");
        assertThat(claims.claim(10)).hasSize(2);
    }
}
