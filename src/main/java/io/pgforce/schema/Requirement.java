package io.pgforce.schema;

import static io.pgforce.config.Identifiers.literal;
import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.config.Identifiers.quote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One thing a synced schema needs: how to see in the catalog that it is there, and the DDL that
 * puts it there. The installer runs the DDL only of what is missing, so a start with nothing to
 * change takes no lock on any table.
 */
sealed interface Requirement {

    boolean metBy(Catalog catalog);

    /** What the catalog lacks while the requirement is not met (for diagnose, which changes nothing). */
    SchemaGap gap(Catalog catalog);

    /** Statements that meet the requirement; each is also harmless when it already is met. */
    List<String> ddl();

    /** For a definition pgforce keeps current: the COMMENT recording it, read back after the DDL ran. */
    default Optional<String> stamp(Catalog after) {
        return Optional.empty();
    }

    record Schema(String schema) implements Requirement {
        @Override
        public boolean metBy(Catalog catalog) {
            return catalog.hasSchema();
        }

        @Override
        public SchemaGap gap(Catalog catalog) {
            return new SchemaGap(SchemaGap.Kind.SCHEMA, schema, false);
        }

        @Override
        public List<String> ddl() {
            return List.of("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        }
    }

    /** A table, sequence or index, known by its name. */
    record Relation(String name, List<String> ddl) implements Requirement {
        Relation(String name, String... ddl) {
            this(name, List.of(ddl));
        }

        @Override
        public boolean metBy(Catalog catalog) {
            return catalog.hasRelation(name);
        }

        @Override
        public SchemaGap gap(Catalog catalog) {
            String create = ddl.get(0);
            SchemaGap.Kind kind = create.startsWith("CREATE TABLE") ? SchemaGap.Kind.TABLE
                    : create.startsWith("CREATE SEQUENCE") ? SchemaGap.Kind.SEQUENCE : SchemaGap.Kind.INDEX;
            return new SchemaGap(kind, name, false);
        }
    }

    /** An index that must not be there, dropped concurrently (it is the trigger log's, see trigger-log-indexes.sql). */
    record NoIndex(String name, List<String> ddl) implements Requirement {
        NoIndex(String name, String drop) {
            this(name, List.of(drop));
        }

        @Override
        public boolean metBy(Catalog catalog) {
            return !catalog.hasRelation(name);
        }

        @Override
        public SchemaGap gap(Catalog catalog) {
            return new SchemaGap(SchemaGap.Kind.RETIRED_INDEX, name, false);
        }
    }

    /** A column of a table; existing columns are never changed. */
    record Column(String schema, String table, String column, String type) implements Requirement {
        @Override
        public boolean metBy(Catalog catalog) {
            return catalog.hasColumn(table, column);
        }

        @Override
        public SchemaGap gap(Catalog catalog) {
            return new SchemaGap(SchemaGap.Kind.COLUMN, table + "." + column, false);
        }

        @Override
        public List<String> ddl() {
            return List.of("ALTER TABLE " + qualified(schema, table) + " ADD COLUMN IF NOT EXISTS " + quote(column) + " " + type);
        }
    }

    /**
     * A varchar column at least this long: version 3 lets the trigger log's {@code action} hold
     * {@code TRUNCATE}. Widening a varchar rewrites no row, only the catalog.
     */
    record VarcharLength(String schema, String table, String column, int length) implements Requirement {
        @Override
        public boolean metBy(Catalog catalog) {
            return catalog.columnType(table, column).map(t -> t.matches("character varying\\((\\d+)\\)")
                    && Integer.parseInt(t.replaceAll("\\D", "")) >= length).orElse(true); // a missing column is another requirement's
        }

        @Override
        public SchemaGap gap(Catalog catalog) {
            return new SchemaGap(SchemaGap.Kind.COLUMN, table + "." + column, true);
        }

        @Override
        public List<String> ddl() {
            return List.of("ALTER TABLE " + qualified(schema, table) + " ALTER COLUMN " + quote(column) + " TYPE varchar(" + length + ")");
        }
    }

    /**
     * A trigger that must not be there: a read-only mapping's status trigger, an unmapped table's
     * triggers ({@link SchemaGap.Kind#UNWANTED_TRIGGER}), or one a newer layout replaced
     * ({@link SchemaGap.Kind#RETIRED_TRIGGER}).
     */
    record NoTrigger(String schema, String table, String trigger, SchemaGap.Kind kind) implements Requirement {

        static NoTrigger unwanted(String schema, String table, String trigger) {
            return new NoTrigger(schema, table, trigger, SchemaGap.Kind.UNWANTED_TRIGGER);
        }

        static NoTrigger retired(String schema, String table, String trigger) {
            return new NoTrigger(schema, table, trigger, SchemaGap.Kind.RETIRED_TRIGGER);
        }

        @Override
        public boolean metBy(Catalog catalog) {
            return catalog.trigger(table, trigger).isEmpty();
        }

        @Override
        public SchemaGap gap(Catalog catalog) {
            return new SchemaGap(kind, trigger, false);
        }

        @Override
        public List<String> ddl() {
            return List.of(dropTrigger(schema, table, trigger));
        }
    }

    /**
     * A function or trigger whose definition must be the one pgforce generates. Its comment holds
     * {@code pgforce:<hash>} of the generated DDL together with the definition Postgres rendered
     * when pgforce wrote it: a new pgforce changes the first, a hand edit (which keeps the comment)
     * changes the second, and either way the object is written again.
     */
    record Stamped(SchemaGap.Kind kind, String name, Function<Catalog, Optional<Catalog.Definition>> lookup, String commentTarget,
                   List<String> before, String create) implements Requirement {

        @Override
        public boolean metBy(Catalog catalog) {
            return lookup.apply(catalog).filter(d -> stampOf(d).equals(d.comment())).isPresent();
        }

        /** There but not as pgforce writes it: outdated (an older pgforce, another mapping, a hand edit). */
        @Override
        public SchemaGap gap(Catalog catalog) {
            return new SchemaGap(kind, name, lookup.apply(catalog).isPresent());
        }

        @Override
        public List<String> ddl() {
            return Stream.concat(before.stream(), Stream.of(create)).toList();
        }

        @Override
        public Optional<String> stamp(Catalog after) {
            Catalog.Definition written = lookup.apply(after).orElseThrow(() -> new IllegalStateException(commentTarget + " was not created"));
            return Optional.of("COMMENT ON " + commentTarget + " IS " + literal(stampOf(written)));
        }

        private String stampOf(Catalog.Definition current) {
            return "pgforce:" + sha256(create + "\n" + current.text()).substring(0, 16);
        }
    }

    static Requirement function(String schema, String name, String create) {
        return new Stamped(SchemaGap.Kind.FUNCTION, name, catalog -> catalog.function(name), "FUNCTION " + qualified(schema, name) + "()", List.of(), create);
    }

    /** Triggers have no CREATE OR REPLACE before Postgres 14: dropped and created in one transaction. */
    static Requirement trigger(String schema, String table, String name, String create) {
        return new Stamped(SchemaGap.Kind.TRIGGER, name, catalog -> catalog.trigger(table, name), "TRIGGER " + quote(name) + " ON " + qualified(schema, table),
                List.of(dropTrigger(schema, table, name)), create);
    }

    private static String dropTrigger(String schema, String table, String trigger) {
        return "DROP TRIGGER IF EXISTS " + quote(trigger) + " ON " + qualified(schema, table);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
