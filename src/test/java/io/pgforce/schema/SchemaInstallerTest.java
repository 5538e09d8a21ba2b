package io.pgforce.schema;

import io.pgforce.testing.TestSchema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgforce.config.InvalidConfigurationException;
import io.pgforce.config.MappingSet;
import io.pgforce.testing.RowLevelCapture;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.UserSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

class SchemaInstallerTest {

    private static final String ACCOUNT = """
            connection: {schema: sync}
            mappings:
              - object: Account
                unique_identifier: External_Id__c
                fields: {Name: varchar(255), External_Id__c: varchar(64)}
            """;

    @TempDir
    Path dir;
    PGSimpleDataSource engine;
    UserSession db;

    @BeforeEach
    void database() {
        TestDatabase database = TestDatabase.create("schema");
        engine = database.engineDataSource();
        db = database.userSession();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private MappingSet mapping(String yaml) {
        return TestMappings.fromYaml(dir, yaml);
    }

    private List<String> columns(String table) {
        return db.query("SELECT column_name || ' ' || data_type AS c FROM information_schema.columns WHERE table_schema = 'sync' AND table_name = ? ORDER BY ordinal_position", table)
                .stream().map(r -> (String) r.get("c")).toList();
    }

    private List<String> indexes(String table) {
        return db.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'sync' AND tablename = ? ORDER BY indexname", table)
                .stream().map(r -> (String) r.get("indexname")).toList();
    }

    @Test
    void laysOutTheOriginalsSchema() {
        SchemaInstaller.install(engine, mapping(ACCOUNT), TestSchema.LOCK_TIMEOUT);

        assertThat(columns("account")).containsExactly("id integer", "sfid character varying", "systemmodstamp timestamp without time zone",
                "createddate timestamp without time zone", "isdeleted boolean", "_hc_lastop character varying", "_hc_err text",
                "name character varying", "external_id__c character varying");
        List<String> logColumns = List.of("id bigint", "txid bigint", "created_at timestamp with time zone", "updated_at timestamp with time zone",
                "processed_at timestamp with time zone", "processed_tx bigint", "state character varying", "action character varying",
                "table_name character varying", "record_id integer", "sfid character varying", "old jsonb", "values jsonb",
                "sf_result integer", "sf_message text", "sent_at timestamp with time zone", "bulk_job_id character varying");
        assertThat(columns("_trigger_log")).containsExactlyElementsOf(logColumns);
        assertThat(columns("_trigger_log_archive")).containsExactlyElementsOf(logColumns);
        assertThat(indexes("_trigger_log")).contains("_trigger_log_idx_created_at_brin", "_trigger_log_idx_queued", "_trigger_log_idx_failed")
                .doesNotContain("_trigger_log_idx_created_at", "_trigger_log_idx_state_id", "_trigger_log_idx_state_table_name");
        assertThat(indexes("_trigger_log_archive")).contains("_trigger_log_archive_idx_created_at", "_trigger_log_archive_idx_record_id",
                "_trigger_log_archive_idx_state_table_name");
        assertThat(indexes("account")).contains("hcu_idx_account_sfid", "hc_idx_account_systemmodstamp", "hcu_idx_account_external_id__c");
        assertThat(db.scalar("SELECT indexdef FROM pg_indexes WHERE indexname = '_trigger_log_idx_queued'").toString())
                .contains("WHERE ((state)::text = ANY ((ARRAY['NEW'::character varying, 'PENDING'::character varying])::text[]))");
        assertThat(db.scalar("SELECT max(version) FROM sync._pgforce_schema")).isEqualTo(SchemaInstaller.SCHEMA_VERSION);
        assertThat(db.count("SELECT count(*) FROM sync._hcmeta")).as("the original's version table, which pgforce leaves to it").isZero();
        assertThat(db.query("SELECT tgname FROM pg_trigger WHERE tgrelid = 'sync.account'::regclass AND NOT tgisinternal ORDER BY tgname"))
                .extracting(r -> r.get("tgname")).containsExactly("hc_account_logtrigger_del", "hc_account_logtrigger_ins", "hc_account_logtrigger_trunc",
                        "hc_account_logtrigger_upd", "hc_account_status_trigger");
        assertThat(db.query("SELECT tgname FROM pg_trigger WHERE tgrelid = 'sync._trigger_log_archive'::regclass AND NOT tgisinternal"))
                .extracting(r -> r.get("tgname")).containsExactly("hc_trigger_log_archive_requeue");
    }

    @Test
    void isIdempotentAndKeepsData() {
        MappingSet set = mapping(ACCOUNT);
        SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);
        db.update("INSERT INTO sync.account (name, external_id__c) VALUES ('Acme', 'A-1')");
        SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);
        SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);

        assertThat(db.count("SELECT count(*) FROM sync.account")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM sync._trigger_log")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM sync._pgforce_schema")).isEqualTo(1);
    }

    @Test
    void addingAFieldAddsItsColumnAndCapturesIt() {
        SchemaInstaller.install(engine, mapping(ACCOUNT), TestSchema.LOCK_TIMEOUT);
        db.update("INSERT INTO sync.account (name, external_id__c) VALUES ('Acme', 'A-1')");

        SchemaInstaller.install(engine, mapping(ACCOUNT.replace("External_Id__c: varchar(64)}", "External_Id__c: varchar(64), Phone: varchar(40)}")), TestSchema.LOCK_TIMEOUT);
        db.update("UPDATE sync.account SET phone = '555'");

        assertThat(columns("account")).contains("phone character varying");
        assertThat(db.scalar("SELECT name FROM sync.account")).isEqualTo("Acme");
        assertThat(db.scalar("SELECT values::text FROM sync._trigger_log WHERE action = 'UPDATE'")).isEqualTo("{\"phone\": \"555\"}");
    }

    @Test
    void removingAMappingKeepsItsTableAndDataButStopsCapture() {
        SchemaInstaller.install(engine, mapping(ACCOUNT + """
                  - object: Lead
                    fields: {LastName: varchar(80)}
                """), TestSchema.LOCK_TIMEOUT);
        db.update("INSERT INTO sync.lead (lastname) VALUES ('Doe')");

        SchemaInstaller.install(engine, mapping(ACCOUNT), TestSchema.LOCK_TIMEOUT);
        db.update("INSERT INTO sync.lead (lastname) VALUES ('Roe')");

        assertThat(db.count("SELECT count(*) FROM sync.lead")).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM sync._trigger_log WHERE table_name = 'lead'")).isEqualTo(1);
    }

    @Test
    void adoptsATableTheUserCreated() {
        db.execute("CREATE SCHEMA sync");
        db.execute("CREATE TABLE sync.account (id serial PRIMARY KEY, name text, extra text)");
        db.update("INSERT INTO sync.account (name, extra) VALUES ('Old', 'kept')");

        SchemaInstaller.install(engine, mapping(ACCOUNT), TestSchema.LOCK_TIMEOUT);

        assertThat(columns("account")).contains("name text", "extra text", "sfid character varying", "_hc_lastop character varying", "external_id__c character varying");
        assertThat(db.query("SELECT name, extra FROM sync.account")).containsExactly(Map.of("name", "Old", "extra", "kept"));
    }

    @Test
    void upgradesAVersionOneSchemaKeepingItsData() throws Exception {
        db.execute(Files.readString(Path.of("src/test/resources/schema/version-1.sql")));
        db.update("INSERT INTO sync.account (name, external_id__c) VALUES ('Acme', 'A-1')");
        db.update("INSERT INTO sync._trigger_log_archive (id, state, action, table_name, record_id) VALUES (100, 'SUCCESS', 'INSERT', 'account', 7)");

        SchemaInstaller.install(engine, mapping(ACCOUNT), TestSchema.LOCK_TIMEOUT);

        assertThat(columns("_trigger_log")).contains("sent_at timestamp with time zone", "bulk_job_id character varying");
        assertThat(columns("_trigger_log_archive")).contains("sent_at timestamp with time zone", "bulk_job_id character varying");
        assertThat(db.query("SELECT table_name, format_type(atttypid, atttypmod) AS type FROM pg_attribute a JOIN information_schema.columns c "
                + "ON c.table_schema = 'sync' AND a.attrelid = ('sync.' || c.table_name)::regclass AND a.attname = c.column_name "
                + "WHERE c.column_name = 'action' ORDER BY table_name")).as("action holds TRUNCATE (version 3)")
                .extracting(r -> r.get("table_name") + " " + r.get("type"))
                .containsExactly("_trigger_log character varying(8)", "_trigger_log_archive character varying(8)");
        assertThat(db.query("SELECT state, action, values::text AS v FROM sync._trigger_log"))
                .containsExactly(Map.of("state", "NEW", "action", "INSERT", "v", "{\"name\": \"Acme\", \"external_id__c\": \"A-1\"}"));
        assertThat(db.count("SELECT count(*) FROM sync._trigger_log_archive WHERE id = 100 AND record_id = 7")).isEqualTo(1);
        assertThat(db.scalar("SELECT name FROM sync.account")).isEqualTo("Acme");
        assertThat(db.query("SELECT hcver, details FROM sync._hcmeta ORDER BY id")).containsExactly(Map.of("hcver", 1, "details", "installed by pgforce"));
        assertThat(db.query("SELECT version, details FROM sync._pgforce_schema ORDER BY id")).containsExactly(
                Map.of("version", SchemaInstaller.SCHEMA_VERSION, "details", "upgraded by pgforce from version 1"));
        db.update("UPDATE sync.account SET name = 'Acme Inc'");
        assertThat(db.scalar("SELECT values::text FROM sync._trigger_log WHERE action = 'UPDATE'")).isEqualTo("{\"name\": \"Acme Inc\"}");
    }

    /**
     * Version 2 captured with row triggers. The upgrade replaces them, each table in one transaction
     * (so no change is captured twice or not at all), and keeps what they captured.
     */
    @Test
    void upgradesVersionTwoRowTriggersToStatementTriggersKeepingEveryChange() throws Exception {
        String withContact = ACCOUNT + """
                  - object: Contact
                    fields: {LastName: varchar(80)}
                """;
        MappingSet set = mapping(withContact);
        SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);
        RowLevelCapture.install(db.connection(), "sync", set.mappings());
        assertThat(triggers("account")).containsExactly("hc_account_logtrigger", "hc_account_status_trigger");
        db.update("INSERT INTO sync.account (name, external_id__c) VALUES ('Acme', 'A-1'), ('Globex', 'G-1')");
        db.update("UPDATE sync.account SET name = 'Acme Inc' WHERE external_id__c = 'A-1'");
        db.update("INSERT INTO sync.contact (lastname) VALUES ('Doe')");

        SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);
        db.update("UPDATE sync.account SET name = 'Globex Corp' WHERE external_id__c = 'G-1'");
        db.update("DELETE FROM sync.account WHERE external_id__c = 'A-1'");
        db.update("UPDATE sync.contact SET lastname = 'Roe'");

        for (String table : List.of("account", "contact")) {
            assertThat(triggers(table)).containsExactly("hc_" + table + "_logtrigger_del", "hc_" + table + "_logtrigger_ins", "hc_" + table + "_logtrigger_trunc",
                    "hc_" + table + "_logtrigger_upd", "hc_" + table + "_status_trigger");
        }
        assertThat(db.query("SELECT action || ' ' || state || ' ' || table_name || ' ' || record_id || ' ' || coalesce(values::text, '-') AS c"
                + " FROM sync._trigger_log ORDER BY id")).extracting(r -> r.get("c")).containsExactly(
                        "INSERT NEW account 1 {\"name\": \"Acme\", \"external_id__c\": \"A-1\"}",
                        "INSERT NEW account 2 {\"name\": \"Globex\", \"external_id__c\": \"G-1\"}",
                        "UPDATE NEW account 1 {\"name\": \"Acme Inc\"}",
                        "INSERT NEW contact 1 {\"lastname\": \"Doe\"}",
                        "UPDATE NEW account 2 {\"name\": \"Globex Corp\"}",
                        "DELETE NEW account 1 -",
                        "UPDATE NEW contact 1 {\"lastname\": \"Roe\"}");
        assertThat(db.query("SELECT _hc_lastop FROM sync.account")).extracting(r -> r.get("_hc_lastop")).containsExactly("PENDING");
        assertThat(db.query("SELECT version, details FROM sync._pgforce_schema ORDER BY id")).last()
                .isEqualTo(Map.of("version", SchemaInstaller.SCHEMA_VERSION, "details", "upgraded by pgforce from version 2"));
    }

    private List<String> triggers(String table) {
        return db.query("SELECT tgname FROM pg_trigger WHERE tgrelid = ?::regclass AND NOT tgisinternal ORDER BY tgname", "sync." + table)
                .stream().map(r -> (String) r.get("tgname")).toList();
    }

    @Test
    void replacesAFunctionChangedByHand() {
        MappingSet set = mapping(ACCOUNT);
        SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);
        db.execute("CREATE OR REPLACE FUNCTION sync.hc_account_status() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$");

        SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);
        db.update("INSERT INTO sync.account (name) VALUES ('Acme')");

        assertThat(db.scalar("SELECT _hc_lastop FROM sync.account")).isEqualTo("PENDING");
    }

    @Test
    void refusesASchemaLaidOutByANewerVersion() {
        SchemaInstaller.install(engine, mapping(ACCOUNT), TestSchema.LOCK_TIMEOUT);
        db.update("INSERT INTO sync._pgforce_schema (version) VALUES (?)", SchemaInstaller.SCHEMA_VERSION + 1);

        assertThatThrownBy(() -> SchemaInstaller.install(engine, mapping(ACCOUNT), TestSchema.LOCK_TIMEOUT))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Schema 'sync' was laid out by a newer pgforce (schema version " + (SchemaInstaller.SCHEMA_VERSION + 1)
                        + " in _pgforce_schema); this one writes version " + SchemaInstaller.SCHEMA_VERSION + ": run the newer pgforce, or upgrade this one");
    }

    /**
     * Heroku Connect's own version row (hcver 52) is not pgforce's: pgforce neither refuses as if a
     * newer pgforce had been there nor installs, but says whose schema it is and how to adopt it.
     */
    @Test
    void takesTheOriginalsVersionRowForTheOriginalsAndWaitsToBeToldToAdopt() {
        db.execute("CREATE SCHEMA sync");
        db.execute("CREATE TABLE sync._hcmeta (id serial PRIMARY KEY, hcver integer, org_id varchar(50), details text)");
        db.update("INSERT INTO sync._hcmeta (hcver, org_id) VALUES (52, '00D000000000001AAA')");

        assertThatThrownBy(() -> SchemaInstaller.install(engine, mapping(ACCOUNT), TestSchema.LOCK_TIMEOUT))
                .isInstanceOf(SchemaNotAdoptedException.class)
                .hasMessageStartingWith("Schema 'sync' is Heroku Connect's (hcver 52; 0 change(s) waiting): pgforce installs, claims and writes nothing here");
        assertThat(db.count("SELECT count(*) FROM pg_class WHERE relnamespace = 'sync'::regnamespace")).as("nothing created: _hcmeta, its sequence and key").isEqualTo(3);

        assertThat(SchemaInstaller.plan(engine, mapping(ACCOUNT))).first().asString().startsWith("save Heroku Connect's definitions");
        SchemaInstaller.adopt(engine, mapping(ACCOUNT), TestSchema.LOCK_TIMEOUT);
        SchemaInstaller.install(engine, mapping(ACCOUNT), TestSchema.LOCK_TIMEOUT);

        assertThat(db.query("SELECT hcver FROM sync._hcmeta")).containsExactly(Map.of("hcver", 52));
        assertThat(db.query("SELECT version, details FROM sync._pgforce_schema")).containsExactly(
                Map.of("version", SchemaInstaller.SCHEMA_VERSION, "details", "adopted by pgforce from Heroku Connect (hcver 52)"));
        assertThat(triggers("account")).contains("hc_account_logtrigger_ins");
    }
}
