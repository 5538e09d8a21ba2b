package io.pgforce.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.plan.Ordering;
import io.pgforce.plan.WriteAlgorithm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads pgforce's YAML mapping file:
 * <pre>
 * connection:
 *   schema: salesforce
 *   write_algorithm: ordered          # ordered | merged
 *   api_version: "62.0"
 *   bulk_writes: true
 *   write_concurrency: 1             # Salesforce calls at once (1: serial, as the original)
 *   assignment_rules: {Lead: default}
 * mappings:
 *   - object: Contact
 *     access: read_write              # read_write | read_only
 *     poll_interval: 30s              # how often changes are read from Salesforce (default: pgforce.read.interval)
 *     accelerated_polling: true       # the object's change events make it read at once (default: false)
 *     unique_identifier: External_Id__c
 *     fields:
 *       LastName: varchar(80)
 *       Title: {type: varchar(128), direction: read_only}   # read_write (default) | read_only | write_only
 *       External_Id__c: varchar(255)
 *     relationships:
 *       - {name: Account, object: Account, external_id: External_Id__c}
 * </pre>
 */
final class YamlMappingReader {

    private static final Set<String> TOP = Set.of("connection", "mappings");
    private static final Set<String> CONNECTION = Set.of("schema", "write_algorithm", "api_version", "bulk_writes", "assignment_rules", "write_concurrency",
            "ordering", "atomic_transactions");
    private static final Set<String> MAPPING = Set.of("object", "table", "access", "unique_identifier", "fields", "relationships", "truncate", "poll_interval",
            "accelerated_polling");
    private static final Set<String> FIELD = Set.of("type", "direction");
    private static final Set<String> RELATIONSHIP = Set.of("name", "object", "external_id", "type");

    private YamlMappingReader() {
    }

    static MappingSet read(Path file, JsonNode root) {
        MappingTree tree = new MappingTree(file);
        tree.onlyKeys(root, TOP, null, "the document");
        ConnectionSettings connection = connection(tree, root.path("connection"));
        JsonNode mappings = root.path("mappings");
        if (!mappings.isArray() || mappings.isEmpty()) {
            throw tree.error(null, null, "'mappings' must be a non-empty list of mappings");
        }
        List<Mapping> result = new ArrayList<>();
        for (JsonNode node : mappings) {
            result.add(mapping(tree, node, result.size()));
        }
        return new MappingSet(file, connection, result);
    }

    /** A connection setting naming one of an enum's values in lower case ({@code fallback} when absent); anything else is refused in one line. */
    private static <E extends Enum<E>> E choice(MappingTree tree, JsonNode node, String key, E fallback) {
        String text = tree.text(node, key, null, null);
        if (text == null) {
            return fallback;
        }
        Class<E> type = fallback.getDeclaringClass();
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" or "));
            throw tree.error(null, null, "'" + key + "' must be " + allowed + ", found '" + text + "'");
        }
    }

    private static ConnectionSettings connection(MappingTree tree, JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return new ConnectionSettings(ConnectionSettings.DEFAULT_SCHEMA, WriteAlgorithm.ORDERED, ConnectionSettings.DEFAULT_API_VERSION, true, Map.of(),
                    ConnectionSettings.SERIAL, Ordering.LOG, false);
        }
        if (!node.isObject()) {
            throw tree.error(null, null, "'connection' must be a map of settings");
        }
        tree.onlyKeys(node, CONNECTION, null, "'connection'");
        String schema = tree.text(node, "schema", null, null);
        WriteAlgorithm writeAlgorithm = choice(tree, node, "write_algorithm", WriteAlgorithm.ORDERED);
        Ordering ordering = choice(tree, node, "ordering", Ordering.LOG);
        boolean atomic = tree.bool(node, "atomic_transactions", false, null);
        if (atomic && writeAlgorithm != WriteAlgorithm.ORDERED) {
            throw tree.error(null, null, "'atomic_transactions: true' needs 'write_algorithm: ordered' (Merged Writes folds changes across transactions)");
        }
        Map<String, String> rules = new LinkedHashMap<>();
        JsonNode rulesNode = node.path("assignment_rules");
        if (!rulesNode.isMissingNode() && !rulesNode.isNull()) {
            if (!rulesNode.isObject()) {
                throw tree.error(null, null, "'assignment_rules' must map an object (Lead, Case) to 'default' or an assignment rule Id");
            }
            rulesNode.fields().forEachRemaining(e -> rules.put(e.getKey(), e.getValue().asText().trim()));
        }
        return new ConnectionSettings(schema == null ? ConnectionSettings.DEFAULT_SCHEMA : schema, writeAlgorithm,
                tree.apiVersion(node, "api_version"), tree.bool(node, "bulk_writes", true, null), rules,
                tree.integer(node, "write_concurrency", ConnectionSettings.SERIAL, 1, ConnectionSettings.MOST_CONCURRENT_WRITES), ordering, atomic);
    }

    /**
     * A field, written {@code Name: varchar(80)} or {@code Name: {type: varchar(80), direction: read_only}}.
     * Its type must be there: a guessed type would be a column the user did not choose (only the
     * export, which has no types, guesses them).
     */
    private static MappingField field(MappingTree tree, String object, Access access, String name, JsonNode value) {
        boolean spelledOut = value != null && value.isObject();
        if (spelledOut) {
            tree.onlyKeys(value, FIELD, object, "field '" + name + "'");
        }
        JsonNode type = spelledOut ? value.get("type") : value;
        if (type != null && !type.isNull() && !type.isValueNode()) {
            throw tree.error(object, name, "the type must be one Postgres type, not " + type.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String text = type == null || type.isNull() ? "" : type.asText().trim();
        if (text.isEmpty()) {
            throw tree.error(object, name, "no Postgres type given: write it after the field's name, e.g. " + name + ": varchar(255)");
        }
        String directionText = spelledOut ? tree.text(value, "direction", object, name) : null;
        if (directionText != null && access != Access.READ_WRITE) {
            throw tree.error(object, name, "'direction' means nothing in a read_only mapping, whose fields are all read from Salesforce only");
        }
        FieldDirection direction = directionText == null ? FieldDirection.READ_WRITE : FieldDirection.parse(directionText)
                .orElseThrow(() -> tree.error(object, name, "'direction' must be read_write, read_only or write_only, found '" + directionText + "'"));
        return MappingFields.field(tree, object, name, text, direction);
    }

    private static Mapping mapping(MappingTree tree, JsonNode node, int index) {
        if (!node.isObject()) {
            throw tree.error("#" + (index + 1), null, "each mapping must be a map with at least 'object' and 'fields'");
        }
        String object = tree.text(node, "object", "#" + (index + 1), null);
        if (object == null || object.isEmpty()) {
            throw tree.error("#" + (index + 1), null, "'object' (the Salesforce object API name) is required");
        }
        tree.onlyKeys(node, MAPPING, object, "the mapping");
        String table = tree.text(node, "table", object, null);
        String accessText = tree.text(node, "access", object, null);
        Access access = accessText == null ? Access.READ_WRITE : Access.parse(accessText)
                .orElseThrow(() -> tree.error(object, null, "'access' must be read_write or read_only, found '" + accessText + "'"));

        JsonNode fieldsNode = node.path("fields");
        if (!fieldsNode.isObject() || fieldsNode.isEmpty()) {
            throw tree.error(object, null, "'fields' must map each Salesforce field name to its Postgres type, e.g. Name: varchar(255)");
        }
        List<MappingField> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = fieldsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.contains("__r__")) {
                throw tree.error(object, name, "relationship columns go under 'relationships' (name, object, external_id), not under 'fields'");
            }
            if (MappingFields.isSystemField(name)) {
                continue; // Id, CreatedDate... are system columns every mapping table has
            }
            fields.add(field(tree, object, access, name, e.getValue()));
        }

        List<Relationship> relationships = new ArrayList<>();
        JsonNode relNode = node.path("relationships");
        if (!relNode.isMissingNode() && !relNode.isNull()) {
            if (!relNode.isArray()) {
                throw tree.error(object, null, "'relationships' must be a list of {name, object, external_id}");
            }
            for (JsonNode r : relNode) {
                if (r.has("direction")) {
                    // the column is the write's parent reference, which orders a child after its parent; the lookup's Id field takes a direction
                    throw tree.error(object, tree.text(r, "name", object, null), "a relationship goes both ways: to read or write a lookup one way,"
                            + " map its Id field (e.g. AccountId) with a direction instead");
                }
                tree.onlyKeys(r, RELATIONSHIP, object, "a relationship");
                String name = tree.requiredText(r, "name", object, "relationships");
                String parent = tree.text(r, "object", object, name);
                String extId = tree.requiredText(r, "external_id", object, name);
                relationships.add(MappingFields.relationship(tree, object, name, parent == null ? MappingFields.parentObjectOf(name) : parent, extId, tree.text(r, "type", object, name)));
            }
        }
        String unique = tree.text(node, "unique_identifier", object, null);
        String truncateText = tree.text(node, "truncate", object, null);
        TruncatePolicy truncate = truncateText == null ? TruncatePolicy.IGNORE : TruncatePolicy.parse(truncateText)
                .orElseThrow(() -> tree.error(object, null, "'truncate' must be ignore or delete, found '" + truncateText + "'"));
        if (truncate == TruncatePolicy.DELETE && access != Access.READ_WRITE) {
            throw tree.error(object, null, "'truncate: delete' needs a read_write mapping: a read_only one writes nothing to Salesforce");
        }
        return new Mapping(object, table == null ? object.toLowerCase(Locale.ROOT) : table, access, fields, unique == null || unique.isEmpty() ? null : unique,
                relationships, truncate, tree.pollInterval(node, "poll_interval", object, false), tree.bool(node, "accelerated_polling", false, object));
    }
}
