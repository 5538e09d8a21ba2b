package io.pgforce.testing;

import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.config.Identifiers.quote;

import io.pgforce.config.Mapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * pgforce's capture up to schema version 2, kept as a fixture: one row trigger per change
 * ({@code hc_<table>_logtrigger}, calling the shared {@code hc_capture()} with the captured columns
 * as arguments) and the row trigger that marks a user's write PENDING ({@code hc_<table>_status_trigger},
 * {@code hc_status()}). Version 2 (SchemaDdl up to commit 348f0d0) kept version 1's two functions as
 * they were, so they are taken from the version-1 schema, {@code schema/version-1.sql}; the triggers
 * are created here exactly as SchemaDdl wrote them.
 */
public final class RowLevelCapture {

    private static final String VERSION_1 = "/schema/version-1.sql";
    /** The two functions in version-1.sql, whose schema is sync. */
    private static final Pattern FUNCTION = Pattern.compile("CREATE OR REPLACE FUNCTION \"sync\"\\.\"hc_(capture|status)\"\\(\\).*?\\$fn\\$;", Pattern.DOTALL);

    private RowLevelCapture() {
    }

    /**
     * Turns a schema that SchemaInstaller laid out into what version 2 laid out: the mappings'
     * tables lose the statement triggers and their functions and get version 2's row triggers,
     * and {@code _hcmeta} says version 2 (where version 2 kept it).
     */
    public static void install(Connection c, String schema, List<Mapping> mappings) throws SQLException {
        List<String> sql = new ArrayList<>();
        sql.add(functions(schema));
        mappings.forEach(m -> sql.addAll(replaceCapture(schema, m)));
        // version 2 kept its version in _hcmeta, saying "by pgforce"
        sql.add("DELETE FROM " + qualified(schema, "_pgforce_schema"));
        sql.add("INSERT INTO " + qualified(schema, "_hcmeta") + " (hcver, details) VALUES (2, 'installed by pgforce')");
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static String functions(String schema) {
        String version1;
        try (InputStream in = RowLevelCapture.class.getResourceAsStream(VERSION_1)) {
            if (in == null) {
                throw new IllegalStateException(VERSION_1 + " is not on the classpath");
            }
            version1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String functions = FUNCTION.matcher(version1).results().map(MatchResult::group).collect(Collectors.joining("\n"));
        if (!functions.contains("\"hc_capture\"()") || !functions.contains("\"hc_status\"()")) {
            throw new IllegalStateException(VERSION_1 + " no longer holds hc_capture() and hc_status()");
        }
        // the schema's name, and the notification channels named after it
        return functions.replace("\"sync\".", quote(schema) + ".").replace("'sync_hc_trigger_log'", literal(schema + "_hc_trigger_log"))
                .replace("'sync.hc_trigger_log'", literal(schema + ".hc_trigger_log"));
    }

    private static List<String> replaceCapture(String schema, Mapping m) {
        String table = qualified(schema, m.table());
        String prefix = "hc_" + m.table();
        List<String> sql = new ArrayList<>();
        for (String trigger : List.of(prefix + "_logtrigger_ins", prefix + "_logtrigger_upd", prefix + "_logtrigger_del", prefix + "_logtrigger_trunc", prefix + "_status_trigger")) {
            sql.add("DROP TRIGGER IF EXISTS " + quote(trigger) + " ON " + table);
        }
        sql.add("DROP FUNCTION IF EXISTS " + qualified(schema, prefix + "_capture") + "(), " + qualified(schema, prefix + "_status") + "()");
        // from here on as SchemaDdl.captureTriggers wrote them
        String columns = m.capturedColumns().stream().map(RowLevelCapture::literal).collect(Collectors.joining(", "));
        String when = " WHEN (" + qualified(schema, "get_xmlbinary") + "() = 'base64') ";
        sql.add("CREATE TRIGGER " + quote(prefix + "_logtrigger") + " AFTER INSERT OR UPDATE OR DELETE ON " + table + " FOR EACH ROW" + when
                + "EXECUTE FUNCTION " + qualified(schema, "hc_capture") + "(" + literal(m.access().label()) + ", " + columns + ")");
        if (m.readWrite()) {
            sql.add("CREATE TRIGGER " + quote(prefix + "_status_trigger") + " BEFORE INSERT OR UPDATE ON " + table + " FOR EACH ROW" + when
                    + "EXECUTE FUNCTION " + qualified(schema, "hc_status") + "(" + columns + ")");
        }
        return sql;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
