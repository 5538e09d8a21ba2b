package io.pgforce.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Salesforce object mapped to one Postgres table.
 *
 * @param uniqueIdentifier the external ID field used as the mapping's unique identifier, or null
 * @param truncate         what a TRUNCATE of the table does in Salesforce (read-write mappings)
 * @param pollInterval     how often the read side polls the object for changes, or null: {@code pgforce.read.interval}
 * @param acceleratedPolling the object's change events (Streaming API) make it read at the next tick, not at its interval
 */
public record Mapping(String object, String table, Access access, List<MappingField> fields,
                      String uniqueIdentifier, List<Relationship> relationships, TruncatePolicy truncate, Duration pollInterval,
                      boolean acceleratedPolling) {

    /** The shortest and longest per-mapping poll interval (the original's run from 2 minutes to an hour). */
    public static final Duration SHORTEST_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration LONGEST_POLL_INTERVAL = Duration.ofDays(1);

    public Mapping {
        fields = List.copyOf(fields);
        relationships = List.copyOf(relationships);
    }

    /** The same mapping with these fields (an import types an export's fields). */
    public Mapping withFields(List<MappingField> typed) {
        return new Mapping(object, table, access, typed, uniqueIdentifier, relationships, truncate, pollInterval, acceleratedPolling);
    }

    public boolean readWrite() {
        return access == Access.READ_WRITE;
    }

    /**
     * Every column that changes are captured from: the fields pgforce sends, then relationship
     * columns. A read_only field's column is not among them, so a change of it alone is nothing to send.
     */
    public List<String> capturedColumns() {
        List<String> columns = new ArrayList<>(fields.size() + relationships.size());
        sentFields().forEach(f -> columns.add(f.column()));
        relationships.forEach(r -> columns.add(r.column()));
        return columns;
    }

    /** The captured columns' types, by column: what reading a change captured as text needs (Heroku Connect's hstore). */
    public Map<String, PgType> capturedTypes() {
        Map<String, PgType> types = new HashMap<>();
        sentFields().forEach(f -> types.put(f.column(), f.type()));
        relationships.forEach(r -> types.put(r.column(), r.type()));
        return Map.copyOf(types);
    }

    /** The fields whose Postgres values are sent to Salesforce: all but the read_only ones. */
    public List<MappingField> sentFields() {
        return fields.stream().filter(f -> f.direction().sent()).toList();
    }

    /** The fields a read queries and writes into their columns: all but the write_only ones. */
    public List<MappingField> readFields() {
        return fields.stream().filter(f -> f.direction().read()).toList();
    }

    /**
     * The Streaming API channel of the object's change events: {@code /data/AccountChangeEvent},
     * {@code /data/Invoice__ChangeEvent} for {@code Invoice__c}.
     */
    public String changeEventChannel() {
        return "/data/" + (object.endsWith("__c") ? object.substring(0, object.length() - 1) : object) + "ChangeEvent";
    }

    public Optional<MappingField> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The unique identifier's column, or null when the mapping has none. */
    public String uniqueIdentifierColumn() {
        return uniqueIdentifier == null ? null : field(uniqueIdentifier).map(MappingField::column).orElse(null);
    }
}
