package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** sObjects in the REST API's JSON: a record as a client sends it, and the results and errors REST answers with. */
final class SObjectJson {

    private SObjectJson() {
    }

    /** A request body that must be JSON. */
    static JsonNode body(byte[] body) {
        try {
            return HttpIo.JSON.readTree(body);
        } catch (IOException e) {
            throw new SimFault("JSON_PARSER_ERROR", "The request body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The record's {@code attributes.type}, or null. */
    static String type(JsonNode record) {
        JsonNode type = record.path("attributes").path("type");
        return type.isTextual() ? type.asText() : null;
    }

    /** The record's {@code id} or {@code Id}, or null. */
    static String id(JsonNode record) {
        for (Iterator<String> names = record.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equalsIgnoreCase("Id") && record.get(name).isTextual()) {
                return record.get(name).asText();
            }
        }
        return null;
    }

    /**
     * A JSON object as a record to write, with this Id: fields as text, {@code null} to clear a field,
     * an object under a relationship name ({@code "Account": {"External_Id__c": "A-1"}}) to
     * reference a parent by one of its external IDs; {@code attributes} and the Id are no fields.
     */
    static RecordInput input(JsonNode record, String id) {
        if (!record.isObject()) {
            throw new SimFault("JSON_PARSER_ERROR", "An sObject is a JSON object, not " + record.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> toNull = new ArrayList<>();
        Map<String, RecordInput.ParentKey> parents = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (name.equals("attributes") || name.equalsIgnoreCase("Id")) {
                continue;
            }
            if (value.isNull()) {
                toNull.add(name);
            } else if (value.isObject()) {
                parents.put(name, parent(name, value));
            } else if (value.isValueNode()) {
                values.put(name, value.isFloatingPointNumber() ? value.decimalValue().toPlainString() : value.asText());
            } else {
                throw new SimFault("JSON_PARSER_ERROR", "Field " + name + " holds an array: a field's value is a string, number, boolean, null or a parent reference");
            }
        }
        return new RecordInput(id, values, toNull, parents);
    }

    private static RecordInput.ParentKey parent(String relationship, JsonNode value) {
        String type = type(value);
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("attributes") && e.getValue().isValueNode() && !e.getValue().isNull()) {
                return new RecordInput.ParentKey(type, e.getKey(), e.getValue().asText());
            }
        }
        throw new SimFault("INVALID_FIELD", "Relationship " + relationship + " names no external ID field");
    }

    /** A record as REST returns it: its attributes, then these fields. */
    static Map<String, Object> record(SimRecord r, List<FieldDef> fields, String version) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("attributes", Map.of("type", r.type(), "url", "/services/data/v" + version + "/sobjects/" + r.type() + "/" + r.id()));
        fields.forEach(f -> row.put(f.name(), FieldValues.json(r.get(f.name()))));
        return row;
    }

    /** The fields these names name (blank ones skipped), each one a field of the object. */
    static List<FieldDef> fields(ObjectDef def, List<String> names) {
        List<FieldDef> out = new ArrayList<>();
        for (String name : names) {
            if (!name.isBlank()) {
                out.add(def.field(name.strip()).orElseThrow(() -> new SimFault("INVALID_FIELD",
                        "No such column '" + name.strip() + "' on sobject of type " + def.name())));
            }
        }
        return out;
    }

    /** A SaveResult, UpsertResult or DeleteResult as sObject collections answer it; {@code created} only for upserts. */
    static Map<String, Object> result(SaveOutcome r, boolean upsert) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("success", r.success());
        m.put("errors", r.errors().stream().map(e -> error(e, "statusCode")).toList());
        if (upsert) {
            m.put("created", r.created());
        }
        return m;
    }

    /** A failed record as a single-record REST call answers it: an array of {message, errorCode, fields}. */
    static List<Map<String, Object>> errors(SaveOutcome r) {
        return r.errors().stream().map(e -> error(e, "errorCode")).toList();
    }

    /** One error; its code is a {@code statusCode} in a collection's results and an {@code errorCode} in an error response. */
    private static Map<String, Object> error(SimError e, String codeName) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.message());
        error.put(codeName, e.statusCode());
        error.put("fields", e.fields());
        return error;
    }
}
