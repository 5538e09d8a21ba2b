package io.pgforce.schema;

import static io.pgforce.config.Identifiers.qualified;

import io.pgforce.config.InvalidConfigurationException;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Installs or upgrades a synced schema without ever locking the application out. It compares the
 * catalog with what the mappings need and runs DDL only for what is missing, so a start with
 * nothing to change takes no lock on any table. Changes are made in the application's lock order
 * (a mapping table, then the trigger log): the shared objects in one short transaction, then each
 * mapping table in its own, never touching the trigger log; see {@link ShortTransactions} for the
 * lock timeout and retries. It only adds: it never drops a table or a column.
 */
public final class SchemaInstaller {

    /**
     * Version of the schema layout this pgforce writes; recorded in {@code _hcmeta.hcver}. Version 3
     * captures with statement triggers (see CaptureDdl): an older pgforce, which would add its row
     * trigger beside them and capture every change twice, refuses the schema.
     */
    public static final int SCHEMA_VERSION = 3;

    /** The default of {@code pgforce.schema.lock-timeout} (application.properties). */
    private static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMillis(50);

    /** A start that cannot get its locks for this long is stopped with an error. */
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);

    private static final Logger LOG = Logger.getLogger(SchemaInstaller.class);

    private static final String SHARED = "the trigger log and its functions";
    /** SQLSTATE classes of a refusal: data exception, integrity constraint, syntax or access rule, feature not supported, invalid schema name. */
    private static final Set<String> REFUSALS = Set.of("22", "23", "42", "0A", "3F");

    private final Connection connection;
    private final String schema;
    private final SchemaDdl ddl;
    private final ShortTransactions transactions;

    private SchemaInstaller(Connection connection, String schema, Duration lockTimeout) {
        this.connection = connection;
        this.schema = schema;
        this.ddl = new SchemaDdl(schema);
        this.transactions = new ShortTransactions(connection, schema, lockTimeout, GIVE_UP_AFTER);
    }

    /** @param lockTimeout how long one attempt may wait for a lock the application holds before it is retried */
    public static void install(DataSource dataSource, MappingSet mappings, Duration lockTimeout) {
        String schema = mappings.connection().schema();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                new SchemaInstaller(c, schema, lockTimeout).install(mappings);
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            if (refused(e)) {
                // a batch's own message only says which entry failed; the database's reason is the next exception's
                SQLException reason = e.getNextException() != null ? e.getNextException() : e;
                throw new InvalidConfigurationException("Cannot install schema '" + schema + "': the database refuses it (SQLSTATE " + e.getSQLState()
                        + "): " + String.join(" ", reason.getMessage().strip().replaceFirst("^ERROR: ", "").split("\\s*\\R\\s*"))
                        + " Change the object it names, or the mapping; nothing is written until the schema is installed", e);
            }
            throw new IllegalStateException("Cannot install schema '" + schema + "': " + e.getMessage(), e);
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

    private void install(MappingSet mappings) throws SQLException {
        // first, because the capture triggers call the shared functions
        int changes = transactions.run(SHARED, this::installShared);
        for (Mapping m : mappings.mappings()) {
            changes += update("table " + m.table(), ddl.mappingTable(m));
        }
        for (String table : transactions.run("reading the catalog", () -> unmappedTablesWithTriggers(mappings))) {
            LOG.warnf("Table %s.%s is no longer mapped: removing its capture triggers (its data is kept)", schema, table);
            changes += update("table " + table, ddl.noCapture(table));
        }
        LOG.infof("Schema '%s' is at version %d with %d mapping(s); %d change(s) made", schema, SCHEMA_VERSION, mappings.mappings().size(), changes);
    }

    private int installShared() throws SQLException {
        int existing = installedVersion();
        if (existing > SCHEMA_VERSION) {
            throw new IllegalStateException("Schema '" + schema + "' was laid out by a newer pgforce (version " + existing
                    + "); this one writes version " + SCHEMA_VERSION + ". Upgrade pgforce.");
        }
        int changes = applyMissing(SHARED, ddl.shared());
        recordVersion(existing);
        return changes;
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
        execute(missing.stream().flatMap(r -> r.ddl().stream()).toList());
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

    private int installedVersion() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, qualified(schema, "_hcmeta"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT max(hcver) FROM " + qualified(schema, "_hcmeta"))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Written only when the version changes. */
    private void recordVersion(int existing) throws SQLException {
        if (existing == SCHEMA_VERSION) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + qualified(schema, "_hcmeta") + " (hcver, details) VALUES (?, ?)")) {
            ps.setInt(1, SCHEMA_VERSION);
            ps.setString(2, existing == 0 ? "installed by pgforce" : "upgraded by pgforce from version " + existing);
            ps.executeUpdate();
        }
    }

    private List<String> unmappedTablesWithTriggers(MappingSet mappings) throws SQLException {
        Set<String> mapped = mappings.mappings().stream().map(Mapping::table).collect(Collectors.toSet());
        Catalog catalog = Catalog.read(connection, schema);
        return catalog.relations().stream()
                .filter(table -> !mapped.contains(table) && ddl.noCapture(table).stream().anyMatch(r -> !r.metBy(catalog)))
                .toList();
    }
}
