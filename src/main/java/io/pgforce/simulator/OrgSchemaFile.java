package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an org's schema from YAML:
 * <pre>
 * objects:
 *   - name: Contact
 *     keyPrefix: "003"
 *     fields:
 *       - {name: LastName, type: string, length: 80, required: true}
 *       - {name: AccountId, type: reference, referenceTo: [Account], relationshipName: Account}
 *       - {name: External_Id__c, type: string, length: 255, externalId: true, unique: true}
 *     queryable: false        # the integration user may not query it (default true)
 *     validationRules:
 *       - {name: Email_or_Phone, condition: "ISBLANK(Email) AND ISBLANK(Phone)", message: "Give an email or a phone"}
 * </pre>
 * Fields are createable and updateable unless they say otherwise; Id, IsDeleted, CreatedDate,
 * LastModifiedDate and SystemModstamp are added to every object.
 */
public final class OrgSchemaFile {

    public static final String DEFAULT_RESOURCE = "/simulator/default-schema.yaml";

    private OrgSchemaFile() {
    }

    public static Map<String, ObjectDef> defaults() {
        try (InputStream in = OrgSchemaFile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return read(new YAMLMapper().readTree(in), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, ObjectDef> load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(new YAMLMapper().readTree(in), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read simulator schema " + file, e);
        }
    }

    static Map<String, ObjectDef> read(JsonNode root, String where) {
        Map<String, ObjectDef> objects = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (JsonNode o : root.path("objects")) {
            String name = required(o, "name", where);
            List<FieldDef> fields = new ArrayList<>();
            for (JsonNode f : o.path("fields")) {
                String field = required(f, "name", where + " " + name);
                FieldType type = FieldType.parse(f.path("type").asText("string"));
                List<String> referenceTo = new ArrayList<>();
                f.path("referenceTo").forEach(r -> referenceTo.add(r.asText()));
                List<String> picklist = new ArrayList<>();
                f.path("values").forEach(v -> picklist.add(v.asText()));
                int defaultLength = type.textual() ? (type == FieldType.TEXTAREA ? 32768 : 255) : type == FieldType.REFERENCE ? 18 : 0;
                fields.add(new FieldDef(field, f.path("label").asText(labelOf(field)), type, f.path("length").asInt(defaultLength),
                        f.path("required").asBoolean(false), f.path("unique").asBoolean(false), f.path("externalId").asBoolean(false),
                        f.path("createable").asBoolean(true), f.path("updateable").asBoolean(true), referenceTo,
                        f.path("relationshipName").asText(null), picklist));
            }
            List<ValidationRule> rules = new ArrayList<>();
            for (JsonNode r : o.path("validationRules")) {
                rules.add(new ValidationRule(required(r, "name", where + " " + name), Expression.parse(required(r, "condition", where + " " + name)),
                        required(r, "message", where + " " + name), r.path("errorField").asText(null)));
            }
            objects.put(name, new ObjectDef(name, required(o, "keyPrefix", where + " " + name), fields, rules, o.path("queryable").asBoolean(true)));
        }
        return objects;
    }

    private static String required(JsonNode node, String key, String where) {
        String value = node.path(key).asText(null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Simulator schema " + where + ": '" + key + "' is required");
        }
        return value;
    }

    /** {@code External_Id__c} -> {@code External Id}, {@code LastName} -> {@code Last Name}: labels as Salesforce makes them. */
    static String labelOf(String apiName) {
        String base = apiName.endsWith("__c") ? apiName.substring(0, apiName.length() - 3) : apiName;
        return base.replace('_', ' ').replaceAll("([a-z])([A-Z])", "$1 $2");
    }
}
