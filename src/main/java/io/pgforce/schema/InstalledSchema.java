package io.pgforce.schema;

import io.pgforce.config.Mapping;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What a schema holds compared with what a mapping configuration needs, read from the catalog
 * alone: no DDL, no lock on any table. For diagnose, which must change nothing.
 */
public final class InstalledSchema {

    private final Catalog catalog;
    private final SchemaDdl ddl;

    private InstalledSchema(Catalog catalog, SchemaDdl ddl) {
        this.catalog = catalog;
        this.ddl = ddl;
    }

    public static InstalledSchema read(DataSource dataSource, String schema) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Catalog catalog = Catalog.read(c, schema);
            // a read-only table keeps Heroku Connect's capture, if it has it: nothing is missing there
            return new InstalledSchema(catalog, SchemaDdl.of(schema, catalog));
        }
    }

    /** What the trigger log, its archive, their indexes and the shared functions lack. */
    public List<SchemaGap> sharedGaps() {
        List<Requirement> needed = new java.util.ArrayList<>(ddl.shared());
        needed.addAll(ddl.logColumns());
        return gaps(needed);
    }

    /** What the mapping's table, its columns, indexes and capture triggers lack. */
    public List<SchemaGap> gaps(Mapping mapping) {
        return gaps(ddl.mappingTable(mapping));
    }

    private List<SchemaGap> gaps(List<Requirement> needed) {
        return needed.stream().filter(r -> !r.metBy(catalog)).map(r -> r.gap(catalog)).toList();
    }

    /** The column's type as Postgres renders it ({@code character varying(255)}), when the column is there. */
    public Optional<String> columnType(String table, String column) {
        return catalog.columnType(table, column);
    }
}
