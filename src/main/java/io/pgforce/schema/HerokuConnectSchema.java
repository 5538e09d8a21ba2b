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
 * @param logType        the type of the trigger log's {@code values}, as Postgres renders it (null: no log)
 * @param adopted        pgforce adopted the schema (and has not released it)
 * @param backlog        NEW changes waiting in the trigger log
 * @param pending        PENDING changes: claimed by a writer (the original, before adoption) and not settled
 */
record HerokuConnectSchema(Integer hcver, Set<String> captureTables, String logType, boolean adopted, long backlog, long pending) {

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
        String logType = catalog.columnType("_trigger_log", "values").orElse(null);
        boolean adopted = false;
        if (catalog.hasRelation(ADOPTION_TABLE)) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + qualified(schema, ADOPTION_TABLE) + ")")) {
                rs.next();
                adopted = rs.getBoolean(1);
            }
        }
        long backlog = 0;
        long pending = 0;
        if (catalog.hasRelation("_trigger_log")) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE state = 'NEW'), count(*) FILTER (WHERE state = 'PENDING') FROM "
                    + qualified(schema, "_trigger_log") + " WHERE state IN ('NEW', 'PENDING')")) {
                rs.next();
                backlog = rs.getLong(1);
                pending = rs.getLong(2);
            }
        }
        return new HerokuConnectSchema(hcver, catalog.originalCaptureTables(), logType, adopted, backlog, pending);
    }

    /**
     * Heroku Connect laid the schema out (its read side's log is there), or pgforce adopted it from
     * Heroku Connect: its trigger log is the original's, with the original's indexes.
     */
    static boolean laidOut(Catalog catalog) {
        return catalog.hasRelation("_sf_event_log") || catalog.hasRelation(ADOPTION_TABLE);
    }

    /** The trigger log's values are text or hstore, as the original lays them out (pgforce's are jsonb). */
    boolean textLog() {
        return logType != null && !logType.equals("jsonb");
    }

    /** The original's schema, not (or no longer) adopted: pgforce must not install, claim or write until it is. */
    boolean needsAdoption() {
        return !adopted && (hcver != null || !captureTables.isEmpty() || textLog());
    }

    /** The one line an operator reads: whose schema this is, and how to take it over. */
    String notAdoptedMessage(String schema) {
        return "Schema '" + schema + "' is Heroku Connect's (" + (hcver == null ? "" : "hcver " + hcver + "; ")
                + (captureTables.isEmpty() ? "" : "its triggers capture " + String.join(", ", captureTables) + "; ")
                + backlog + " change(s) waiting): pgforce installs, claims and writes nothing here until it adopts the schema. "
                + "See what adopting changes with 'pgforce adopt --dry-run', then run 'pgforce adopt', or start with pgforce.schema.adopt=true";
    }

    /**
     * Adopting must lose nothing and send nothing twice: no change may be PENDING (in the original's
     * hands), and every table the original captures must be mapped (a read-write table left out
     * would leave its waiting changes unsent and its later ones uncaptured).
     */
    void checkAdoptable(String schema, MappingSet mappings) {
        if (pending > 0) {
            // pgforce would send them again: the original may have sent them already
            throw new InvalidConfigurationException("Cannot adopt schema '" + schema + "': " + pending + " change(s) are PENDING, claimed by Heroku Connect "
                    + "and not settled; pause it and wait until none is PENDING (or, if it is gone for good and they never reached Salesforce, "
                    + "set them back to NEW), then adopt again");
        }
        if (textLog() && !logType.equals("text")) {
            // pgforce's capture writes JSON text, which a column of another type (an older add-on's hstore) would refuse: every application write would fail
            throw new InvalidConfigurationException("Cannot adopt schema '" + schema + "': the trigger log's old and values are of type " + logType
                    + " (an older Heroku Connect add-on), where pgforce writes text; change both columns of _trigger_log and _trigger_log_archive to text "
                    + "(ALTER TABLE ... ALTER COLUMN \"values\" TYPE text, which rewrites the table) while Heroku Connect is paused, then adopt again");
        }
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

    /** A definition adopting replaced, as Postgres rendered it ({@code kind} trigger or function; {@code table} null for a shared one). */
    record Saved(String kind, String table, String name, String definition) {
    }

    /** The saved definitions, in the order they were saved; the adoption's own marker row left out. */
    static List<Saved> saved(Connection c, String schema) throws SQLException {
        List<Saved> saved = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT kind, table_name, name, definition FROM "
                + qualified(schema, ADOPTION_TABLE) + " WHERE kind IN ('trigger', 'function') ORDER BY id")) {
            while (rs.next()) {
                saved.add(new Saved(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        return saved;
    }

    /**
     * The statements that rewrite, in hstore's text form, the changes pgforce captured as JSON that
     * the original may still read: waiting ones (NEW) and failed ones (which a user may set back to NEW).
     */
    static List<String> asHstoreText(Connection c, String schema) throws SQLException {
        String hstore;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hstore'")) {
            if (!rs.next()) {
                throw new InvalidConfigurationException("Cannot release schema '" + schema + "': the hstore extension, which Heroku Connect's capture uses, is not installed");
            }
            hstore = rs.getString(1);
        }
        String log = qualified(schema, "_trigger_log");
        List<String> sql = new ArrayList<>();
        for (String column : List.of("\"values\"", "old")) {
            sql.add("UPDATE " + log + " SET " + column + " = (SELECT " + hstore + ".hstore(coalesce(array_agg(j.key), '{}'), coalesce(array_agg(j.value), '{}'))::text "
                    + "FROM jsonb_each_text(" + column + "::text::jsonb) j) WHERE state IN ('NEW', 'FAILED') AND " + column + "::text LIKE '{%'");
        }
        return sql;
    }

    /** The original's trigger function on the trigger log, which pings its channel; adopted, it wakes pgforce too. */
    static final String NOTIFY_FUNCTION = "tlog_notify_trigger";
}
