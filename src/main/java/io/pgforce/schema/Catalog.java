package io.pgforce.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one schema holds, read from pg_catalog in one query. Reading the catalog takes no lock on
 * any table, so the installer can find out what is missing without disturbing the application.
 */
final class Catalog {

    /** A function's or trigger's definition as Postgres renders it, and its comment; a column's type. */
    record Definition(String text, String comment) {
    }

    private static final String QUERY = """
            SELECT 'schema' AS kind, ''::text AS owner, ''::text AS name, NULL::text AS definition, NULL::text AS comment
              FROM pg_namespace n WHERE n.nspname = ?
            UNION ALL
            SELECT 'relation', '', c.relname, NULL, NULL
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid
             -- an index CREATE INDEX CONCURRENTLY left invalid (it was interrupted) is missing: it is built again
             WHERE n.nspname = ? AND i.indisvalid IS NOT FALSE
            UNION ALL
            SELECT 'column', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NULL
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            UNION ALL
            SELECT 'function', '', p.proname, pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc')
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = ? AND p.prokind = 'f' AND p.pronargs = 0
            UNION ALL
            SELECT 'trigger', c.relname, t.tgname, pg_get_triggerdef(t.oid), obj_description(t.oid, 'pg_trigger')
              FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND NOT t.tgisinternal""";

    private final Map<String, Definition> objects;
    private final Set<String> relations;

    private Catalog(Map<String, Definition> objects, Set<String> relations) {
        this.objects = objects;
        this.relations = relations;
    }

    static Catalog read(Connection c, String schema) throws SQLException {
        Map<String, Definition> objects = new HashMap<>();
        Set<String> relations = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(QUERY)) {
            for (int i = 1; i <= 5; i++) {
                ps.setString(i, schema);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String kind = rs.getString("kind");
                    String owner = rs.getString("owner");
                    String name = rs.getString("name");
                    objects.put(key(kind, owner, name), new Definition(rs.getString("definition"), rs.getString("comment")));
                    if (kind.equals("relation")) {
                        relations.add(name);
                    }
                }
            }
        }
        return new Catalog(objects, relations);
    }

    private static String key(String kind, String owner, String name) {
        return kind + " " + owner + "." + name;
    }

    boolean hasSchema() {
        return objects.containsKey(key("schema", "", ""));
    }

    /** A table, index or sequence of the schema. */
    boolean hasRelation(String name) {
        return relations.contains(name);
    }

    /** Every table, index and sequence of the schema. */
    Set<String> relations() {
        return relations;
    }

    boolean hasColumn(String table, String column) {
        return objects.containsKey(key("column", table, column));
    }

    /** The column's type as Postgres renders it ({@code character varying(255)}, {@code double precision}). */
    Optional<String> columnType(String table, String column) {
        return Optional.ofNullable(objects.get(key("column", table, column))).map(Definition::text);
    }

    Optional<Definition> function(String name) {
        return Optional.ofNullable(objects.get(key("function", "", name)));
    }

    Optional<Definition> trigger(String table, String name) {
        return Optional.ofNullable(objects.get(key("trigger", table, name)));
    }

    /**
     * The tables Heroku Connect's own row trigger captures: {@code hc_<table>_logtrigger} calling
     * {@code hc_<table>_logger()} (pgforce's version 2 trigger of that name called {@code hc_capture}).
     */
    Set<String> originalCaptureTables() {
        Set<String> tables = new TreeSet<>();
        for (String table : relations) {
            trigger(table, "hc_" + table + "_logtrigger")
                    .filter(d -> d.text().contains("hc_" + table + "_logger()"))
                    .ifPresent(d -> tables.add(table));
        }
        return tables;
    }
}
