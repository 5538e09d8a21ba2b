package io.pgforce.schema;

import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.config.Identifiers.quote;

import io.pgforce.config.InvalidConfigurationException;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Installs or upgrades a synced schema without ever locking the application out. It compares the
 * catalog with what the mappings need and runs DDL only for what is missing, so a start with
 * nothing to change takes no lock on any table. Changes are made in the application's lock order
 * (a mapping table, then the trigger log): the shared objects in one short transaction (the
 * trigger log's indexes then built concurrently), then each mapping table in its own; see
 * {@link ShortTransactions} for the lock timeout and retries. It only adds: it never drops a table
 * or a column.
 * <p>
 * A schema Heroku Connect laid out (see {@link HerokuConnectSchema}) is installed into only when
 * adopting it: its definitions are saved first, then each read-write table's capture is replaced
 * in that table's one transaction, so every change is captured by exactly one of the two.
 */
public final class SchemaInstaller {

    /**
     * Version of the schema layout this pgforce writes; recorded in {@code _pgforce_schema}.
     * Version 3 captures with statement triggers (see CaptureDdl); version 4 keeps its version
     * apart from Heroku Connect's {@code _hcmeta.hcver} and reads a trigger log in either's format.
     */
    public static final int SCHEMA_VERSION = 4;

    /** The default of {@code pgforce.schema.lock-timeout} (application.properties). */
    private static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMillis(50);

    /** A start that cannot get its locks for this long is stopped with an error. */
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);

    private static final Logger LOG = Logger.getLogger(SchemaInstaller.class);

    private static final String SHARED = "the trigger log and its functions";
    private static final String READING = "reading the catalog";
    /** SQLSTATE classes of a refusal: data exception, integrity constraint, syntax or access rule, feature not supported, invalid schema name. */
    private static final Set<String> REFUSALS = Set.of("22", "23", "42", "0A", "3F");

    private final Connection connection;
    private final String schema;
    private final ShortTransactions transactions;
    private SchemaDdl ddl;

    private SchemaInstaller(Connection connection, String schema, Duration lockTimeout) {
        this.connection = connection;
        this.schema = schema;
        this.transactions = new ShortTransactions(connection, schema, lockTimeout, GIVE_UP_AFTER);
    }

    /**
     * Installs what the mappings need. A schema Heroku Connect laid out and pgforce has not adopted
     * is refused with {@link SchemaNotAdoptedException}, before anything changes.
     *
     * @param lockTimeout how long one attempt may wait for a lock the application holds before it is retried
     */
    public static void install(DataSource dataSource, MappingSet mappings, Duration lockTimeout) {
        withConnection(dataSource, mappings, lockTimeout, "install", installer -> installer.install(mappings, false));
    }

    /** Installs what the mappings need, adopting a schema Heroku Connect laid out; see {@link #plan} for what that changes. */
    public static void adopt(DataSource dataSource, MappingSet mappings, Duration lockTimeout) {
        withConnection(dataSource, mappings, lockTimeout, "adopt", installer -> installer.install(mappings, true));
    }

    /** What {@link #adopt} would change, a line each, changing nothing (no DDL, no lock on any table). */
    public static List<String> plan(DataSource dataSource, MappingSet mappings) {
        List<List<String>> lines = new ArrayList<>();
        withConnection(dataSource, mappings, DEFAULT_LOCK_TIMEOUT, "adopt", installer -> lines.add(installer.plan(mappings)));
        return lines.get(0);
    }

    /**
     * Puts Heroku Connect's capture back on a schema pgforce adopted, for a team that must roll
     * back: each table's own triggers and status function in one transaction (so no change is
     * captured twice or not at all), then its notify function; changes still waiting, and failed
     * ones that may be resubmitted, are rewritten in hstore text, which the original reads. Only
     * while nothing is PENDING: pgforce must be paused, its cycle ended. Returns what it did, a
     * line each, or (dry run) what it would do.
     */
    public static List<String> release(DataSource dataSource, MappingSet mappings, Duration lockTimeout, boolean dryRun) {
        List<List<String>> lines = new ArrayList<>();
        withConnection(dataSource, mappings, lockTimeout, "release", installer -> lines.add(installer.release(dryRun)));
        return lines.get(0);
    }

    @FunctionalInterface
    private interface Work {
        void run(SchemaInstaller installer) throws SQLException;
    }

    /** @param verb what is done to the schema, for the error line: install, adopt, release */
    private static void withConnection(DataSource dataSource, MappingSet mappings, Duration lockTimeout, String verb, Work work) {
        String schema = mappings.connection().schema();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(new SchemaInstaller(c, schema, lockTimeout));
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            if (refused(e)) {
                // a batch's own message only says which entry failed; the database's reason is the next exception's
                SQLException reason = e.getNextException() != null ? e.getNextException() : e;
                throw new InvalidConfigurationException("Cannot " + verb + " schema '" + schema + "': the database refuses it (SQLSTATE " + e.getSQLState()
                        + "): " + String.join(" ", reason.getMessage().strip().replaceFirst("^ERROR: ", "").split("\\s*\\R\\s*"))
                        + " Change the object it names, or the mapping" + ("install".equals(verb) ? "; nothing is written until the schema is installed" : ""), e);
            }
            throw new IllegalStateException("Cannot " + verb + " schema '" + schema + "': " + e.getMessage(), e);
        }
    }

    /**
     * The database answered, and said no to the DDL itself (data that breaks a new unique index, an
     * object of another kind in the way, missing rights, a name it will not take): no retry will
     * change that, so it is a mistake to fix, not an outage to wait out. Lock conflicts are retried
     * before they get here; a lost connection, a shutdown or a lack of resources is waited out.
     */
    private static boolean refused(SQLException e) {
        String state = e.getSQLState();
        return state != null && REFUSALS.contains(state.substring(0, Math.min(2, state.length())));
    }

    private record Found(Catalog catalog, HerokuConnectSchema original) {
    }

    private Found read() throws SQLException {
        return transactions.run(READING, () -> {
            Catalog catalog = Catalog.read(connection, schema);
            return new Found(catalog, HerokuConnectSchema.read(connection, schema, catalog));
        });
    }

    private SchemaDdl ddl(Catalog catalog) {
        return SchemaDdl.of(schema, catalog);
    }

    private void install(MappingSet mappings, boolean adopt) throws SQLException {
        Found found = read();
        boolean adopting = found.original().needsAdoption();
        if (adopting) {
            if (!adopt) {
                throw new SchemaNotAdoptedException(found.original().notAdoptedMessage(schema));
            }
            found.original().checkAdoptable(schema, mappings);
            // saved before anything is replaced; once saved, the schema counts as adopted, and an interrupted adoption goes on from there
            transactions.run("saving Heroku Connect's definitions", () -> {
                Found now = read();
                if (now.original().needsAdoption()) {
                    now.original().saveDefinitions(connection, schema, mappings, now.catalog());
                }
                return null;
            });
            LOG.infof("Schema '%s': adopting Heroku Connect's schema (%d change(s) waiting); its definitions are saved in %s for pgforce release",
                    schema, found.original().backlog(), HerokuConnectSchema.ADOPTION_TABLE);
        }
        ddl = ddl(found.catalog());
        // first, because the capture triggers call the shared functions
        int changes = transactions.run(SHARED, () -> installShared(adopting ? "adopted by pgforce from Heroku Connect (hcver " + found.original().hcver() + ")" : null));
        changes += buildConcurrently(ddl.shared());
        for (Mapping m : mappings.mappings()) {
            changes += update("table " + m.table(), ddl.mappingTable(m));
        }
        for (String table : transactions.run(READING, () -> unmappedTablesWithTriggers(mappings))) {
            LOG.warnf("Table %s.%s is no longer mapped: removing its capture triggers (its data is kept)", schema, table);
            changes += update("table " + table, ddl.noCapture(table));
        }
        changes += update("the trigger log's columns", ddl.logColumns());
        LOG.infof("Schema '%s' is at version %d with %d mapping(s); %d change(s) made", schema, SCHEMA_VERSION, mappings.mappings().size(), changes);
    }

    private List<String> plan(MappingSet mappings) throws SQLException {
        Found found = read();
        HerokuConnectSchema original = found.original();
        Catalog catalog = found.catalog();
        List<String> lines = new ArrayList<>();
        if (original.needsAdoption()) {
            original.checkAdoptable(schema, mappings);
            lines.add("save Heroku Connect's definitions it replaces in " + HerokuConnectSchema.ADOPTION_TABLE + " (pgforce release puts them back); hcver "
                    + original.hcver() + " stays in _hcmeta, pgforce's version goes to _pgforce_schema");
        }
        ddl = ddl(catalog);
        gaps(catalog, ddl.shared()).forEach(gap -> lines.add("shared: " + gap));
        for (Mapping m : mappings.mappings()) {
            List<String> gaps = gaps(catalog, ddl.mappingTable(m));
            if (!m.readWrite() && catalog.originalCaptureTables().contains(m.table())) {
                lines.add("table " + m.table() + ": read-only, Heroku Connect's triggers kept (they log READONLY)");
            } else if (!gaps.isEmpty()) {
                lines.add("table " + m.table() + ", in one transaction: " + String.join("; ", gaps));
            }
        }
        // last, see SchemaDdl.logColumns
        gaps(catalog, ddl.logColumns()).forEach(gap -> lines.add("last: " + gap));
        if (original.needsAdoption() || original.textLog()) {
            lines.add("kept: the trigger log's " + (original.textLog() ? "text " : "") + "old/values (" + original.backlog()
                    + " NEW change(s) are read as they are and sent in order), its archive, _sf_event_log, hc_<table>_logger(), "
                    + "hc_capture_insert_from_row and hc_capture_update_from_row");
        }
        if (lines.isEmpty()) {
            lines.add("nothing: schema '" + schema + "' is installed as the mappings need");
        }
        return lines;
    }

    private static List<String> gaps(Catalog catalog, List<Requirement> needed) {
        return needed.stream().filter(r -> !r.metBy(catalog)).map(r -> r.gap(catalog).describe()).toList();
    }

    private List<String> release(boolean dryRun) throws SQLException {
        Found found = read();
        if (!found.original().adopted()) {
            throw new InvalidConfigurationException("Cannot release schema '" + schema + "': pgforce has not adopted it (no definitions saved in "
                    + HerokuConnectSchema.ADOPTION_TABLE + "), so there is nothing of Heroku Connect's to put back");
        }
        List<HerokuConnectSchema.Saved> saved = transactions.run(READING, () -> HerokuConnectSchema.saved(connection, schema));
        List<String> lines = new ArrayList<>();
        List<String> tables = saved.stream().map(HerokuConnectSchema.Saved::table).filter(Objects::nonNull).distinct().toList();
        for (String table : tables) {
            List<HerokuConnectSchema.Saved> own = saved.stream().filter(d -> table.equals(d.table())).toList();
            lines.add("table " + table + ", in one transaction: drop pgforce's capture triggers; put back " + own.stream().map(d -> d.kind() + " " + d.name()).collect(Collectors.joining(", ")));
        }
        saved.stream().filter(d -> d.table() == null).forEach(d -> lines.add("shared: put back " + d.kind() + " " + d.name()));
        long json = transactions.run(READING, () -> pgforceRowsWaiting());
        lines.add("rewrite in hstore text the " + json + " NEW or FAILED change(s) pgforce captured, which the original reads; forget the saved definitions");
        if (dryRun) {
            return lines;
        }
        long pending = transactions.run(READING, this::pending);
        if (pending > 0) {
            throw new InvalidConfigurationException("Cannot release schema '" + schema + "': " + pending + " change(s) are PENDING, being written by pgforce; "
                    + "pause it (pgforce pause), wait until none is PENDING, and release again");
        }
        // each step can run again: a release cut short is simply run again
        for (String table : tables) {
            transactions.run("table " + table, () -> {
                List<String> sql = new ArrayList<>(ddl(Catalog.read(connection, schema)).pgforceTriggersGone(table));
                saved.stream().filter(d -> table.equals(d.table()) && d.kind().equals("function")).forEach(d -> sql.addAll(restored(d)));
                saved.stream().filter(d -> table.equals(d.table()) && d.kind().equals("trigger"))
                        .forEach(d -> sql.addAll(List.of("DROP TRIGGER IF EXISTS " + quote(d.name()) + " ON " + qualified(schema, table), d.definition())));
                execute(sql);
                return null;
            });
        }
        transactions.run("the trigger log", () -> {
            List<String> sql = new ArrayList<>();
            saved.stream().filter(d -> d.table() == null).forEach(d -> sql.addAll(restored(d)));
            sql.addAll(HerokuConnectSchema.asHstoreText(connection, schema));
            sql.add("DELETE FROM " + qualified(schema, HerokuConnectSchema.ADOPTION_TABLE));
            sql.add("INSERT INTO " + qualified(schema, "_pgforce_schema") + " (version, details) VALUES (" + SCHEMA_VERSION + ", 'released to Heroku Connect')");
            execute(sql);
            return null;
        });
        LOG.infof("Schema '%s' is released: Heroku Connect's capture is back; pgforce writes nothing here until it adopts the schema again", schema);
        return lines;
    }

    /** A function as it was: replacing it kept pgforce's stamp in its comment, which is not the original's. */
    private List<String> restored(HerokuConnectSchema.Saved function) {
        return List.of(function.definition(), "COMMENT ON FUNCTION " + qualified(schema, function.name()) + "() IS NULL");
    }

    private long pgforceRowsWaiting() throws SQLException {
        return count("SELECT count(*) FROM " + qualified(schema, "_trigger_log") + " WHERE state IN ('NEW', 'FAILED') AND (\"values\"::text LIKE '{%' OR old::text LIKE '{%')");
    }

    private long pending() throws SQLException {
        return count("SELECT count(*) FROM " + qualified(schema, "_trigger_log") + " WHERE state = 'PENDING'");
    }

    private long count(String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private int installShared(String adoption) throws SQLException {
        int existing = installedVersion();
        if (existing > SCHEMA_VERSION) {
            throw new InvalidConfigurationException("Schema '" + schema + "' was laid out by a newer pgforce (schema version " + existing
                    + " in _pgforce_schema); this one writes version " + SCHEMA_VERSION + ": run the newer pgforce, or upgrade this one");
        }
        Catalog before = Catalog.read(connection, schema);
        List<Requirement> inTransaction = ddl.shared().stream()
                .filter(r -> !built(r) || !before.hasRelation("_trigger_log")).toList();
        int changes = applyMissing(SHARED, inTransaction);
        recordVersion(existing, adoption);
        return changes;
    }

    /** An index built concurrently: on a trigger log that is there already, see trigger-log-indexes.sql. */
    private static boolean built(Requirement r) {
        return r.ddl().stream().anyMatch(sql -> sql.contains(" CONCURRENTLY "));
    }

    /** Meets the requirements in a transaction of their own; returns the number of changes made. */
    private int update(String what, List<Requirement> needed) throws SQLException {
        return transactions.run(what, () -> applyMissing(what, needed));
    }

    /**
     * Runs the DDL of every requirement the catalog does not meet, then stamps the definitions it
     * wrote. Returns how many were missing: none means no DDL ran and no table was locked.
     */
    private int applyMissing(String what, List<Requirement> needed) throws SQLException {
        Catalog before = Catalog.read(connection, schema);
        List<Requirement> missing = needed.stream().filter(r -> !r.metBy(before)).toList();
        if (missing.isEmpty()) {
            return 0;
        }
        LOG.infof("Schema '%s': updating %s (%d change(s))", schema, what, missing.size());
        // in a transaction, an index is built plainly: the table was created by it, or is created now
        execute(missing.stream().flatMap(r -> r.ddl().stream()).map(sql -> sql.replace(" CONCURRENTLY ", " ")).toList());
        Catalog after = Catalog.read(connection, schema);
        execute(missing.stream().flatMap(r -> r.stamp(after).stream()).toList());
        return missing.size();
    }

    /** One batch: one round trip, so that the locks it takes are held as briefly as possible. */
    private void execute(List<String> sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String s : sql) {
                st.addBatch(s);
            }
            st.executeBatch();
        }
    }

    /**
     * Builds, outside any transaction, the missing indexes of a trigger log that is there: the
     * application writes on meanwhile. One that is interrupted is left invalid, and built again next time.
     */
    private int buildConcurrently(List<Requirement> shared) throws SQLException {
        Catalog catalog = transactions.run(READING, () -> Catalog.read(connection, schema));
        List<Requirement> missing = shared.stream().filter(SchemaInstaller::built).filter(r -> !r.metBy(catalog)).toList();
        if (missing.isEmpty()) {
            return 0;
        }
        LOG.infof("Schema '%s': building %d index(es) of the trigger log concurrently", schema, missing.size());
        connection.setAutoCommit(true);
        try (Statement st = connection.createStatement()) {
            for (Requirement r : missing) {
                for (String sql : r.ddl()) {
                    st.execute(sql);
                }
            }
        } finally {
            connection.setAutoCommit(false);
        }
        return missing.size();
    }

    /**
     * pgforce's version: its own table's, or, for a schema an earlier pgforce laid out, the
     * {@code _hcmeta} rows that say "by pgforce" (the original's rows there are its own numbers).
     */
    private int installedVersion() throws SQLException {
        if (exists("_pgforce_schema")) {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT max(version) FROM " + qualified(schema, "_pgforce_schema"))) {
                rs.next();
                if (rs.getObject(1) != null) {
                    return rs.getInt(1);
                }
            }
        }
        if (!exists("_hcmeta")) {
            return 0;
        }
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(hcver), 0) FROM " + qualified(schema, "_hcmeta") + " WHERE details LIKE '%by pgforce%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean exists(String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, qualified(schema, table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Written only when the version changes, or when the schema is adopted. */
    private void recordVersion(int existing, String adoption) throws SQLException {
        if (existing == SCHEMA_VERSION && adoption == null) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + qualified(schema, "_pgforce_schema") + " (version, details) VALUES (?, ?)")) {
            ps.setInt(1, SCHEMA_VERSION);
            ps.setString(2, adoption != null ? adoption : existing == 0 ? "installed by pgforce" : "upgraded by pgforce from version " + existing);
            ps.executeUpdate();
        }
    }

    private List<String> unmappedTablesWithTriggers(MappingSet mappings) throws SQLException {
        Set<String> mapped = mappings.mappings().stream().map(Mapping::table).collect(Collectors.toSet());
        Catalog catalog = Catalog.read(connection, schema);
        // a table Heroku Connect's own triggers capture is the original's to keep (a read-only one, say)
        Set<String> original = catalog.originalCaptureTables();
        return catalog.relations().stream()
                .filter(table -> !mapped.contains(table) && !original.contains(table) && ddl.noCapture(table).stream().anyMatch(r -> !r.metBy(catalog)))
                .toList();
    }
}
