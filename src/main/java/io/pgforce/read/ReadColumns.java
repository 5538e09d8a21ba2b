package io.pgforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingField;
import io.pgforce.config.Relationship;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The columns a read writes in a mapping table, in the order of the apply's statements: the system
 * columns Salesforce fills ({@code sfid}, {@code isdeleted}, {@code systemmodstamp},
 * {@code createddate}), then the fields read (a write_only field's column is neither inserted nor
 * updated: a new row's stays NULL), then the relationship columns; each with where its value is
 * in a record of the REST API's JSON and its type in the table.
 */
final class ReadColumns {

    /** A column, its field (for a relationship column, the parent's external ID field under {@code relationship}), its type. */
    record Column(String column, String field, String relationship, ColumnType type) {
    }

    /** A record converted for its row: the column values in column order, as text of each column's type. */
    record Incoming(String sfid, Instant systemModstamp, boolean deleted, String[] values, String uniqueValue) {
    }

    /** The columns of ReadQuery.SYSTEM_FIELDS, in their order. */
    private static final List<String> SYSTEM_COLUMNS = List.of("sfid", "isdeleted", "systemmodstamp", "createddate");

    private final List<Column> columns;
    /** The unique identifier's column among them, or -1. */
    private final int unique;

    private ReadColumns(List<Column> columns, int unique) {
        this.columns = List.copyOf(columns);
        this.unique = unique;
    }

    /** @param types the table's column types, by name, as the catalog has them */
    static ReadColumns of(Mapping mapping, Map<String, String> types) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < SYSTEM_COLUMNS.size(); i++) {
            columns.add(column(mapping, SYSTEM_COLUMNS.get(i), ReadQuery.SYSTEM_FIELDS.get(i), null, types));
        }
        int unique = -1;
        for (MappingField f : mapping.readFields()) {
            if (f.name().equals(mapping.uniqueIdentifier())) {
                unique = columns.size();
            }
            columns.add(column(mapping, f.column(), f.name(), null, types));
        }
        for (Relationship r : mapping.relationships()) {
            columns.add(column(mapping, r.column(), r.externalIdField(), r.name(), types));
        }
        return new ReadColumns(columns, unique);
    }

    private static Column column(Mapping mapping, String column, String field, String relationship, Map<String, String> types) {
        String type = types.get(column);
        if (type == null) {
            // the installer adds every mapped column: a table changed by hand since
            throw new IllegalStateException("Table " + mapping.table() + " has no column " + column + " for " + mapping.object() + "." + field);
        }
        return new Column(column, field, relationship, ColumnType.of(type));
    }

    List<Column> columns() {
        return columns;
    }

    /** The unique identifier's column, or null. */
    Column unique() {
        return unique < 0 ? null : columns.get(unique);
    }

    /** The record as its row's values; a value that does not fit its column refuses the record, naming the field and the column. */
    Incoming convert(JsonNode record) throws ColumnType.Refused {
        String[] values = new String[columns.size()];
        for (int i = 0; i < values.length; i++) {
            Column c = columns.get(i);
            JsonNode value = c.relationship() == null ? field(record, c.field()) : field(field(record, c.relationship()), c.field());
            try {
                values[i] = c.type().text(value);
            } catch (ColumnType.Refused e) {
                throw new ColumnType.Refused("field " + (c.relationship() == null ? "" : c.relationship() + ".") + c.field() + " (column " + c.column() + "): " + e.getMessage());
            }
        }
        JsonNode id = field(record, "Id");
        JsonNode stamp = field(record, "SystemModstamp");
        if (id == null || !id.isTextual() || stamp == null || !stamp.isTextual()) {
            throw new ColumnType.Refused("the record has no Id or no SystemModstamp");
        }
        Instant modstamp;
        try {
            modstamp = ColumnType.instant(stamp.asText());
        } catch (DateTimeParseException e) {
            throw new ColumnType.Refused("SystemModstamp '" + stamp.asText() + "' is not a datetime");
        }
        JsonNode deleted = field(record, "IsDeleted");
        return new Incoming(id.asText(), modstamp, deleted != null && deleted.asBoolean(), values, unique < 0 ? null : values[unique]);
    }

    /** A field of a JSON record; Salesforce spells a name as the org's describe does, a mapping may not. */
    private static JsonNode field(JsonNode record, String name) {
        if (record == null || !record.isObject()) {
            return null;
        }
        JsonNode exact = record.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
