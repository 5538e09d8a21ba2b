package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The REST sObject resources: the object list, basic information and describe; and one record by Id
 * ({@code sobjects/{type}/{id}}: GET, PATCH to update, DELETE) or by external ID
 * ({@code sobjects/{type}/{field}/{value}}: GET, PATCH to upsert, DELETE), and POST
 * {@code sobjects/{type}} to create. A write is a call of one record ({@link WriteCall}); a failed
 * record answers Salesforce's error array, 400 (404 when the record is not there, 503 in maintenance).
 */
final class SObjectRestEndpoint {

    /** Upserts answer 200 with {@code created: false} for an update, and say {@code created}, from this version on (before: 204, and no {@code created}). */
    static final double UPSERT_RESULT_VERSION = 46.0;

    private final SimulatorContext ctx;

    SObjectRestEndpoint(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    /** {@code parts}: the path after /services/data split on '/', parts[1] being "sobjects". */
    void handle(HttpExchange ex, String version, String[] parts) throws IOException {
        String method = ex.getRequestMethod();
        if (parts.length == 2) {
            List<Map<String, Object>> objects = new ArrayList<>();
            ctx.org().schema().values().forEach(o -> objects.add(Map.of("name", o.name(), "keyPrefix", o.keyPrefix(), "createable", true, "updateable", true)));
            HttpIo.json(ex, 200, Map.of("encoding", "UTF-8", "maxBatchSize", 200, "sobjects", objects));
            return;
        }
        ObjectDef def = ctx.org().schema().get(parts[2]);
        if (def == null) {
            notFound(ex);
            return;
        }
        if (parts.length == 3) {
            switch (method) {
                case "POST" -> create(ex, def);
                case "GET" -> HttpIo.json(ex, 200, Map.of("objectDescribe", Map.of("name", def.name(), "keyPrefix", def.keyPrefix(),
                        "createable", true, "updateable", true), "recentItems", List.of()));
                default -> notAllowed(ex, "GET, POST");
            }
            return;
        }
        if (parts.length == 4 && parts[3].equals("describe")) {
            HttpIo.json(ex, 200, RestEndpoint.describe(def, version));
            return;
        }
        if (parts.length == 4) {
            byId(ex, version, def, parts[3]);
        } else if (parts.length == 5) {
            byExternalId(ex, version, def, parts[3], parts[4]);
        } else {
            notFound(ex);
        }
    }

    private void byId(HttpExchange ex, String version, ObjectDef def, String id) throws IOException {
        Optional<SimRecord> found = ctx.org().find(id).filter(r -> r.type().equals(def.name()));
        if (found.isEmpty()) {
            notFound(ex);
            return;
        }
        if (found.get().deleted()) {
            HttpIo.errors(ex, 404, "ENTITY_IS_DELETED", "entity is deleted");
            return;
        }
        switch (ex.getRequestMethod()) {
            case "GET" -> retrieve(ex, version, def, found.get());
            case "PATCH" -> write(ex, "update", null, def, SObjectJson.input(SObjectJson.body(HttpIo.body(ex)), found.get().id()), version);
            case "DELETE" -> write(ex, "delete", null, def, new RecordInput(found.get().id(), null, null, null), version);
            default -> notAllowed(ex, "GET, PATCH, DELETE");
        }
    }

    private void byExternalId(HttpExchange ex, String version, ObjectDef def, String fieldName, String value) throws IOException {
        FieldDef field = externalIdField(def, fieldName);
        if (field == null) {
            notFound(ex); // Salesforce's answer to a field that is no external ID
            return;
        }
        Optional<SimRecord> match = field.type() == FieldType.ID ? ctx.org().find(value)
                : ctx.org().findByExternalId(def.name(), field.name(), value);
        Optional<SimRecord> live = match.filter(r -> r.type().equals(def.name()) && !r.deleted());
        switch (ex.getRequestMethod()) {
            case "GET" -> {
                if (live.isEmpty()) {
                    notFound(ex);
                } else {
                    retrieve(ex, version, def, live.get());
                }
            }
            case "PATCH" -> write(ex, "upsert", field.name(), def, upsertInput(field, value, SObjectJson.body(HttpIo.body(ex))), version);
            case "DELETE" -> {
                if (live.isEmpty()) {
                    notFound(ex);
                } else {
                    write(ex, "delete", null, def, new RecordInput(live.get().id(), null, null, null), version);
                }
            }
            default -> notAllowed(ex, "GET, PATCH, DELETE");
        }
    }

    /** The field of {@code def} a record may be named by in a URL (an external ID, or the Id); null when there is none of that name. */
    static FieldDef externalIdField(ObjectDef def, String fieldName) {
        return def.field(fieldName).filter(f -> f.externalId() || f.type() == FieldType.ID).orElse(null);
    }

    /** An upsert's record: the body, with the URL's value for the field it is matched on. */
    static RecordInput upsertInput(FieldDef field, String value, JsonNode body) {
        RecordInput sent = SObjectJson.input(body, field.type() == FieldType.ID ? value : null);
        Map<String, String> values = new LinkedHashMap<>(sent.values());
        List<String> toNull = new ArrayList<>(sent.fieldsToNull());
        if (field.type() != FieldType.ID) {
            // the URL names the record: the body's value for the field, null included, does not count
            values.keySet().removeIf(k -> k.equalsIgnoreCase(field.name()));
            toNull.removeIf(k -> k.equalsIgnoreCase(field.name()));
            values.put(field.name(), value);
        }
        return new RecordInput(sent.id(), values, toNull, sent.parents());
    }

    /** The HTTP status a failed single-record write answers with. */
    static int status(SaveOutcome failed) {
        String code = failed.errors().get(0).statusCode();
        return code.equals("INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE") ? 503 : code.equals("ENTITY_IS_DELETED") ? 404 : 400;
    }

    private void create(HttpExchange ex, ObjectDef def) throws IOException {
        JsonNode body = SObjectJson.body(HttpIo.body(ex));
        write(ex, "create", null, def, SObjectJson.input(body, null), null);
    }

    /** Writes one record and answers as REST does for its operation. */
    private void write(HttpExchange ex, String operation, String externalIdField, ObjectDef def, RecordInput input, String version) throws IOException {
        WriteCall call = new WriteCall(ctx, "REST", operation, externalIdField, WriteOptions.DEFAULT, false, System.nanoTime());
        SaveOutcome outcome = call.run(List.of(new WriteCall.Item(def.name(), input)))[0];
        if (!call.logAndAnswer(ex, Map.of())) {
            return;
        }
        if (!outcome.success()) {
            HttpIo.json(ex, status(outcome), SObjectJson.errors(outcome));
            return;
        }
        switch (operation) {
            case "create" -> HttpIo.json(ex, 201, SObjectJson.result(outcome, false));
            case "upsert" -> upserted(ex, outcome, version);
            default -> HttpIo.empty(ex, 204);
        }
    }

    private static void upserted(HttpExchange ex, SaveOutcome outcome, String version) throws IOException {
        boolean withCreated = Double.parseDouble(version) >= UPSERT_RESULT_VERSION;
        if (!withCreated && !outcome.created()) {
            HttpIo.empty(ex, 204);
            return;
        }
        Map<String, Object> body = SObjectJson.result(outcome, withCreated);
        HttpIo.json(ex, outcome.created() ? 201 : 200, body);
    }

    private void retrieve(HttpExchange ex, String version, ObjectDef def, SimRecord record) throws IOException {
        String fieldList = HttpIo.params(ex.getRequestURI().getRawQuery()).get("fields");
        List<FieldDef> fields = fieldList == null || fieldList.isBlank() ? def.fields() : SObjectJson.fields(def, List.of(fieldList.split(",")));
        HttpIo.json(ex, 200, SObjectJson.record(record, fields, version));
    }

    private static void notFound(HttpExchange ex) throws IOException {
        HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
    }

    private static void notAllowed(HttpExchange ex, String allowed) throws IOException {
        HttpIo.errors(ex, 405, "METHOD_NOT_ALLOWED", "HTTP Method '" + ex.getRequestMethod() + "' not allowed. Allowed are " + allowed);
    }
}
