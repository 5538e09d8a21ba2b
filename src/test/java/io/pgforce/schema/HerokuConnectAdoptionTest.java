package io.pgforce.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgforce.config.InvalidConfigurationException;
import io.pgforce.config.MappingLoader;
import io.pgforce.config.MappingSet;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.TestSchema;
import io.pgforce.testing.UserSession;
import io.pgforce.testing.original.HerokuConnectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Adopting a schema Heroku Connect laid out (HerokuConnectLayout): pgforce's capture replaces the
 * original's on every read-write table, one transaction a table, while an application writes
 * without pause; what the original owns goes on working.
 */
class HerokuConnectAdoptionTest {

    private static final MappingSet MAPPINGS = MappingLoader.load(Path.of("src/test/resources/mappings/takeover.yaml"));
    private static final String CATALOG = "SELECT string_agg(d, E'\\n' ORDER BY d) FROM ("
            + "SELECT pg_get_triggerdef(t.oid) AS d FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'salesforce'::regnamespace AND NOT t.tgisinternal "
            + "UNION ALL SELECT pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = 'salesforce'::regnamespace "
            + "UNION ALL SELECT c.relname || ' ' || c.relkind::text FROM pg_class c WHERE c.relnamespace = 'salesforce'::regnamespace "
            + "UNION ALL SELECT attrelid::regclass || '.' || attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute "
            + "WHERE attrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'salesforce'::regnamespace) AND attnum > 0 AND NOT attisdropped) x";

    /** What release must put back as it was: every trigger and function of the schema but pgforce's own. */
    private static final String TRIGGERS_AND_FUNCTIONS = "SELECT string_agg(d, E'\\n' ORDER BY d) FROM ("
            + "SELECT pg_get_triggerdef(t.oid) AS d FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'salesforce'::regnamespace AND NOT t.tgisinternal "
            + "AND c.relname NOT LIKE '\\_trigger\\_log%' "
            + "UNION ALL SELECT pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = 'salesforce'::regnamespace "
            + "AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT LIKE 'pgforce:%') x";

    TestDatabase database;
    UserSession user;
    PGSimpleDataSource engine;

    /** The server the test runs on: the suite's (the embedded PostgreSQL); see HerokuConnectAdoptionOnDebianTest. */
    protected TestDatabase newDatabase() {
        return TestDatabase.create("adopt");
    }

    @BeforeEach
    void layOut() throws Exception {
        database = newDatabase();
        user = database.userSession();
        engine = database.engineDataSource();
        HerokuConnectLayout.create(user.connection(), MAPPINGS, 52);
        user.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Acme', 'A-1')");
        user.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES ('Doe', 'C-1', 'A-1')");
        user.update("INSERT INTO salesforce.lead (lastname, company) VALUES ('Roe', 'Initech')");
    }

    @AfterEach
    void close() {
        user.close();
    }

    @Test
    void waitsToBeToldAndItsDryRunChangesNothing() {
        String before = (String) user.scalar(CATALOG);

        assertThatThrownBy(() -> SchemaInstaller.install(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT))
                .isInstanceOf(SchemaNotAdoptedException.class)
                .hasMessage("Schema 'salesforce' is Heroku Connect's (hcver 52; its triggers capture account, contact, invoice__c, lead; 2 change(s) waiting): "
                        + "pgforce installs, claims and writes nothing here until it adopts the schema. See what adopting changes with "
                        + "'pgforce adopt --dry-run', then run 'pgforce adopt', or start with pgforce.schema.adopt=true");
        List<String> plan = SchemaInstaller.plan(engine, MAPPINGS);

        assertThat(user.scalar(CATALOG)).as("the catalog after the refusal and the dry run").isEqualTo(before);
        assertThat(plan).contains(
                "table account, in one transaction: replace function hc_account_status; add function hc_account_capture; add function hc_account_truncate; "
                        + "replace trigger hc_account_status_trigger; add trigger hc_account_logtrigger_ins; add trigger hc_account_logtrigger_upd; "
                        + "add trigger hc_account_logtrigger_del; add trigger hc_account_logtrigger_trunc; drop trigger hc_account_logtrigger (replaced by the statement triggers)",
                "table lead: read-only, Heroku Connect's triggers kept (they log READONLY)",
                "shared: replace function tlog_notify_trigger",
                "shared: widen column _trigger_log.action",
                "shared: add index _trigger_log_idx_table_record",
                "last: add column _trigger_log.sent_at");
        assertThat(plan.get(0)).startsWith("save Heroku Connect's definitions it replaces in _pgforce_adoption");
    }

    @Test
    void refusesToAdoptWhileATableTheOriginalCapturesHasNoMapping(@TempDir Path dir) throws Exception {
        MappingSet withoutInvoices = TestMappings.fromYaml(dir, Files.readString(Path.of("src/test/resources/mappings/takeover.yaml"))
                .replaceAll("(?s)  - object: Invoice__c.*?(?=  - object: Lead)", ""));

        assertThatThrownBy(() -> SchemaInstaller.adopt(engine, withoutInvoices, TestSchema.LOCK_TIMEOUT))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Cannot adopt schema 'salesforce': Heroku Connect captures invoice__c, which no mapping names; "
                        + "add the mapping (read_write or read_only, as it is in Heroku Connect) and adopt again");
        assertThat(user.count("SELECT count(*) FROM pg_class WHERE relname = '_pgforce_adoption'")).isZero();
    }

    /**
     * The application inserts and updates accounts without a pause while the schema is adopted,
     * then released: each of its changes is in the trigger log exactly once (the original's hstore
     * text before its table's swap, pgforce's JSON after, the original's again after the release),
     * and none of its statements waits long.
     */
    @Test
    void capturesEveryChangeOfAWriterThatNeverPausesExactlyOnceThroughAdoptionAndRelease() throws Exception {
        String original = (String) user.scalar(TRIGGERS_AND_FUNCTIONS);
        ApplicationWriter writer = new ApplicationWriter(database);
        writer.awaitMore(200);
        SchemaInstaller.adopt(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT);
        assertThat(user.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'salesforce' AND tablename = '_trigger_log'").stream()
                .map(r -> (String) r.get("indexname")).toList()).as("the original's log keeps its indexes")
                .containsAll(SchemaDdl.HEROKU_CONNECT_INDEXES).doesNotContain("_trigger_log_idx_queued", "_trigger_log_idx_failed", "_trigger_log_idx_created_at_brin");
        writer.awaitMore(200);
        long json = user.count("SELECT count(*) FROM salesforce._trigger_log WHERE \"values\" LIKE '{%'");
        SchemaInstaller.release(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT, false);
        writer.awaitMore(200);
        List<Long> written = writer.stop();

        try (Connection c = engine.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT action, count(*) AS n, count(DISTINCT record_id) AS records "
                + "FROM salesforce._trigger_log WHERE table_name = 'account' AND record_id = ANY(?) GROUP BY action ORDER BY action")) {
            ps.setArray(1, c.createArrayOf("bigint", written.toArray()));
            List<String> counts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.add(rs.getString("action") + " " + rs.getLong("n") + " of " + rs.getLong("records"));
                }
            }
            assertThat(counts).as("one INSERT and one UPDATE logged for each account the application wrote")
                    .containsExactly("INSERT " + written.size() + " of " + written.size(), "UPDATE " + written.size() + " of " + written.size());
        }
        assertThat(json).as("changes captured by pgforce between adoption and release").isPositive();
        assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE \"values\" LIKE '{%' OR old LIKE '{%'"))
                .as("after the release, every waiting change is in the original's hstore text").isZero();
        assertThat(user.scalar(TRIGGERS_AND_FUNCTIONS)).as("the original's triggers and functions, as they were").isEqualTo(original);
        assertThat(user.count("SELECT count(*) FROM salesforce._pgforce_adoption")).isZero();
        assertThat(writer.slowest()).as("the application's slowest statement during adoption and release").isLessThan(Duration.ofMillis(250));
        System.out.printf("adoption and release: %d application statements, slowest %.1f ms%n", 2 * written.size(), writer.slowest().toNanos() / 1e6);
        assertThatThrownBy(() -> SchemaInstaller.install(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT)).as("released, pgforce waits to be told again")
                .isInstanceOf(SchemaNotAdoptedException.class);
    }

    /** An older add-on's log declares old and values as hstore, where pgforce's capture would write JSON text: refused before anything changes. */
    @Test
    void refusesALogOfHstoreColumns() {
        user.execute("ALTER TABLE salesforce._trigger_log ALTER COLUMN old TYPE hstore USING old::hstore, ALTER COLUMN \"values\" TYPE hstore USING \"values\"::hstore");
        String before = (String) user.scalar(CATALOG);

        assertThatThrownBy(() -> SchemaInstaller.adopt(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("Cannot adopt schema 'salesforce': the trigger log's old and values are of type public.hstore (an older Heroku Connect add-on), where pgforce writes text;");
        assertThat(user.scalar(CATALOG)).isEqualTo(before);
    }

    /** A release cut short after its tables (before it forgets the saved definitions) is run again, and ends as one that was not. */
    @Test
    void aReleaseCutShortRunsAgain() {
        String original = (String) user.scalar(TRIGGERS_AND_FUNCTIONS);
        SchemaInstaller.adopt(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT);
        user.execute("CREATE TABLE saved AS SELECT * FROM salesforce._pgforce_adoption");
        SchemaInstaller.release(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT, false);
        user.execute("INSERT INTO salesforce._pgforce_adoption SELECT * FROM saved");

        SchemaInstaller.release(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT, false);

        assertThat(user.scalar(TRIGGERS_AND_FUNCTIONS)).isEqualTo(original);
        assertThat(user.count("SELECT count(*) FROM salesforce._pgforce_adoption")).isZero();
    }

    @Test
    void neitherAdoptsNorReleasesWhileAChangeIsPending() {
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING' WHERE id = 1");
        assertThatThrownBy(() -> SchemaInstaller.adopt(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("Cannot adopt schema 'salesforce': 1 change(s) are PENDING, claimed by Heroku Connect and not settled; pause it");

        user.update("UPDATE salesforce._trigger_log SET state = 'NEW' WHERE id = 1");
        SchemaInstaller.adopt(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT);
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING' WHERE id = 1");
        assertThatThrownBy(() -> SchemaInstaller.release(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT, false))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Cannot release schema 'salesforce': 1 change(s) are PENDING, being written by pgforce; pause it (pgforce pause), "
                        + "wait until none is PENDING, and release again");
    }

    /** An application inserting and updating accounts without a pause, each statement timed. */
    private static final class ApplicationWriter {
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final AtomicInteger statements = new AtomicInteger();
        private final AtomicLong slowestNanos = new AtomicLong();
        private final List<Long> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> running;

        ApplicationWriter(TestDatabase database) {
            running = CompletableFuture.runAsync(() -> {
                try (UserSession app = database.userSession(); Connection c = app.connection();
                     PreparedStatement insert = c.prepareStatement("INSERT INTO salesforce.account (name, external_id__c) VALUES (?, ?) RETURNING id");
                     PreparedStatement update = c.prepareStatement("UPDATE salesforce.account SET description = ? WHERE id = ?")) {
                    for (int i = 0; writing.get(); i++) {
                        long started = System.nanoTime();
                        insert.setString(1, "W " + i);
                        insert.setString(2, "W-" + i);
                        long id;
                        try (ResultSet rs = insert.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                        long between = System.nanoTime();
                        update.setString(1, "written " + i);
                        update.setLong(2, id);
                        update.executeUpdate();
                        slowestNanos.accumulateAndGet(Math.max(between - started, System.nanoTime() - between), Math::max);
                        ids.add(id);
                        statements.addAndGet(2);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** Waits until it made this many more statements, or failed. */
        void awaitMore(int more) {
            int from = statements.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> running.isCompletedExceptionally() || statements.get() >= from + more);
        }

        /** Stops it; its error, if any, fails the test. Returns the accounts it wrote. */
        List<Long> stop() throws Exception {
            writing.set(false);
            running.get();
            return List.copyOf(ids);
        }

        Duration slowest() {
            return Duration.ofNanos(slowestNanos.get());
        }
    }

    @Test
    void leavesWhatTheOriginalOwnsWorking() throws Exception {
        user.update("INSERT INTO salesforce._sf_event_log (table_name, action, sfid, record, processed) VALUES ('lead', 'UPDATE', '00Q000000000001AAA', 'x', false)");
        String eventLog = (String) user.scalar("SELECT string_agg(e::text, ',') FROM salesforce._sf_event_log e");
        SchemaInstaller.adopt(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT);
        assertThat(user.scalar("SELECT string_agg(e::text, ',') FROM salesforce._sf_event_log e")).as("the read side's log").isEqualTo(eventLog);

        assertThat(user.query("SELECT tgname FROM pg_trigger WHERE tgrelid = 'salesforce.lead'::regclass AND NOT tgisinternal ORDER BY 1"))
                .as("the read-only table keeps the original's triggers").extracting(r -> r.get("tgname"))
                .containsExactly("hc_lead_logtrigger", "hc_lead_status_trigger");
        assertThat(user.query("SELECT tgname FROM pg_trigger WHERE tgrelid = 'salesforce.account'::regclass AND NOT tgisinternal ORDER BY 1"))
                .extracting(r -> r.get("tgname")).containsExactly("hc_account_logtrigger_del", "hc_account_logtrigger_ins", "hc_account_logtrigger_trunc",
                        "hc_account_logtrigger_upd", "hc_account_status_trigger");
        assertThat(user.query("SELECT kind, table_name, name FROM salesforce._pgforce_adoption WHERE table_name = 'account' ORDER BY id"))
                .extracting(r -> r.get("kind") + " " + r.get("name"))
                .containsExactly("trigger hc_account_logtrigger", "trigger hc_account_status_trigger", "function hc_account_status");
        user.update("INSERT INTO salesforce.lead (lastname, company) VALUES ('Poe', 'Hooli')");
        assertThat(user.scalar("SELECT state || ' ' || \"values\" FROM salesforce._trigger_log WHERE table_name = 'lead' ORDER BY id DESC LIMIT 1"))
                .asString().startsWith("READONLY ").contains("\"lastname\"=>\"Poe\"");

        try (Connection listener = database.userSession().connection(); Statement st = listener.createStatement()) {
            st.execute("LISTEN salesforce_hc_trigger_log");
            st.execute("LISTEN \"salesforce.hc_trigger_log\"");
            user.execute("SELECT salesforce.hc_capture_insert_from_row(hstore(a.*), 'account', ARRAY['_hc_lastop', '_hc_err']) FROM salesforce.account a WHERE external_id__c = 'A-1'");
            List<String> channels = new ArrayList<>();
            for (var n : listener.unwrap(PGConnection.class).getNotifications(5_000)) {
                channels.add(n.getName());
            }
            assertThat(channels).as("a resubmit through the original's function wakes pgforce, and the original's channel still hears").contains(
                    "salesforce_hc_trigger_log", "salesforce.hc_trigger_log");
        }
        assertThat(user.query("SELECT state, action FROM salesforce._trigger_log WHERE table_name = 'account' ORDER BY id DESC LIMIT 1"))
                .containsExactly(Map.of("state", "NEW", "action", "INSERT"));

        SchemaInstaller.install(engine, MAPPINGS, TestSchema.LOCK_TIMEOUT);
        assertThat(user.query("SELECT version, details FROM salesforce._pgforce_schema")).containsExactly(
                Map.of("version", SchemaInstaller.SCHEMA_VERSION, "details", "adopted by pgforce from Heroku Connect (hcver 52)"));
    }
}
