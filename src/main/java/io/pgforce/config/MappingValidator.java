package io.pgforce.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Rules a whole mapping configuration must satisfy, whichever format it came from. */
final class MappingValidator {

    /** Columns every mapping table has; a field may not take their names. */
    static final Set<String> SYSTEM_COLUMNS = Set.of("id", "sfid", "systemmodstamp", "createddate", "isdeleted", "_hc_lastop", "_hc_err");
    /** "hc_" + table + "_status_trigger" (and "_logtrigger_ins", "_upd", "_del") must fit in 63 characters. */
    private static final int MAX_TABLE_NAME = 45;
    /** The capture triggers notify {@code <schema>_hc_trigger_log}; pg_notify refuses a channel name longer than 63 bytes. */
    private static final String NOTIFY_CHANNEL_SUFFIX = "_hc_trigger_log";
    private static final int MAX_SCHEMA_NAME = 63 - NOTIFY_CHANNEL_SUFFIX.length();
    private static final Set<String> ASSIGNABLE_OBJECTS = Set.of("Lead", "Case");

    private MappingValidator() {
    }

    static void validate(MappingSet set) {
        Path file = set.source();
        ConnectionSettings c = set.connection();
        if (!Identifiers.isPostgresName(c.schema())) {
            throw new MappingException(file, null, null, "schema '" + c.schema() + "' is not a valid Postgres schema name (lower-case letters, digits and underscores, at most 63)");
        }
        if (c.schema().length() > MAX_SCHEMA_NAME) {
            throw new MappingException(file, null, null, "schema '" + c.schema() + "' is longer than " + MAX_SCHEMA_NAME + " characters: its notify channel "
                    + c.schema() + NOTIFY_CHANNEL_SUFFIX + " must fit in Postgres' 63, or every write to a mapping table fails in its capture trigger");
        }
        if (c.schema().startsWith("pg_") || c.schema().equals("information_schema")) {
            throw new MappingException(file, null, null, "schema '" + c.schema() + "' is reserved by Postgres (pg_catalog, pg_toast, every name starting with pg_,"
                    + " information_schema): name a schema of your own, e.g. salesforce");
        }
        double version = c.apiVersionNumber();
        if (version < 20 || version > 99) {
            throw new MappingException(file, null, null, "api_version " + c.apiVersion() + " is outside the supported range 20.0-99.0");
        }
        c.assignmentRules().forEach((object, rule) -> {
            if (!ASSIGNABLE_OBJECTS.contains(object)) {
                throw new MappingException(file, object, null, "assignment rules apply only to Lead and Case");
            }
            if (!rule.equals(ConnectionSettings.DEFAULT_ASSIGNMENT_RULE) && !rule.matches("01Q[A-Za-z0-9]{12}([A-Za-z0-9]{3})?")) {
                throw new MappingException(file, object, null, "assignment rule must be 'default' or an assignment rule Id (01Q...), found '" + rule + "'");
            }
        });

        Map<String, String> tables = new HashMap<>();
        Map<String, String> objects = new HashMap<>();
        for (Mapping m : set.mappings()) {
            validateMapping(file, m);
            String previous = objects.put(m.object().toLowerCase(java.util.Locale.ROOT), m.object());
            if (previous != null) {
                throw new MappingException(file, m.object(), null, "the object is mapped twice");
            }
            previous = tables.put(m.table(), m.object());
            if (previous != null) {
                throw new MappingException(file, m.object(), null, "table '" + m.table() + "' is already used by mapping '" + previous + "'");
            }
        }
    }

    private static void validateMapping(Path file, Mapping m) {
        if (!Identifiers.isSalesforceName(m.object())) {
            throw new MappingException(file, m.object(), null, "not a valid Salesforce object API name");
        }
        if (!Identifiers.isPostgresName(m.table()) || m.table().startsWith("_") || m.table().length() > MAX_TABLE_NAME) {
            throw new MappingException(file, m.object(), null, "table '" + m.table() + "' is not a valid table name (lower-case letters, digits and underscores, not starting with _, at most "
                    + MAX_TABLE_NAME + " so that its trigger names fit in Postgres' 63)");
        }
        if (m.readWrite() && m.fields().isEmpty() && m.relationships().isEmpty()) {
            throw new MappingException(file, m.object(), null, "a read_write mapping needs at least one field besides the system fields");
        }
        if (m.readWrite() && m.sentFields().isEmpty() && m.relationships().isEmpty()) {
            throw new MappingException(file, m.object(), null, "a read_write mapping needs at least one field it writes to Salesforce"
                    + " (every field is read_only: make the mapping access: read_only)");
        }
        if (m.acceleratedPolling() && !m.fields().isEmpty() && m.readFields().isEmpty()) {
            // an event only hurries a read: a mapping that reads no field has nothing to hurry
            throw new MappingException(file, m.object(), null, "'accelerated_polling' needs a mapping that reads a field from Salesforce (every field is write_only)");
        }
        Map<String, String> columns = new HashMap<>();
        for (MappingField f : m.fields()) {
            claim(file, m, columns, f.column(), f.name());
        }
        for (Relationship r : m.relationships()) {
            claim(file, m, columns, r.column(), r.name());
        }
        if (m.uniqueIdentifier() != null && m.field(m.uniqueIdentifier()).isEmpty()) {
            throw new MappingException(file, m.object(), m.uniqueIdentifier(), "the unique identifier must be one of the mapping's fields");
        }
        if (m.uniqueIdentifier() != null && m.field(m.uniqueIdentifier()).orElseThrow().direction() != FieldDirection.READ_WRITE) {
            throw new MappingException(file, m.object(), m.uniqueIdentifier(), "the unique identifier goes both ways (inserts are upserts on it,"
                    + " and records read are matched to rows by it): remove its direction");
        }
    }

    private static void claim(Path file, Mapping m, Map<String, String> columns, String column, String name) {
        if (SYSTEM_COLUMNS.contains(column)) {
            throw new MappingException(file, m.object(), name, "column '" + column + "' is a system column of every mapping table");
        }
        if (!Identifiers.isPostgresName(column)) {
            throw new MappingException(file, m.object(), name, "column name '" + column + "' is longer than Postgres allows (63)");
        }
        String other = columns.put(column, name);
        if (other != null) {
            throw new MappingException(file, m.object(), name, "column '" + column + "' is also used by '" + other + "'");
        }
    }
}
