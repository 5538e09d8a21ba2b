package io.pgforce.testing.original;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.config.MappingLoader;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.UserSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The fixture behaves as the original's layout does (shared/docs/heroku-connect-schema.md). */
class HerokuConnectLayoutTest {

    private static final String LOG = "SELECT id, state, action, table_name, record_id, sfid, old, \"values\" FROM salesforce._trigger_log ORDER BY id";

    TestDatabase database;
    UserSession user;

    @BeforeEach
    void layOut() throws Exception {
        database = TestDatabase.create("hc_layout");
        user = database.userSession();
        HerokuConnectLayout.create(user.connection(), MappingLoader.load(Path.of("src/test/resources/mappings/takeover.yaml")), 7);
    }

    @AfterEach
    void close() {
        user.close();
    }

    private List<Map<String, Object>> log() {
        return user.query(LOG);
    }

    @Test
    void sharedObjectsAreTheOriginals() {
        assertThat(user.query("SELECT hcver, org_id, details FROM salesforce._hcmeta")).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("hcver", 7).containsEntry("org_id", HerokuConnectLayout.ORG_ID);
            assertThat((String) row.get("details")).doesNotContainIgnoringCase("pgforce");
        });
        assertThat(user.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'salesforce' AND tablename = 'account' ORDER BY 1"))
                .extracting(r -> r.get("indexname"))
                .containsExactly("account_pkey", "hc_idx_account_systemmodstamp", "hcu_idx_account_external_id__c", "hcu_idx_account_sfid");
        assertThat(user.query("SELECT data_type FROM information_schema.columns WHERE table_schema = 'salesforce' AND table_name = '_trigger_log' AND column_name IN ('old', 'values')"))
                .extracting(r -> r.get("data_type")).containsOnly("text");
        assertThat(user.scalar("SELECT column_default FROM information_schema.columns WHERE table_schema = 'salesforce' AND table_name = '_trigger_log' AND column_name = 'id'"))
                .asString().contains("_trigger_log_id_seq");
        assertThat(user.scalar("SELECT column_default FROM information_schema.columns WHERE table_schema = 'salesforce' AND table_name = '_trigger_log_archive' AND column_name = 'id'"))
                .isNull();
        assertThat(user.query("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN ('salesforce._trigger_log'::regclass, 'salesforce.account'::regclass) ORDER BY 1"))
                .extracting(r -> r.get("tgname")).containsExactly("hc_account_logtrigger", "hc_account_status_trigger", "tlog_insert_trigger");
    }

    @Test
    void anInsertLogsNewHstoreTextAndMarksTheRowPending() {
        user.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Acme', 'A-1')");

        Map<String, Object> row = log().get(0);
        assertThat(row).containsEntry("state", "NEW").containsEntry("action", "INSERT").containsEntry("table_name", "account")
                .containsEntry("record_id", 1).containsEntry("sfid", null).containsEntry("old", null);
        assertThat((String) row.get("values")).contains("\"name\"=>\"Acme\"", "\"sfid\"=>NULL", "\"id\"=>\"1\"").doesNotContain("_hc_lastop", "_hc_err");
        assertThat(user.query("SELECT _hc_lastop FROM salesforce.account")).singleElement().satisfies(r -> assertThat(r).containsEntry("_hc_lastop", "PENDING"));
    }

    @Test
    void anUpdateLogsTheChangedColumnsAndTheWholeOldRow() {
        user.update("INSERT INTO salesforce.account (name, description, sfid) VALUES ('Acme', 'old text', '001000000000001AAA')");
        user.update("UPDATE salesforce.account SET description = 'new text'");

        Map<String, Object> row = log().get(1);
        assertThat(row).containsEntry("state", "NEW").containsEntry("action", "UPDATE").containsEntry("sfid", "001000000000001AAA");
        assertThat(row.get("values")).isEqualTo("\"description\"=>\"new text\"");
        assertThat((String) row.get("old")).contains("\"name\"=>\"Acme\"", "\"description\"=>\"old text\"", "\"sfid\"=>\"001000000000001AAA\"")
                .doesNotContain("_hc_lastop");
    }

    @Test
    void aDeleteLogsTheOldRow() {
        user.update("INSERT INTO salesforce.account (name, sfid) VALUES ('Acme', '001000000000001AAA')");
        user.update("DELETE FROM salesforce.account");

        Map<String, Object> row = log().get(1);
        assertThat(row).containsEntry("state", "NEW").containsEntry("action", "DELETE").containsEntry("record_id", 1)
                .containsEntry("sfid", "001000000000001AAA").containsEntry("values", null);
        assertThat((String) row.get("old")).contains("\"name\"=>\"Acme\"");
    }

    @Test
    void aReadOnlyTableLogsReadonly() {
        user.update("INSERT INTO salesforce.lead (lastname, company) VALUES ('Doe', 'Acme')");

        assertThat(log()).singleElement().satisfies(row -> assertThat(row).containsEntry("state", "READONLY").containsEntry("table_name", "lead"));
    }

    @Test
    void theOriginalsOwnSessionIsNotLoggedAndItsWritesAreSynced() {
        user.execute("SET xmlbinary TO 'hex'");
        user.update("INSERT INTO salesforce.account (name, sfid) VALUES ('Acme', '001000000000001AAA')");
        user.update("UPDATE salesforce.account SET name = 'Acme Inc'");
        user.update("INSERT INTO salesforce.contact (lastname, _hc_lastop) VALUES ('Doe', 'FAILED')");

        assertThat(log()).isEmpty();
        assertThat(user.query("SELECT _hc_lastop FROM salesforce.account")).singleElement().satisfies(r -> assertThat(r).containsEntry("_hc_lastop", "SYNCED"));
        assertThat(user.query("SELECT _hc_lastop FROM salesforce.contact")).singleElement().satisfies(r -> assertThat(r).containsEntry("_hc_lastop", "FAILED"));
    }

    @Test
    void theResubmitFunctionsEnqueueNewRows() {
        user.execute("SET xmlbinary TO 'hex'"); // a row the original wrote, not logged
        user.update("INSERT INTO salesforce.account (name, description, sfid) VALUES ('Acme', 'text', '001000000000001AAA')");
        user.execute("RESET xmlbinary");

        user.query("SELECT salesforce.hc_capture_insert_from_row(hstore(a.*), 'account', ARRAY['_hc_lastop','_hc_err']) FROM salesforce.account a");
        user.query("SELECT salesforce.hc_capture_update_from_row(hstore(a.*), 'account', ARRAY['description']) FROM salesforce.account a");

        List<Map<String, Object>> log = log();
        assertThat(log.get(0)).containsEntry("state", "NEW").containsEntry("action", "INSERT").containsEntry("record_id", 1)
                .containsEntry("sfid", "001000000000001AAA").containsEntry("old", null);
        assertThat((String) log.get(0).get("values")).contains("\"name\"=>\"Acme\"").doesNotContain("_hc_lastop");
        assertThat(log.get(1)).containsEntry("state", "NEW").containsEntry("action", "UPDATE").containsEntry("values", "\"description\"=>\"text\"");
    }

    @Test
    void aLoggedChangeNotifiesTheOriginalsChannel() throws Exception {
        try (Connection listener = DriverManager.getConnection(database.url(), database.user(), database.password());
             Statement st = listener.createStatement()) {
            st.execute("LISTEN \"salesforce.hc_trigger_log\"");
            user.update("INSERT INTO salesforce.account (name) VALUES ('Acme')");

            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(received).isNotEmpty();
            assertThat(received[0].getName()).isEqualTo("salesforce.hc_trigger_log");
            assertThat(received[0].getParameter()).isEqualTo("ping");
        }
    }

    @Test
    void archiveMovesARowWithItsId() throws Exception {
        user.update("INSERT INTO salesforce.account (name) VALUES ('Acme')");
        long id = ((Number) log().get(0).get("id")).longValue();

        HerokuConnectLayout.archive(user.connection(), "salesforce", id, "FAILED", "REQUIRED_FIELD_MISSING");

        assertThat(log()).isEmpty();
        assertThat(user.query("SELECT id, state, action, sf_message, \"values\" FROM salesforce._trigger_log_archive")).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("id", (int) id).containsEntry("state", "FAILED").containsEntry("action", "INSERT")
                    .containsEntry("sf_message", "REQUIRED_FIELD_MISSING");
            assertThat((String) row.get("values")).contains("\"name\"=>\"Acme\"");
        });
    }
}
