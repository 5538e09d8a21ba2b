package io.pgforce.schema;

import io.pgforce.testing.TestSchema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.config.MappingSet;
import io.pgforce.testing.RowLevelCapture;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.UserSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** A restart of pgforce must never harm the application writing to the mapping tables. */
class SchemaStartupLockTest {

    private static final String MAPPING = """
            connection: {schema: sync}
            mappings:
              - object: Account
                unique_identifier: External_Id__c
                fields: {Name: varchar(255), External_Id__c: varchar(64)}
              - object: Contact
                fields: {LastName: varchar(80)}
            """;
    private static final String WITH_PHONE = MAPPING.replace("External_Id__c: varchar(64)}", "External_Id__c: varchar(64), Phone: varchar(40)}");

    @TempDir
    Path dir;
    TestDatabase database;
    PGSimpleDataSource engine;
    UserSession db;

    @BeforeEach
    void database() {
        database = TestDatabase.create("schema_locks");
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

    @Test
    void twentyRestartsWhileTheApplicationWritesCostItNothing() throws Exception {
        SchemaInstaller.install(engine, mapping(MAPPING), TestSchema.LOCK_TIMEOUT);
        MappingSet before = mapping(MAPPING);
        MappingSet after = mapping(WITH_PHONE);
        Application app = new Application();
        Thread writer = new Thread(app, "application");
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> app.committed.get() > 0);
            for (int start = 0; start < 20; start++) {
                SchemaInstaller.install(engine, start < 10 ? before : after, TestSchema.LOCK_TIMEOUT); // the tenth restart brings a new field
                long committed = app.committed.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> app.committed.get() > committed); // the application writes between restarts
            }
        } finally {
            app.stop = true;
            writer.join();
        }

        assertThat(app.errors).as("errors the application saw").isEmpty();
        assertThat(app.committed.get()).isGreaterThan(20);
        db.update("UPDATE sync.account SET phone = '555' WHERE id = (SELECT max(id) FROM sync.account)");
        assertThat(db.scalar("SELECT values::text FROM sync._trigger_log ORDER BY id DESC LIMIT 1")).isEqualTo("{\"phone\": \"555\"}");
    }

    /**
     * The upgrade from version 2's row triggers, while the application writes: every row it wrote
     * is logged exactly once, by the row triggers before its table's transaction or by the
     * statement triggers after it.
     */
    @Test
    void anUpgradeFromRowTriggersWhileTheApplicationWritesLosesAndDoublesNoChange() throws Exception {
        MappingSet set = mapping(MAPPING);
        SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);
        RowLevelCapture.install(db.connection(), "sync", set.mappings());
        Application app = new Application();
        Thread writer = new Thread(app, "application");
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> app.committed.get() > 20);
            SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);
            long committed = app.committed.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> app.committed.get() > committed + 20);
        } finally {
            app.stop = true;
            writer.join();
        }

        assertThat(app.errors).as("errors the application saw").isEmpty();
        assertThat(db.count("SELECT count(*) FROM pg_trigger WHERE tgname IN ('hc_account_logtrigger', 'hc_contact_logtrigger')")).isZero();
        assertThat(db.query("SELECT table_name || ' ' || action AS k, count(*) AS n FROM sync._trigger_log GROUP BY 1"))
                .extracting(r -> r.get("k") + " " + r.get("n"))
                .containsExactlyInAnyOrderElementsOf(app.written.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    @Test
    void aStartWithNothingMissingRunsNoDdlAndWaitsForNoLock() throws Exception {
        MappingSet set = mapping(MAPPING);
        SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);
        recordEveryDdlCommand();
        try (UserSession app = database.userSession()) {
            app.connection().setAutoCommit(false);
            // holds RowExclusiveLock on sync.account and sync._trigger_log until it ends
            app.update("INSERT INTO sync.account (name) VALUES ('in flight')");
            CompletableFuture<Void> start = CompletableFuture.runAsync(() -> SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT));
            try {
                start.get(1, TimeUnit.SECONDS);
            } finally {
                app.connection().rollback();
            }
        }

        assertThat(db.query("SELECT tag FROM public.ddl_seen")).as("DDL commands run by the second start").isEmpty();
    }

    /** An event trigger sees every DDL command, even one that finds its object already there. */
    private void recordEveryDdlCommand() {
        db.execute("CREATE TABLE public.ddl_seen (tag text)");
        db.execute("CREATE FUNCTION public.record_ddl() RETURNS event_trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN INSERT INTO public.ddl_seen (tag) VALUES (tg_tag); END $$");
        db.execute("CREATE EVENT TRIGGER record_ddl ON ddl_command_start EXECUTE FUNCTION public.record_ddl()");
    }

    /**
     * An application writing without pause: small transactions that insert, update and delete in
     * both mapping tables, in either order, with a lock_timeout so that any wait over 100 ms on a
     * lock pgforce holds shows up as an error.
     */
    private final class Application implements Runnable {

        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger committed = new AtomicInteger();
        /** Rows written by committed transactions, by "table ACTION". */
        final Map<String, Long> written = new ConcurrentHashMap<>();
        volatile boolean stop;

        @Override
        public void run() {
            try (UserSession session = database.userSession()) {
                session.execute("SET lock_timeout = '100ms'");
                Connection c = session.connection();
                c.setAutoCommit(false);
                for (int i = 0; !stop; i++) {
                    transaction(c, i);
                }
            } catch (SQLException e) {
                errors.add(e.getMessage());
            }
        }

        private void transaction(Connection c, int i) throws SQLException {
            Map<String, Long> rows = new HashMap<>();
            try {
                boolean accountFirst = i % 2 == 0;
                write(c, accountFirst ? "account" : "contact", i, rows);
                write(c, accountFirst ? "contact" : "account", i, rows);
                c.commit();
                rows.forEach((k, n) -> written.merge(k, n, Long::sum));
                committed.incrementAndGet();
            } catch (SQLException e) {
                errors.add(e.getMessage());
                c.rollback();
            }
        }

        private void write(Connection c, String table, int i, Map<String, Long> rows) throws SQLException {
            String column = table.equals("account") ? "name" : "lastname";
            execute(c, table, "INSERT", "INSERT INTO sync." + table + " (" + column + ") VALUES ('row " + i + "')", rows);
            execute(c, table, "UPDATE", "UPDATE sync." + table + " SET " + column + " = " + column + " || '+' WHERE id = (SELECT max(id) FROM sync." + table + ")", rows);
            if (i % 3 == 0) {
                execute(c, table, "DELETE", "DELETE FROM sync." + table + " WHERE id = (SELECT min(id) FROM sync." + table + ")", rows);
            }
        }

        private void execute(Connection c, String table, String action, String sql, Map<String, Long> rows) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                rows.merge(table + " " + action, (long) ps.executeUpdate(), Long::sum);
            }
        }
    }
}
