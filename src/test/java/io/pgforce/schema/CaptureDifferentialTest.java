package io.pgforce.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgforce.config.MappingSet;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.RowLevelCapture;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.TestSchema;
import io.pgforce.testing.UserSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The statement-level capture logs what the row-level capture of schema version 2 logged: the same
 * battery of statements runs against a schema captured by each (RowLevelCapture keeps the old one),
 * and after every step the trigger logs are equal row for row (ids and timestamps aside, not their
 * order; rows of one transaction share a txid in both), so are the mapping rows, their
 * {@code _hc_lastop} and {@code _hc_err} included, and so are the notifications.
 */
class CaptureDifferentialTest {

    private static final String ROW_LEVEL = "row_level";
    private static final String STATEMENT_LEVEL = "statement_level";
    private static final List<String> TABLES = List.of("account", "contact", "product2");

    private static final String MAPPINGS = """
            mappings:
              - object: Account
                unique_identifier: External_Id__c
                fields:
                  Name: varchar(255)
                  NumberOfEmployees: integer
                  AnnualRevenue: numeric(18,2)
                  Rating__c: double precision
                  Score__c: real
                  Big__c: bigint
                  Small__c: smallint
                  IsActive__c: boolean
                  Description: text
                  SLAExpirationDate__c: date
                  LastContact__c: timestamp
                  Seen__c: timestamptz
                  Opens__c: time
                  External_Id__c: varchar(64)
              - object: Contact
                fields: {LastName: varchar(80), Birthdate: date}
                relationships: [{name: Account, external_id: External_Id__c}]
              - object: Product2
                access: read_only
                fields: {Name: varchar(255), ProductCode: varchar(40)}
            """;

    /** Who runs a step: the application, or pgforce's engine writing back (xmlbinary = hex). */
    private enum Session { USER, ENGINE }

    /** Statements with ${s} for the schema, run in one transaction or each on its own. */
    private record Step(String name, Session session, boolean transaction, List<String> sql) {
        static Step each(String name, String... sql) {
            return new Step(name, Session.USER, false, List.of(sql));
        }

        static Step transaction(String name, String... sql) {
            return new Step(name, Session.USER, true, List.of(sql));
        }

        static Step engine(String name, String... sql) {
            return new Step(name, Session.ENGINE, false, List.of(sql));
        }
    }

    private static final List<Step> BATTERY = List.of(
            Step.each("a single-row insert of every type",
                    "INSERT INTO ${s}.account (name, numberofemployees, annualrevenue, rating__c, score__c, big__c, small__c, isactive__c, description,"
                            + " slaexpirationdate__c, lastcontact__c, seen__c, opens__c, external_id__c, notes) VALUES ('Acme', 12, 1234.5, 4.25, 0.1,"
                            + " 9007199254740993, 7, true, E'two\\nlines, \"quoted\"', '2024-02-29', '2024-03-01 10:11:12.123456', '2024-03-01 10:11:12+02',"
                            + " '08:30', 'A-1', 'the application''s own column')"),
            Step.each("a single-row insert of NULLs", "INSERT INTO ${s}.account (name) VALUES (NULL)"),
            Step.each("a 1,000-row insert",
                    "INSERT INTO ${s}.account (name, numberofemployees, annualrevenue, rating__c, score__c, big__c, small__c, isactive__c, description,"
                            + " slaexpirationdate__c, lastcontact__c, seen__c, opens__c, external_id__c)"
                            + " SELECT 'Account ' || g, g, g * 1.25, CASE WHEN g % 3 = 0 THEN NULL ELSE g / 7.0 END, g / 3.0, g::bigint * 1000000007, g % 100,"
                            + " CASE g % 3 WHEN 0 THEN NULL WHEN 1 THEN true ELSE false END, repeat('x', g % 5),"
                            + " date '2024-01-01' + g, timestamp '2024-01-01' + g * interval '1 minute', timestamptz '2024-01-01 00:00+00' + g * interval '1 second',"
                            + " time '00:00' + g * interval '1 second', 'E-' || g FROM generate_series(1, 1000) g"),
            Step.each("inserts with a relationship column",
                    "INSERT INTO ${s}.contact (lastname, birthdate, account__r__external_id__c) SELECT 'Doe ' || g, date '1980-01-01' + g, 'E-' || g"
                            + " FROM generate_series(1, 20) g",
                    "INSERT INTO ${s}.contact (lastname) VALUES ('Roe')"),
            Step.each("inserts into a read-only mapping", "INSERT INTO ${s}.product2 (name, productcode) VALUES ('Widget', 'W-1'), ('Gadget', NULL), ('Gizmo', 'G-1')"),
            Step.engine("pgforce writes back: synced, ignored, failed and in-flight inserts",
                    "UPDATE ${s}.account SET sfid = '001' || lpad(id::text, 15, '0'), _hc_lastop = 'INSERTED' WHERE id % 4 = 0",
                    "UPDATE ${s}.contact SET sfid = '003' || lpad(id::text, 15, '0'), _hc_lastop = 'INSERTED' WHERE id % 2 = 0",
                    "UPDATE ${s}._trigger_log SET state = 'SUCCESS' WHERE action = 'INSERT' AND (table_name = 'account' AND record_id % 4 = 0"
                            + " OR table_name = 'contact' AND record_id % 2 = 0)",
                    "UPDATE ${s}._trigger_log SET state = 'IGNORED' WHERE action = 'INSERT' AND table_name = 'account' AND record_id % 4 = 1",
                    "UPDATE ${s}._trigger_log SET state = 'FAILED' WHERE action = 'INSERT' AND table_name = 'account' AND record_id % 4 = 3",
                    "UPDATE ${s}._trigger_log SET state = 'PENDING' WHERE action = 'INSERT' AND table_name = 'account' AND record_id % 8 = 6",
                    "UPDATE ${s}.account SET _hc_lastop = 'FAILED', _hc_err = '{\"message\": \"refused\"}' WHERE id % 4 = 3"),
            Step.each("an update that changes captured columns of some rows only",
                    "UPDATE ${s}.account SET name = CASE WHEN id % 2 = 0 THEN name || '+' ELSE name END, notes = 'touched' WHERE id <= 100"),
            Step.each("an update of no captured column", "UPDATE ${s}.account SET notes = 'again' WHERE id <= 10"),
            Step.each("an update of only _hc_lastop and _hc_err",
                    "UPDATE ${s}.account SET _hc_lastop = 'SYNCED', _hc_err = '{\"x\": 1}' WHERE id BETWEEN 11 AND 20"),
            Step.each("updates to NULL and back, of booleans, numbers, dates and times",
                    "UPDATE ${s}.account SET isactive__c = NOT isactive__c, annualrevenue = annualrevenue + 0, rating__c = NULL, description = NULL"
                            + " WHERE id BETWEEN 21 AND 40",
                    "UPDATE ${s}.account SET rating__c = 1.5, score__c = score__c * 2, big__c = NULL, slaexpirationdate__c = slaexpirationdate__c + 1,"
                            + " lastcontact__c = NULL, seen__c = seen__c + interval '1 hour', opens__c = '09:00' WHERE id BETWEEN 30 AND 50",
                    "UPDATE ${s}.account SET isactive__c = true WHERE isactive__c IS NULL AND id <= 60"),
            Step.each("many small updates, past the point where PL/pgSQL switches to a generic plan",
                    "UPDATE ${s}.account SET numberofemployees = numberofemployees + 1 WHERE id = 101",
                    "UPDATE ${s}.account SET numberofemployees = numberofemployees + 1 WHERE id BETWEEN 102 AND 103",
                    "UPDATE ${s}.account SET numberofemployees = numberofemployees + 1 WHERE id BETWEEN 104 AND 110",
                    "UPDATE ${s}.account SET small__c = small__c WHERE id BETWEEN 104 AND 110",
                    "UPDATE ${s}.account SET numberofemployees = numberofemployees + 1 WHERE id BETWEEN 111 AND 140",
                    "UPDATE ${s}.account SET numberofemployees = numberofemployees + 1 WHERE id = 141",
                    "UPDATE ${s}.account SET numberofemployees = numberofemployees + 1 WHERE id BETWEEN 142 AND 200",
                    "UPDATE ${s}.account SET numberofemployees = numberofemployees + 1 WHERE id = 201"),
            Step.each("an update that changes the id", "UPDATE ${s}.account SET id = id + 5000, name = name || ' moved' WHERE id BETWEEN 41 AND 45"),
            Step.transaction("a large update with too little memory to sort it in",
                    "SET LOCAL work_mem = '64kB'",
                    "UPDATE ${s}.account SET small__c = small__c + 1, description = repeat('y', id % 40) WHERE id > 200"),
            Step.each("an update of no row", "UPDATE ${s}.account SET name = 'nobody' WHERE false"),
            Step.each("updates of a relationship column",
                    "UPDATE ${s}.contact SET account__r__external_id__c = 'E-99' WHERE id % 2 = 0",
                    "UPDATE ${s}.contact SET account__r__external_id__c = NULL, birthdate = NULL WHERE id = 21"),
            Step.each("updates and deletes in a read-only mapping",
                    "UPDATE ${s}.product2 SET name = name || '!'", "UPDATE ${s}.product2 SET name = name WHERE id = 1",
                    "DELETE FROM ${s}.product2 WHERE name LIKE 'G%'"),
            Step.each("INSERT ... ON CONFLICT DO UPDATE that inserts, updates, or does nothing",
                    "INSERT INTO ${s}.account (name, external_id__c) VALUES ('Upserted', 'U-1') ON CONFLICT (external_id__c) DO UPDATE SET name = excluded.name",
                    "INSERT INTO ${s}.account (name, external_id__c) VALUES ('Renamed', 'E-5') ON CONFLICT (external_id__c) DO UPDATE SET name = excluded.name",
                    "INSERT INTO ${s}.account (name, external_id__c) VALUES ('R6', 'E-6'), ('R7', 'E-7') ON CONFLICT (external_id__c) DO UPDATE SET name = excluded.name",
                    "INSERT INTO ${s}.account (name, external_id__c) VALUES ('U2', 'U-2'), ('U3', 'U-3') ON CONFLICT (external_id__c) DO UPDATE SET name = excluded.name",
                    "INSERT INTO ${s}.account (name, external_id__c) VALUES ('Same', 'E-9') ON CONFLICT (external_id__c) DO UPDATE SET name = ${s}.account.name",
                    "INSERT INTO ${s}.account (name, external_id__c) VALUES ('x', 'E-8'), ('U4', 'U-4') ON CONFLICT (external_id__c) DO NOTHING"),
            Step.transaction("statements under the bypass, then one the application shows again",
                    "SET LOCAL xmlbinary = 'hex'",
                    "INSERT INTO ${s}.account (name) VALUES ('hidden')",
                    "UPDATE ${s}.account SET name = name || ' hidden' WHERE id <= 5",
                    "DELETE FROM ${s}.account WHERE id = 6",
                    "SET LOCAL xmlbinary = 'base64'",
                    "INSERT INTO ${s}.account (name) VALUES ('visible')"),
            Step.transaction("a row inserted, updated and deleted in one transaction",
                    "INSERT INTO ${s}.account (name, external_id__c) VALUES ('Brief', 'B-1')",
                    "UPDATE ${s}.account SET name = 'Briefer' WHERE external_id__c = 'B-1'",
                    "DELETE FROM ${s}.account WHERE external_id__c = 'B-1'"),
            Step.each("deletes of synced rows, of rows never sent, and of rows whose insert is queued, in flight or failed",
                    "DELETE FROM ${s}.account WHERE id BETWEEN 60 AND 80", "DELETE FROM ${s}.account WHERE id = 82"),
            Step.transaction("one delete of rows inserted in its transaction and of older rows",
                    "INSERT INTO ${s}.account (name) SELECT 'tmp ' || g FROM generate_series(1, 3) g",
                    "DELETE FROM ${s}.account WHERE name LIKE 'tmp %' OR id BETWEEN 83 AND 90"),
            Step.each("deletes of contacts", "DELETE FROM ${s}.contact WHERE id <= 5"),
            Step.each("deleting everything", "DELETE FROM ${s}.account", "DELETE FROM ${s}.contact", "DELETE FROM ${s}.product2"));

    @TempDir
    Path dir;
    TestDatabase database;
    MappingSet mappings;
    UserSession user;
    Connection engine;
    Map<String, UserSession> listeners;

    @BeforeEach
    void install() throws SQLException {
        database = TestDatabase.create("capture_differential");
        user = database.userSession();
        for (String schema : List.of(ROW_LEVEL, STATEMENT_LEVEL)) {
            mappings = TestMappings.fromYaml(dir, "connection: {schema: " + schema + "}\n" + MAPPINGS);
            SchemaInstaller.install(database.engineDataSource(), mappings, TestSchema.LOCK_TIMEOUT);
            // columns of the application's own, two named like the capture function's variables
            user.execute("ALTER TABLE " + schema + ".account ADD COLUMN notes text, ADD COLUMN captured_at text, ADD COLUMN logged_table text");
        }
        RowLevelCapture.install(user.connection(), ROW_LEVEL, mappings.mappings());
        engine = database.engineDataSource().getConnection();
        listeners = Map.of(ROW_LEVEL, listener(ROW_LEVEL), STATEMENT_LEVEL, listener(STATEMENT_LEVEL));
    }

    private UserSession listener(String schema) {
        UserSession listener = database.userSession();
        Stream.of(schema + "_hc_trigger_log", schema + ".hc_trigger_log", schema + "_step_done").forEach(c -> listener.execute("LISTEN \"" + c + "\""));
        return listener;
    }

    @AfterEach
    void close() throws SQLException {
        listeners.values().forEach(UserSession::close);
        engine.close();
        user.close();
    }

    @Test
    void theStatementTriggersLogWhatTheRowTriggersLogged() throws Exception {
        assertThat(triggers(ROW_LEVEL)).containsExactly("hc_account_logtrigger", "hc_account_status_trigger");
        assertThat(triggers(STATEMENT_LEVEL)).containsExactly("hc_account_logtrigger_del", "hc_account_logtrigger_ins", "hc_account_logtrigger_trunc",
                "hc_account_logtrigger_upd", "hc_account_status_trigger");

        runBatteryComparingEachStep();

        assertThat(log(STATEMENT_LEVEL)).hasSizeGreaterThan(3000).extracting(r -> r.substring(0, r.indexOf('|'))).contains("NEW", "IGNORE", "READONLY");
    }

    /**
     * The one difference: one statement that both updates and inserts rows (INSERT ... ON CONFLICT
     * DO UPDATE, MERGE) is logged event by event, its updates first, because Postgres fires the
     * UPDATE statement triggers before the INSERT ones; row triggers logged the rows in the order
     * the statement wrote them. The rows logged are the same.
     */
    @Test
    void aStatementThatUpdatesAndInsertsLogsItsUpdatesFirst() throws Exception {
        Step accounts = Step.each("four accounts", "INSERT INTO ${s}.account (name, external_id__c) SELECT 'Account ' || g, 'E-' || g FROM generate_series(1, 4) g");
        Step upsertAndMerge = Step.each("an upsert and a merge that each update and insert",
                "INSERT INTO ${s}.account (name, external_id__c) VALUES ('n1', 'N-1'), ('u2', 'E-2'), ('n3', 'N-3'), ('u4', 'E-4')"
                        + " ON CONFLICT (external_id__c) DO UPDATE SET name = excluded.name",
                "MERGE INTO ${s}.account a USING (VALUES ('E-1', 'm1'), ('M-1', 'm2'), ('E-3', 'm3')) AS v (ext, name) ON a.external_id__c = v.ext"
                        + " WHEN MATCHED THEN UPDATE SET name = v.name WHEN NOT MATCHED THEN INSERT (name, external_id__c) VALUES (v.name, v.ext)");
        for (String schema : List.of(ROW_LEVEL, STATEMENT_LEVEL)) {
            run(accounts, schema);
            run(upsertAndMerge, schema);
        }

        List<String> rowLevel = log(ROW_LEVEL).subList(4, 11);
        List<String> statementLevel = log(STATEMENT_LEVEL).subList(4, 11);
        assertThat(statementLevel).containsExactlyInAnyOrderElementsOf(rowLevel);
        assertThat(rowLevel.subList(0, 4)).extracting(CaptureDifferentialTest::action).containsExactly("INSERT", "UPDATE", "INSERT", "UPDATE");
        assertThat(statementLevel).extracting(CaptureDifferentialTest::action).containsExactly("UPDATE", "UPDATE", "INSERT", "INSERT", "UPDATE", "UPDATE", "INSERT");
        for (String table : TABLES) {
            assertSame(table, rows(ROW_LEVEL, table), rows(STATEMENT_LEVEL, table));
        }
    }

    private static String action(String logRow) {
        return logRow.split("\\|")[1];
    }

    /** Breaks the statement triggers' function in one place: the comparison must notice. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("breaks")
    void theComparisonCatchesABrokenCapture(String what, String from, String to) throws Exception {
        String function = (String) user.scalar("SELECT pg_get_functiondef('" + STATEMENT_LEVEL + ".hc_account_capture()'::regprocedure)");
        assertThat(function).contains(from);
        user.execute(function.replace(from, to));

        assertThatThrownBy(this::runBatteryComparingEachStep).as(what).isInstanceOf(AssertionError.class).hasMessageContaining("the trigger log after");
    }

    static Stream<Arguments> breaks() {
        return Stream.of(
                Arguments.of("old and new rows paired by id", "row_number() OVER ()", "r.id"),
                Arguments.of("a failed insert no longer counts as queued", "'NEW', 'PENDING', 'FAILED'", "'NEW', 'PENDING'"),
                Arguments.of("the bypass ignored", "IF NOT current_setting('xmlbinary') = 'base64'", "IF false"),
                Arguments.of("columns compared as text", "p.captured -> 'rating__c' = p.old -> 'rating__c'",
                        "p.captured ->> 'rating__c' = p.old ->> 'rating__c'"));
    }

    private void runBatteryComparingEachStep() throws Exception {
        for (Step step : BATTERY) {
            List<String> rowLevelNotified = run(step, ROW_LEVEL);
            List<String> statementLevelNotified = run(step, STATEMENT_LEVEL);
            assertSame("the trigger log after: " + step.name(), log(ROW_LEVEL), log(STATEMENT_LEVEL));
            for (String table : TABLES) {
                assertSame(table + " after: " + step.name(), rows(ROW_LEVEL, table), rows(STATEMENT_LEVEL, table));
            }
            assertThat(statementLevelNotified).as("notifications of: " + step.name()).isEqualTo(rowLevelNotified);
        }
    }

    /** Fails on the first row that differs, showing only that row: the logs run to thousands of rows. */
    private static void assertSame(String what, List<String> rowLevel, List<String> statementLevel) {
        for (int i = 0; i < Math.min(rowLevel.size(), statementLevel.size()); i++) {
            assertThat(statementLevel.get(i)).as(what + ", row " + (i + 1) + " of " + rowLevel.size()).isEqualTo(rowLevel.get(i));
        }
        assertThat(statementLevel.size()).as(what + ": rows").isEqualTo(rowLevel.size());
    }

    /** Runs the step in the schema; returns the channels notified, with the schema's name as {@code <schema>}. */
    private List<String> run(Step step, String schema) throws Exception {
        Connection c = step.session() == Session.ENGINE ? engine : user.connection();
        c.setAutoCommit(!step.transaction());
        try (Statement st = c.createStatement()) {
            for (String sql : step.sql()) {
                st.execute(sql.replace("${s}", schema));
            }
        }
        if (step.transaction()) {
            c.commit();
            c.setAutoCommit(true);
        }
        user.execute("NOTIFY \"" + schema + "_step_done\"");
        return notified(schema);
    }

    /** Notifications arrive in commit order, so everything the step sent comes before the step's end. */
    private List<String> notified(String schema) throws SQLException {
        PGConnection pg = listeners.get(schema).connection().unwrap(PGConnection.class);
        List<String> channels = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            PGNotification[] batch = pg.getNotifications(1000);
            for (PGNotification n : batch == null ? new PGNotification[0] : batch) {
                if (n.getName().equals(schema + "_step_done")) {
                    return channels;
                }
                channels.add(n.getName().replace(schema, "<schema>"));
            }
        }
        throw new AssertionError("the end of the step never arrived on " + schema);
    }

    /** The trigger log in id order, without ids and times; txid as the rank of its transaction. */
    private List<String> log(String schema) {
        return user.query("SELECT concat_ws('|', state, action, table_name, record_id, coalesce(sfid, '-'), coalesce(old::text, '-'),"
                + " coalesce(\"values\"::text, '-'), dense_rank() OVER (ORDER BY txid)) AS r FROM " + schema + "._trigger_log ORDER BY id")
                .stream().map(r -> (String) r.get("r")).toList();
    }

    private List<String> rows(String schema, String table) {
        return user.query("SELECT to_jsonb(t)::text AS r FROM " + schema + "." + table + " t ORDER BY id").stream().map(r -> (String) r.get("r")).toList();
    }

    private List<String> triggers(String schema) {
        return user.query("SELECT tgname FROM pg_trigger WHERE tgrelid = '" + schema + ".account'::regclass AND NOT tgisinternal ORDER BY tgname")
                .stream().map(r -> (String) r.get("tgname")).toList();
    }
}
