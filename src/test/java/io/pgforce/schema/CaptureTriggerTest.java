package io.pgforce.schema;

import io.pgforce.testing.TestSchema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.UserSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

/** The capture triggers, against a real Postgres, rule by rule. */
class CaptureTriggerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestDatabase database;
    PGSimpleDataSource engine;
    UserSession user;

    @BeforeEach
    void install() {
        database = TestDatabase.create("capture");
        engine = database.engineDataSource();
        SchemaInstaller.install(engine, TestMappings.fromYaml(dir, """
                mappings:
                  - object: Account
                    unique_identifier: External_Id__c
                    fields: {Name: varchar(255), NumberOfEmployees: double precision, External_Id__c: varchar(64)}
                  - object: Contact
                    truncate: delete
                    fields: {LastName: varchar(80)}
                    relationships: [{name: Account, external_id: External_Id__c}]
                  - object: Product2
                    access: read_only
                    fields: {Name: varchar(255)}
                """), TestSchema.LOCK_TIMEOUT);
        user = database.userSession();
        user.execute("ALTER TABLE salesforce.account ADD COLUMN notes text"); // a column of the user's own
    }

    @AfterEach
    void close() {
        user.close();
    }

    private List<Map<String, Object>> log() {
        return user.query("SELECT id, state, action, table_name, record_id, sfid, old::text AS old, values::text AS values, txid FROM salesforce._trigger_log ORDER BY id");
    }

    private static Map<String, Object> json(Object text) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = text == null ? null : JSON.readValue(text.toString(), Map.class);
        return map;
    }

    @Test
    void insertCapturesEveryMappedColumnAndNothingElse() throws Exception {
        user.update("INSERT INTO salesforce.account (name, numberofemployees, external_id__c, notes) VALUES ('Acme', 12, 'A-1', 'private')");

        Map<String, Object> row = log().get(0);
        assertThat(row).containsEntry("state", "NEW").containsEntry("action", "INSERT").containsEntry("table_name", "account")
                .containsEntry("record_id", 1).containsEntry("sfid", null).containsEntry("old", null);
        assertThat(json(row.get("values"))).isEqualTo(Map.of("name", "Acme", "numberofemployees", 12, "external_id__c", "A-1"));
        assertThat(row.get("txid")).isNotNull();
    }

    @Test
    void insertCapturesRelationshipColumns() throws Exception {
        user.update("INSERT INTO salesforce.contact (lastname, account__r__external_id__c) VALUES ('Doe', 'A-1')");
        assertThat(json(log().get(0).get("values"))).isEqualTo(Map.of("lastname", "Doe", "account__r__external_id__c", "A-1"));
    }

    @Test
    void updateCapturesOnlyChangedColumnsAndTheOldRow() throws Exception {
        user.update("INSERT INTO salesforce.account (name, numberofemployees, external_id__c) VALUES ('Acme', 12, 'A-1')");
        engineWrite("UPDATE salesforce.account SET sfid = '001000000000001AAA'");
        user.update("UPDATE salesforce.account SET name = 'Acme Corp', numberofemployees = 12");

        Map<String, Object> update = log().get(1);
        assertThat(update).containsEntry("state", "NEW").containsEntry("action", "UPDATE").containsEntry("sfid", "001000000000001AAA");
        assertThat(json(update.get("values"))).isEqualTo(Map.of("name", "Acme Corp"));
        assertThat(json(update.get("old"))).isEqualTo(Map.of("name", "Acme", "numberofemployees", 12, "external_id__c", "A-1"));
    }

    @Test
    void updateThatChangesNoMappedColumnIsIgnore() {
        user.update("INSERT INTO salesforce.account (name) VALUES ('Acme')");
        user.update("UPDATE salesforce.account SET name = 'Acme'");
        user.update("UPDATE salesforce.account SET notes = 'only my own column'");

        assertThat(log()).extracting(r -> r.get("state")).containsExactly("NEW", "IGNORE", "IGNORE");
        assertThat(log().get(1).get("values")).isNull();
    }

    /**
     * PL/pgSQL keeps the plan of the capture's UPDATE: one made while statements wrote single rows
     * must still serve a large statement in about linear time. (Pairing old and new rows with a join
     * did not: after a few single-row updates, 5,000 rows took two minutes.)
     */
    @Test
    void aLargeUpdateAfterSingleRowUpdatesIsNotQuadratic() {
        user.update("INSERT INTO salesforce.account (name) SELECT 'Account ' || g FROM generate_series(1, 10000) g");
        for (int id = 1; id <= 10; id++) {
            user.update("UPDATE salesforce.account SET name = name || '+' WHERE id = ?", id);
        }

        user.execute("SET statement_timeout = '60s'"); // it takes about a second; quadratic, minutes
        user.update("UPDATE salesforce.account SET name = name || '!'");
        user.execute("RESET statement_timeout");

        assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE action = 'UPDATE' AND state = 'NEW'")).isEqualTo(10_010);
    }

    @Test
    void deleteOfASyncedRowCapturesItsSfid() {
        user.update("INSERT INTO salesforce.account (name) VALUES ('Acme')");
        engineWrite("UPDATE salesforce._trigger_log SET state = 'SUCCESS'");
        engineWrite("UPDATE salesforce.account SET sfid = '001000000000001AAA'");
        user.update("DELETE FROM salesforce.account");

        Map<String, Object> delete = log().get(1);
        assertThat(delete).containsEntry("state", "NEW").containsEntry("action", "DELETE").containsEntry("sfid", "001000000000001AAA").containsEntry("values", null);
    }

    @Test
    void deleteOfANeverSyncedRowIsIgnore() {
        user.update("INSERT INTO salesforce.account (name) VALUES ('Acme')");
        engineWrite("UPDATE salesforce._trigger_log SET state = 'IGNORED'");
        user.update("DELETE FROM salesforce.account");

        assertThat(log().get(1)).containsEntry("action", "DELETE").containsEntry("state", "IGNORE").containsEntry("sfid", null);
    }

    @Test
    void deleteOfARowWhoseInsertIsStillQueuedIsSent() {
        // the original logs IGNORE here and the queued insert then creates a record nobody deletes
        user.update("INSERT INTO salesforce.account (name) VALUES ('Acme')");
        user.update("DELETE FROM salesforce.account");

        assertThat(log()).extracting(r -> r.get("action") + " " + r.get("state")).containsExactly("INSERT NEW", "DELETE NEW");
    }

    @Test
    void aTruncateIsLoggedAndUnderTheDefaultPolicyNothingIsDeleted() throws Exception {
        user.update("INSERT INTO salesforce.account (name) VALUES ('Acme'), ('Globex')");
        engineWrite("UPDATE salesforce._trigger_log SET state = 'SUCCESS'");
        user.execute("TRUNCATE salesforce.account");

        assertThat(log()).extracting(r -> r.get("action") + " " + r.get("state")).containsExactly("INSERT SUCCESS", "INSERT SUCCESS", "TRUNCATE IGNORE");
        assertThat(json(log().get(2).get("values"))).isEqualTo(Map.of("rows", 2, "truncate", "ignore"));
    }

    @Test
    void underTruncateDeleteEachRowIsLoggedAsItsDeleteWouldBeBeforeTheRowsAreGone() throws Exception {
        user.update("INSERT INTO salesforce.contact (lastname) VALUES ('Synced'), ('Never sent'), ('Queued')");
        engineWrite("UPDATE salesforce._trigger_log SET state = 'SUCCESS', sfid = '003000000000001AAA' WHERE record_id = 1");
        engineWrite("UPDATE salesforce.contact SET sfid = '003000000000001AAA' WHERE id = 1");
        engineWrite("UPDATE salesforce._trigger_log SET state = 'IGNORED' WHERE record_id = 2");
        user.execute("TRUNCATE salesforce.contact");

        List<Map<String, Object>> log = log().subList(3, 7);
        assertThat(log).extracting(r -> r.get("action") + " " + r.get("state") + " " + r.get("record_id") + " " + r.get("sfid"))
                .containsExactly("TRUNCATE IGNORE 0 null", "DELETE NEW 1 003000000000001AAA", "DELETE IGNORE 2 null", "DELETE NEW 3 null");
        assertThat(json(log.get(0).get("values"))).isEqualTo(Map.of("rows", 3, "truncate", "delete"));
        assertThat(json(log.get(1).get("old"))).containsEntry("lastname", "Synced");
    }

    @Test
    void theEnginesOwnTruncateIsNotCaptured() {
        user.update("INSERT INTO salesforce.contact (lastname) VALUES ('Doe')");
        engineWrite("TRUNCATE salesforce.contact");
        assertThat(log()).extracting(r -> r.get("action")).containsExactly("INSERT");
    }

    @Test
    void readOnlyMappingsLogReadonly() {
        user.update("INSERT INTO salesforce.product2 (name) VALUES ('Widget')");
        user.update("UPDATE salesforce.product2 SET name = 'Gadget'");

        assertThat(log()).extracting(r -> r.get("action") + " " + r.get("state")).containsExactly("INSERT READONLY", "UPDATE READONLY");
        assertThat(user.scalar("SELECT _hc_lastop FROM salesforce.product2")).isNull();
    }

    @Test
    void userWritesArePendingAndClearTheLastError() {
        user.update("INSERT INTO salesforce.account (name) VALUES ('Acme')");
        assertThat(user.scalar("SELECT _hc_lastop FROM salesforce.account")).isEqualTo("PENDING");

        engineWrite("UPDATE salesforce.account SET _hc_lastop = 'FAILED', _hc_err = '{\"message\":\"x\"}'");
        user.update("UPDATE salesforce.account SET notes = 'not mapped'");
        assertThat(user.query("SELECT _hc_lastop, _hc_err FROM salesforce.account").get(0)).containsEntry("_hc_lastop", "FAILED");

        user.update("UPDATE salesforce.account SET name = 'Acme Corp'");
        Map<String, Object> row = user.query("SELECT _hc_lastop, _hc_err FROM salesforce.account").get(0);
        assertThat(row).containsEntry("_hc_lastop", "PENDING").containsEntry("_hc_err", null);
    }

    @Test
    void statusColumnsAreNeverCapturedAsChanges() {
        user.update("INSERT INTO salesforce.account (name) VALUES ('Acme')");
        user.update("UPDATE salesforce.account SET _hc_lastop = 'SYNCED', _hc_err = 'x'");
        assertThat(log()).extracting(r -> r.get("state")).containsExactly("NEW", "IGNORE");
    }

    @Test
    void engineSessionsAreNotCaptured() {
        engineWrite("INSERT INTO salesforce.account (name) VALUES ('Written by the engine')");
        engineWrite("UPDATE salesforce.account SET sfid = '001000000000001AAA', _hc_lastop = 'INSERTED'");

        assertThat(log()).isEmpty();
        assertThat(user.scalar("SELECT _hc_lastop FROM salesforce.account")).isEqualTo("INSERTED");
    }

    @Test
    void aCustomTriggerCanHideOrShowItsWritesWithSetLocal() throws Exception {
        Connection c = user.connection();
        c.setAutoCommit(false);
        user.execute("SET LOCAL xmlbinary = 'hex'");
        user.update("INSERT INTO salesforce.account (name) VALUES ('hidden')");
        user.execute("SET LOCAL xmlbinary = 'base64'");
        user.update("INSERT INTO salesforce.account (name) VALUES ('visible')");
        c.commit();
        c.setAutoCommit(true);

        assertThat(log()).hasSize(1);
        assertThat(json(log().get(0).get("values"))).containsEntry("name", "visible");
        assertThat(user.scalar("SHOW xmlbinary")).isEqualTo("base64");
    }

    @Test
    void oneNotificationPerStatementOnBothChannels() throws Exception {
        try (UserSession listener = database.userSession()) {
            listener.execute("LISTEN salesforce_hc_trigger_log");
            listener.execute("LISTEN \"salesforce.hc_trigger_log\"");
            PGConnection pg = listener.connection().unwrap(PGConnection.class);

            user.update("INSERT INTO salesforce.account (name) SELECT 'n' || g FROM generate_series(1, 100) g");
            List<String> channels = received(pg);
            assertThat(channels).containsExactlyInAnyOrder("salesforce_hc_trigger_log", "salesforce.hc_trigger_log");

            user.update("UPDATE salesforce.account SET notes = 'ignored change'"); // logs only IGNORE rows
            user.update("INSERT INTO salesforce.product2 (name) VALUES ('read-only')");
            assertThat(received(pg)).isEmpty();
        }
    }

    @Test
    void aResubmittedFailureNotifiesButTheEnginesOwnStateChangesDoNot() throws Exception {
        user.update("INSERT INTO salesforce.account (name) VALUES ('Acme')");
        try (UserSession listener = database.userSession()) {
            listener.execute("LISTEN salesforce_hc_trigger_log");
            PGConnection pg = listener.connection().unwrap(PGConnection.class);
            engineWrite("UPDATE salesforce._trigger_log SET state = 'PENDING'");
            engineWrite("UPDATE salesforce._trigger_log SET state = 'FAILED'");
            assertThat(received(pg)).isEmpty();

            user.update("UPDATE salesforce._trigger_log SET state = 'NEW'");
            assertThat(received(pg)).containsExactly("salesforce_hc_trigger_log");
        }
    }

    @Test
    void anArchivedChangeSetToRequeueNotifies() throws Exception {
        engineWrite("INSERT INTO salesforce._trigger_log_archive (id, state, action, table_name, record_id) VALUES (1, 'FAILED', 'INSERT', 'account', 1)");
        try (UserSession listener = database.userSession()) {
            listener.execute("LISTEN salesforce_hc_trigger_log");
            PGConnection pg = listener.connection().unwrap(PGConnection.class);
            user.update("UPDATE salesforce._trigger_log_archive SET sf_message = 'looked at'");
            assertThat(received(pg)).isEmpty();

            user.update("UPDATE salesforce._trigger_log_archive SET state = 'REQUEUE'");
            assertThat(received(pg)).containsExactly("salesforce_hc_trigger_log");

            user.update("UPDATE salesforce._trigger_log_archive SET state = 'REQUEUE'"); // already requeued
            engineWrite("UPDATE salesforce._trigger_log_archive SET state = 'REQUEUED'"); // housekeeping took it
            assertThat(received(pg)).isEmpty();
        }
    }

    private static List<String> received(PGConnection pg) throws Exception {
        List<String> channels = new ArrayList<>();
        PGNotification[] batch;
        while ((batch = pg.getNotifications(300)) != null && batch.length > 0) {
            for (PGNotification n : batch) {
                channels.add(n.getName());
            }
        }
        return channels;
    }

    private void engineWrite(String sql) {
        try (Connection c = engine.getConnection(); var st = c.createStatement()) {
            st.executeUpdate(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
