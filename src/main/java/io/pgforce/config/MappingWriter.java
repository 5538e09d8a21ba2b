package io.pgforce.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgforce.plan.Ordering;
import io.pgforce.plan.WriteAlgorithm;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Writes a mapping configuration in the two formats {@link MappingLoader} reads: the original's
 * export JSON (version 1; what {@code connect:export} gives, read back as the same objects, fields,
 * unique identifiers and relationships; the export has no column types and no field directions) and pgforce's YAML.
 */
public final class MappingWriter {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The system fields every exported mapping lists, as the original does. */
    private static final String[] SYSTEM_FIELDS = {"Id", "IsDeleted", "SystemModstamp", "CreatedDate"};

    private MappingWriter() {
    }

    /** The original's mapping export JSON; the connection name carries the schema, as the original's does. */
    public static ObjectNode export(MappingSet set) {
        ConnectionSettings settings = set.connection();
        ObjectNode root = JSON.objectNode();
        root.put("version", 1);
        ObjectNode connection = root.putObject("connection");
        connection.put("name", "pgforce:DATABASE_URL:" + settings.schema());
        connection.put("api_version", settings.apiVersion());
        ObjectNode features = connection.putObject("features");
        features.put("disable_bulk_writes", !settings.bulkEnabled());
        features.put("poll_db_no_merge", settings.writeAlgorithm() == WriteAlgorithm.ORDERED);
        ArrayNode mappings = root.putArray("mappings");
        for (Mapping m : set.mappings()) {
            ObjectNode config = mappings.addObject().put("object_name", m.object()).putObject("config");
            config.put("access", m.access().label());
            if (m.uniqueIdentifier() != null) {
                config.put("upsert_field", m.uniqueIdentifier());
            }
            if (m.pollInterval() != null) {
                config.put("sf_polling_seconds", m.pollInterval().toSeconds());
            }
            config.put("sf_notify_enabled", m.acceleratedPolling());
            ObjectNode fields = config.putObject("fields");
            for (String system : SYSTEM_FIELDS) {
                fields.putObject(system);
            }
            m.fields().forEach(f -> fields.putObject(f.name()));
            m.relationships().forEach(r -> fields.putObject(exportName(r)));
            ObjectNode indexes = config.putObject("indexes");
            indexes.putObject("Id").put("unique", true);
            indexes.putObject("SystemModstamp").put("unique", false);
            if (m.uniqueIdentifier() != null) {
                indexes.putObject(m.uniqueIdentifier()).put("unique", true);
            }
        }
        return root;
    }

    /** {@code Account__r__External_Id__c}, {@code Invoice__r__Number__c}: how the export names a relationship column. */
    private static String exportName(Relationship r) {
        String base = r.name().endsWith("__r") ? r.name().substring(0, r.name().length() - 3) : r.name();
        return base + "__r__" + r.externalIdField();
    }

    /** pgforce's YAML mapping file, with every type stated. */
    public static String yaml(MappingSet set) {
        ConnectionSettings settings = set.connection();
        ObjectNode root = JSON.objectNode();
        ObjectNode connection = root.putObject("connection");
        connection.put("schema", settings.schema());
        connection.put("write_algorithm", settings.writeAlgorithm().name().toLowerCase(Locale.ROOT));
        connection.put("api_version", settings.apiVersion());
        connection.put("bulk_writes", settings.bulkEnabled());
        if (settings.writeConcurrency() != ConnectionSettings.SERIAL) {
            connection.put("write_concurrency", settings.writeConcurrency());
        }
        if (settings.ordering() != Ordering.LOG) {
            connection.put("ordering", settings.ordering().name().toLowerCase(Locale.ROOT));
        }
        if (settings.atomicTransactions()) {
            connection.put("atomic_transactions", true);
        }
        if (!settings.assignmentRules().isEmpty()) {
            ObjectNode rules = connection.putObject("assignment_rules");
            settings.assignmentRules().forEach(rules::put);
        }
        ArrayNode mappings = root.putArray("mappings");
        for (Mapping m : set.mappings()) {
            ObjectNode node = mappings.addObject();
            node.put("object", m.object());
            node.put("table", m.table());
            node.put("access", m.access().label());
            if (m.uniqueIdentifier() != null) {
                node.put("unique_identifier", m.uniqueIdentifier());
            }
            if (m.truncate() != TruncatePolicy.IGNORE) {
                node.put("truncate", m.truncate().label());
            }
            if (m.pollInterval() != null) {
                node.put("poll_interval", m.pollInterval().toSeconds() + "s");
            }
            if (m.acceleratedPolling()) {
                node.put("accelerated_polling", true);
            }
            ObjectNode fields = node.putObject("fields");
            for (MappingField f : m.fields()) {
                if (f.direction() == FieldDirection.READ_WRITE) {
                    fields.put(f.name(), f.type().sql());
                } else {
                    fields.putObject(f.name()).put("type", f.type().sql()).put("direction", f.direction().label());
                }
            }
            if (!m.relationships().isEmpty()) {
                ArrayNode relationships = node.putArray("relationships");
                m.relationships().forEach(r -> relationships.addObject().put("name", r.name()).put("object", r.parentObject())
                        .put("external_id", r.externalIdField()).put("type", r.type().sql()));
            }
        }
        return text(new YAMLMapper().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS), root);
    }

    private static String text(ObjectMapper mapper, JsonNode tree) {
        try {
            return mapper.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain nodes always writes
        }
    }
}
