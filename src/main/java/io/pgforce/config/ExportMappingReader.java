package io.pgforce.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.plan.Ordering;
import io.pgforce.plan.WriteAlgorithm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Imports Heroku Connect's mapping export JSON as it is. The export carries field names but no
 * types: a table that already exists keeps its columns' types, and new columns get a type guessed
 * from the field name (see {@link MappingFields#guessType}); the YAML format states types exactly.
 */
final class ExportMappingReader {

    private ExportMappingReader() {
    }

    static MappingSet read(Path file, JsonNode root) {
        MappingTree tree = new MappingTree(file);
        JsonNode version = root.get("version");
        if (version == null || !version.canConvertToInt() || version.intValue() != 1) {
            throw tree.error(null, null, "unsupported mapping export 'version' " + version + " (pgforce reads version 1)");
        }
        JsonNode connection = root.path("connection");
        JsonNode features = connection.path("features");
        WriteAlgorithm algorithm = tree.bool(features, "poll_db_no_merge", true, null) ? WriteAlgorithm.ORDERED : WriteAlgorithm.MERGED;
        boolean bulk = !tree.bool(features, "disable_bulk_writes", false, null);
        ConnectionSettings settings = new ConnectionSettings(schemaOf(connection.path("name").asText("")), algorithm,
                tree.apiVersion(connection, "api_version"), bulk, Map.of(), ConnectionSettings.SERIAL, Ordering.LOG, false);

        JsonNode mappings = root.path("mappings");
        if (!mappings.isArray() || mappings.isEmpty()) {
            throw tree.error(null, null, "'mappings' must be a non-empty list");
        }
        Set<String> objects = StreamSupport.stream(mappings.spliterator(), false)
                .map(m -> m.path("object_name").asText("").toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<Mapping> result = new ArrayList<>();
        for (JsonNode node : mappings) {
            result.add(mapping(tree, node, objects, result.size()));
        }
        return new MappingSet(file, settings, result);
    }

    /** The connection name is {@code <app>:<DATABASE_URL config var>:<schema>}. */
    static String schemaOf(String connectionName) {
        int colon = connectionName.lastIndexOf(':');
        String schema = colon < 0 ? "" : connectionName.substring(colon + 1);
        return schema.isEmpty() ? ConnectionSettings.DEFAULT_SCHEMA : schema;
    }

    private static Mapping mapping(MappingTree tree, JsonNode node, Set<String> objects, int index) {
        String object = tree.text(node, "object_name", "#" + (index + 1), null);
        if (object == null || object.isEmpty()) {
            throw tree.error("#" + (index + 1), null, "'object_name' is required");
        }
        JsonNode config = node.path("config");
        String accessText = tree.text(config, "access", object, null);
        Access access = accessText == null ? Access.READ_ONLY : Access.parse(accessText)
                .orElseThrow(() -> tree.error(object, null, "'config.access' must be read_write or read_only, found '" + accessText + "'"));
        JsonNode fieldsNode = config.path("fields");
        if (!fieldsNode.isObject() || fieldsNode.isEmpty()) {
            throw tree.error(object, null, "'config.fields' must list the mapped fields");
        }
        List<MappingField> fields = new ArrayList<>();
        List<Relationship> relationships = new ArrayList<>();
        for (Iterator<String> it = fieldsNode.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (MappingFields.isSystemField(name)) {
                continue;
            }
            int rel = name.indexOf("__r__");
            if (rel > 0) {
                String base = name.substring(0, rel);
                String extId = name.substring(rel + 5);
                boolean standard = objects.contains(base.toLowerCase(Locale.ROOT)) || MappingFields.isStandardObject(base);
                relationships.add(MappingFields.relationship(tree, object, standard ? base : base + "__r",
                        standard ? MappingFields.canonicalObject(base) : base + "__c", extId, null));
            } else {
                // the export knows no direction: every field goes both ways
                fields.add(MappingFields.field(tree, object, name, MappingFields.guessType(name).sql(), FieldDirection.READ_WRITE));
            }
        }
        String upsert = tree.text(config, "upsert_field", object, null);
        // the export knows no TRUNCATE policy: the original's behaviour
        return new Mapping(object, object.toLowerCase(Locale.ROOT), access, fields, upsert == null || upsert.isEmpty() ? null : upsert, relationships,
                TruncatePolicy.IGNORE, tree.pollInterval(config, "sf_polling_seconds", object, true), tree.bool(config, "sf_notify_enabled", false, object));
    }
}
