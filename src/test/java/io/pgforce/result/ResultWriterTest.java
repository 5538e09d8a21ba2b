package io.pgforce.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteItem;
import io.pgforce.salesforce.RecordError;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.UserSession;
import io.pgforce.write.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outcomes land in the trigger log and on the mapping rows without being captured again. */
class ResultWriterTest {

    @TempDir
    Path dir;
    UserSession user;
    ResultWriter writer;

    @BeforeEach
    void install() {
        TestDatabase database = TestDatabase.create("results");
        SchemaInstaller.install(database.engineDataSource(), TestMappings.fromYaml(dir,
                "mappings: [{object: Account, unique_identifier: Ext__c, fields: {Name: text, Ext__c: text}}]"));
        writer = new ResultWriter(database.engineDataSource(), "salesforce");
        user = database.userSession();
        user.update("INSERT INTO salesforce.account (name, ext__c) VALUES ('Acme', 'A-1'), ('Globex', 'G-1')");
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING'");
    }

    @AfterEach
    void close() {
        user.close();
    }

    private static WriteItem insert(long logId, long recordId) {
        return new WriteItem("account", "Account", recordId, Operation.UPSERT, null, Map.of(), logId, List.of());
    }

    @Test
    void successWritesBackTheSfidUnderTheBypass() throws Exception {
        writer.record(List.of(Outcome.success(insert(1, 1), "001000000000001AAA")));

        Map<String, Object> log = user.query("SELECT state, sfid, sf_result, processed_at IS NOT NULL AS processed, processed_tx FROM salesforce._trigger_log WHERE id = 1").get(0);
        assertThat(log).containsEntry("state", "SUCCESS").containsEntry("sfid", "001000000000001AAA").containsEntry("sf_result", 0).containsEntry("processed", true);
        assertThat(log.get("processed_tx")).isNotNull();
        assertThat(user.query("SELECT sfid, _hc_lastop, _hc_err FROM salesforce.account WHERE id = 1").get(0))
                .containsEntry("sfid", "001000000000001AAA").containsEntry("_hc_lastop", "INSERTED").containsEntry("_hc_err", null);
        assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log")).as("write-back not captured").isEqualTo(2);
    }

    @Test
    void aFailedInsertGoesToTheErrorChannelAndIsRecordedThere() throws Exception {
        RecordError error = RecordError.fromSalesforce("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", List.of("Name"));
        List<Outcome> channel = writer.record(List.of(Outcome.failed(insert(1, 1), error), Outcome.success(insert(2, 2), "001000000000002AAA")));

        assertThat(channel).extracting(o -> o.item().logId()).containsExactly(1L);
        assertThat(user.scalar("SELECT state FROM salesforce._trigger_log WHERE id = 1")).isEqualTo("PENDING");

        writer.recordFailedInsert(channel.get(0));
        assertThat(user.query("SELECT state, sf_result, sf_message FROM salesforce._trigger_log WHERE id = 1").get(0))
                .containsEntry("state", "FAILED").containsEntry("sf_result", 1)
                .containsEntry("sf_message", "REQUIRED_FIELD_MISSING: Required fields are missing: [Name]");
        Map<String, Object> row = user.query("SELECT _hc_lastop, _hc_err FROM salesforce.account WHERE id = 1").get(0);
        assertThat(row).containsEntry("_hc_lastop", "FAILED");
        assertThat(new ObjectMapper().readValue(row.get("_hc_err").toString(), Map.class)).isEqualTo(Map.of(
                "operation", "INSERT", "source", "SALESFORCE", "statusCode", "REQUIRED_FIELD_MISSING",
                "message", "Required fields are missing: [Name]", "fields", List.of("Name")));
    }

    @Test
    void foldedRowsBecomeMergedAndHeldRowsWaitAsNew() throws Exception {
        user.update("UPDATE salesforce.account SET name = 'Acme 2' WHERE id = 1");
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING'");
        WriteItem merged = new WriteItem("account", "Account", 1, Operation.UPSERT, null, Map.of(), 1, List.of(3L));
        WriteItem held = new WriteItem("account", "Account", 2, Operation.UPDATE, null, Map.of(), 2, List.of());

        writer.record(List.of(Outcome.success(merged, "001000000000001AAA"), Outcome.held(held, "waiting for insert 9")));

        assertThat(user.query("SELECT id, state, sf_message FROM salesforce._trigger_log ORDER BY id")).extracting(r -> r.get("id") + " " + r.get("state") + " " + r.get("sf_message"))
                .containsExactly("1 SUCCESS null", "2 NEW waiting for insert 9", "3 MERGED merged into trigger log id 1");
    }

    @Test
    void aRowWithALaterChangeQueuedKeepsPending() throws Exception {
        user.update("UPDATE salesforce.account SET name = 'Acme 2' WHERE id = 1"); // log id 3, NEW

        writer.record(List.of(Outcome.success(insert(1, 1), "001000000000001AAA")));

        assertThat(user.query("SELECT sfid, _hc_lastop FROM salesforce.account WHERE id = 1").get(0))
                .containsEntry("sfid", "001000000000001AAA").containsEntry("_hc_lastop", "PENDING");
    }

    @Test
    void foldedAwayRowsAreSettledAsMerged() throws Exception {
        writer.settleMerged(List.of(1L, 2L));
        assertThat(user.query("SELECT state FROM salesforce._trigger_log ORDER BY id")).extracting(r -> r.get("state")).containsExactly("MERGED", "MERGED");
    }
}
