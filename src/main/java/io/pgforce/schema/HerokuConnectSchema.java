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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What Heroku Connect, the original, left in a schema, read from the catalog: its row capture
 * triggers ({@code hc_<table>_logtrigger} calling {@code hc_<table>_logger()}), its own version
 * row in {@code _hcmeta}, a trigger log whose {@code old}/{@code values} are text (hstore's text
 * form), and whether pgforce has adopted the schema ({@code _pgforce_adoption} holds the
 * definitions pgforce replaced, which {@code pgforce release} puts back).
 * <p>
 * pgforce takes such a schema over only when told to (adopting replaces the capture of every
 * read-write table), never by merely starting on it.
 *
 * @param hcver          the original's schema version, when its row is there ({@code _hcmeta} rows pgforce wrote say so)
 * @param captureTables  the tables the original's row trigger captures now
 * @param textLog        the trigger log's values are text or hstore, as the original lays them out
 * @param adopted        pgforce adopted the schema (and has not released it)
 * @param backlog        NEW changes waiting in the trigger log
 */
record HerokuConnectSchema(Integer hcver, Set<String> captureTables, boolean textLog, boolean adopted, long backlog) {

    static final String ADOPTION_TABLE = "_pgforce_adoption";

    static HerokuConnectSchema read(Connection c, String schema, Catalog catalog) throws SQLException {
        Integer hcver = null;
        if (catalog.hasRelation("_hcmeta")) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(hcver) FROM " + qualified(schema, "_hcmeta")
                    + " WHERE details IS NULL OR details NOT LIKE '%by pgforce%'")) {
                rs.next();
                hcver = (Integer) rs.getObject(1);
            }
        }
        boolean textLog = catalog.columnType("_trigger_log", "values").filter(t -> !t.equals("jsonb")).isPresent();
        boolean adopted = false;
        if (catalog.hasRelation(ADOPTION_TABLE)) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + qualified(schema, ADOPTION_TABLE) + ")")) {
                rs.next();
                adopted = rs.getBoolean(1);
            }
        }
        long backlog = 0;
        if (catalog.hasRelation("_trigger_log")) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + qualified(schema, "_trigger_log") + " WHERE state = 'NEW'")) {
                rs.next();
                backlog = rs.getLong(1);
            }
        }
        return new HerokuConnectSchema(hcver, catalog.originalCaptureTables(), textLog, adopted, backlog);
    }

    /** The original's schema, not (or no longer) adopted: pgforce must not install, claim or write until it is. */
    boolean needsAdoption() {
        return !adopted && (hcver != null || !captureTables.isEmpty() || textLog);
    }

    /** The one line an operator reads: whose schema this is, and how to take it over. */
    String notAdoptedMessage(String schema) {
        return "Schema '" + schema + "' is Heroku Connect's (" + (hcver == null ? "" : "hcver " + hcver + "; ")
                + (captureTables.isEmpty() ? "" : "its triggers capture " + String.join(", ", captureTables) + "; ")
                + backlog + " change(s) waiting): pgforce installs, claims and writes nothing here until it adopts the schema. "
                + "See what adopting changes with 'pgforce adopt --dry-run', then run 'pgforce adopt', or start with pgforce.schema.adopt=true";
    }

    /**
     * Every table whose changes the original sends must be a read-write mapping: adopting a schema
     * with one left out would leave its waiting changes unsent and its later ones uncaptured.
     */
    void checkMapped(String schema, MappingSet mappings) {
        Set<String> readWrite = mappings.mappings().stream().filter(Mapping::readWrite).map(Mapping::table).collect(Collectors.toSet());
        Set<String> readOnly = mappings.mappings().stream().filter(m -> !m.readWrite()).map(Mapping::table).collect(Collectors.toSet());
        List<String> missing = captureTables.stream().filter(t -> !readWrite.contains(t) && !readOnly.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidConfigurationException("Cannot adopt schema '" + schema + "': Heroku Connect captures " + String.join(", ", missing)
                    + ", which no mapping names; add the mapping (read_write or read_only, as it is in Heroku Connect) and adopt again");
        }
    }

    /**
     * The tables whose capture pgforce leaves to the original's triggers: read-only mappings (their
     * READONLY rows belong to the read side) and tables no mapping names.
     */
    Set<String> keptCapture(MappingSet mappings) {
        Set<String> readWrite = mappings.mappings().stream().filter(Mapping::readWrite).map(Mapping::table).collect(Collectors.toSet());
        return captureTables.stream().filter(t -> !readWrite.contains(t)).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Saves, in one transaction, the definitions adopting replaces (each read-write table's
     * capture and status triggers and status function, and the notify function), so that release
     * can put them back as they were. Its rows mark the schema adopted.
     */
    void saveDefinitions(Connection c, String schema, MappingSet mappings, Catalog catalog) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + qualified(schema, ADOPTION_TABLE) + " (id serial PRIMARY KEY, kind text NOT NULL, "
                    + "table_name text, name text NOT NULL, definition text, saved_at timestamptz NOT NULL DEFAULT now())");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"adopted", null, "hcver " + hcver, null});
        Set<String> kept = keptCapture(mappings);
        for (String table : captureTables) {
            if (kept.contains(table)) {
                continue;
            }
            for (String trigger : List.of("hc_" + table + "_logtrigger", "hc_" + table + "_status_trigger")) {
                catalog.trigger(table, trigger).ifPresent(d -> rows.add(new String[] {"trigger", table, trigger, d.text()}));
            }
            catalog.function("hc_" + table + "_status").ifPresent(d -> rows.add(new String[] {"function", table, "hc_" + table + "_status", d.text()}));
        }
        Optional<Catalog.Definition> notify = catalog.function(NOTIFY_FUNCTION);
        notify.ifPresent(d -> rows.add(new String[] {"function", null, NOTIFY_FUNCTION, d.text()}));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualified(schema, ADOPTION_TABLE) + " (kind, table_name, name, definition) VALUES (?, ?, ?, ?)")) {
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setString(i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The original's trigger function on the trigger log, which pings its channel; adopted, it wakes pgforce too. */
    static final String NOTIFY_FUNCTION = "tlog_notify_trigger";
}
