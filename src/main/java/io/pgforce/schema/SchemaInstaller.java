package io.pgforce.schema;

import static io.pgforce.config.Identifiers.qualified;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Installs or upgrades a synced schema in one transaction, serialised across pgforce instances
 * by an advisory lock. Running it again is harmless: it only adds what is missing (tables,
 * columns, indexes) and refreshes functions and triggers. It never drops a table or a column.
 */
public final class SchemaInstaller {

    /** Version of the schema layout this pgforce writes; recorded in {@code _hcmeta.hcver}. */
    public static final int SCHEMA_VERSION = 1;

    private static final Logger LOG = Logger.getLogger(SchemaInstaller.class);

    private SchemaInstaller() {
    }

    public static void install(DataSource dataSource, MappingSet mappings) {
        String schema = mappings.connection().schema();
        SchemaDdl ddl = new SchemaDdl(schema);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "pgforce-schema:" + schema);
                    lock.execute();
                }
                int existing = installedVersion(c, schema);
                if (existing > SCHEMA_VERSION) {
                    throw new IllegalStateException("Schema '" + schema + "' was laid out by a newer pgforce (version " + existing
                            + "); this one writes version " + SCHEMA_VERSION + ". Upgrade pgforce.");
                }
                List<String> sql = new ArrayList<>(ddl.base());
                for (Mapping m : mappings.mappings()) {
                    sql.addAll(ddl.mappingTable(m));
                }
                for (String table : unmappedTablesWithTriggers(c, schema, mappings)) {
                    LOG.warnf("Table %s.%s is no longer mapped: removing its capture triggers (its data is kept)", schema, table);
                    sql.addAll(ddl.dropTriggers(table));
                }
                for (String s : sql) {
                    st.execute(s);
                }
                recordVersion(c, schema, existing);
                c.commit();
                LOG.infof("Schema '%s' is at version %d with %d mapping(s)", schema, SCHEMA_VERSION, mappings.mappings().size());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot install schema '" + schema + "': " + e.getMessage(), e);
        }
    }

    private static int installedVersion(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, qualified(schema, "_hcmeta"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(hcver) FROM " + qualified(schema, "_hcmeta"))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void recordVersion(Connection c, String schema, int existing) throws SQLException {
        if (existing == SCHEMA_VERSION) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualified(schema, "_hcmeta") + " (hcver, details) VALUES (?, ?)")) {
            ps.setInt(1, SCHEMA_VERSION);
            ps.setString(2, existing == 0 ? "installed by pgforce" : "upgraded by pgforce from version " + existing);
            ps.executeUpdate();
        }
    }

    private static List<String> unmappedTablesWithTriggers(Connection c, String schema, MappingSet mappings) throws SQLException {
        Set<String> mapped = mappings.mappings().stream().map(Mapping::table).collect(Collectors.toSet());
        List<String> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT cl.relname FROM pg_trigger t JOIN pg_class cl ON cl.oid = t.tgrelid JOIN pg_namespace n ON n.oid = cl.relnamespace "
                        + "WHERE n.nspname = ? AND t.tgname = 'hc_' || cl.relname || '_logtrigger'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!mapped.contains(rs.getString(1))) {
                        result.add(rs.getString(1));
                    }
                }
            }
        }
        return result;
    }
}
