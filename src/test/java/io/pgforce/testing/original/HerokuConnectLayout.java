package io.pgforce.testing.original;

import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.config.Identifiers.quote;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lays out a database as Heroku Connect (the original) leaves it, per the layout in shared/'s
 * docs/heroku-connect-schema.md: its shared tables and functions, and per mapping its table,
 * indexes, logger and status triggers, all in the original's shape (hstore text in the trigger
 * log, {@code _hcmeta} with the original's version number). Tests of a take-over start from it.
 * The SQL is under {@code src/test/resources/heroku-connect/}.
 */
public final class HerokuConnectLayout {

    /** The org id the fixture's {@code _hcmeta} row names. */
    public static final String ORG_ID = "00D000000000001AAA";
    /** A placeholder of the SQL resources, filled with a value as it is (quoted beforehand). */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    private HerokuConnectLayout() {
    }

    /**
     * Creates, in {@code mappings.connection().schema()}, everything the original has there: the
     * shared tables, functions and triggers, one {@code _hcmeta} row with {@code hcver}, and each
     * mapping's table with its capture. The schema must not hold any of them yet.
     */
    public static void create(Connection c, MappingSet mappings, int hcver) throws SQLException {
        String schema = mappings.connection().schema();
        Map<String, String> values = new HashMap<>();
        values.put("schema", quote(schema));
        values.put("channel", literal(schema + ".hc_trigger_log"));
        values.put("sequence", literal(quote(schema) + ".\"_trigger_log_id_seq\""));
        execute(c, fill("shared.sql", values));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualified(schema, "_hcmeta") + " (hcver, org_id, details) VALUES (?, ?, ?)")) {
            ps.setInt(1, hcver);
            ps.setString(2, ORG_ID);
            ps.setString(3, "Heroku Connect, add-on schema version " + hcver);
            ps.executeUpdate();
        }
        for (Mapping m : mappings.mappings()) {
            createMapping(c, schema, m, values);
        }
    }

    private static void createMapping(Connection c, String schema, Mapping m, Map<String, String> shared) throws SQLException {
        String table = m.table();
        StringBuilder columns = new StringBuilder();
        m.fields().forEach(f -> columns.append(quote(f.column())).append(' ').append(f.type().sql()).append(",\n  "));
        m.relationships().forEach(r -> columns.append(quote(r.column())).append(' ').append(r.type().sql()).append(",\n  "));
        Map<String, String> values = new HashMap<>(shared);
        values.put("table", qualified(schema, table));
        values.put("columns", columns.toString());
        values.put("sfidIndex", quote("hcu_idx_" + table + "_sfid"));
        values.put("systemmodstampIndex", quote("hc_idx_" + table + "_systemmodstamp"));
        values.put("logger", qualified(schema, "hc_" + table + "_logger"));
        values.put("status", qualified(schema, "hc_" + table + "_status"));
        values.put("logTrigger", quote("hc_" + table + "_logtrigger"));
        values.put("statusTrigger", quote("hc_" + table + "_status_trigger"));
        values.put("state", m.readWrite() ? "'NEW'" : "'READONLY'");
        execute(c, fill("mapping.sql", values));
        String unique = m.uniqueIdentifierColumn();
        if (unique != null) {
            execute(c, "CREATE UNIQUE INDEX " + quote("hcu_idx_" + table + "_" + unique) + " ON " + qualified(schema, table) + " (" + quote(unique) + ")");
        }
    }

    /**
     * Moves trigger-log row {@code id} into {@code _trigger_log_archive} as the original does once
     * it has processed a row: same id and content, {@code state} (such as {@code FAILED}) and
     * {@code sfMessage} (its error) set, processed now.
     */
    public static void archive(Connection c, String schema, long id, String state, String sfMessage) throws SQLException {
        String log = qualified(schema, "_trigger_log");
        try (PreparedStatement ps = c.prepareStatement("WITH moved AS (DELETE FROM " + log + " WHERE id = ? RETURNING *) "
                + "INSERT INTO " + qualified(schema, "_trigger_log_archive")
                + " SELECT id, txid, created_at, now(), now(), txid_current(), ?, action, table_name, record_id, sfid, old, \"values\", sf_result, ? FROM moved")) {
            ps.setLong(1, id);
            ps.setString(2, state);
            ps.setString(3, sfMessage);
            if (ps.executeUpdate() != 1) {
                throw new IllegalArgumentException("no row " + id + " in " + log);
            }
        }
    }

    private static String fill(String resource, Map<String, String> values) {
        String template;
        try (InputStream in = HerokuConnectLayout.class.getResourceAsStream("/heroku-connect/" + resource)) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PLACEHOLDER.matcher(template).replaceAll(match -> {
            String value = values.get(match.group(1));
            if (value == null) {
                throw new IllegalStateException(resource + ": no value for " + match.group());
            }
            return Matcher.quoteReplacement(value);
        });
    }

    /** The whole script at once: pgjdbc splits it into its statements (dollar quotes respected). */
    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
