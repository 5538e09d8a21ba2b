package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * sObject collections under {@code composite/sobjects}: POST creates, PATCH updates (each record
 * with its {@code id}), PATCH {@code /{type}/{externalIdField}} upserts, DELETE {@code ?ids=a,b}
 * deletes, each at most 200 records with {@code allOrNone} (false by default), answering one
 * result a record in request order; GET {@code /{type}?ids=&fields=} and POST {@code /{type}}
 * ({@code {ids, fields}}) retrieve. Writes are calls of the same engine as SOAP's ({@link WriteCall}).
 */
final class CompositeCollectionsEndpoint {

    private final SimulatorContext ctx;

    CompositeCollectionsEndpoint(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    /** {@code tail}: the path after composite/sobjects, split on '/' (empty, or type and external ID field). */
    void handle(HttpExchange ex, String version, List<String> tail) throws IOException {
        String method = ex.getRequestMethod();
        if (tail.isEmpty()) {
            switch (method) {
                case "POST" -> write(ex, "create", null, records(ex, null));
                case "PATCH" -> write(ex, "update", null, records(ex, null));
                case "DELETE" -> delete(ex);
                default -> HttpIo.errors(ex, 405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed. Allowed are POST, PATCH, DELETE");
            }
            return;
        }
        ObjectDef def = ctx.org().object(tail.get(0));
        if (tail.size() == 2 && method.equals("PATCH")) {
            write(ex, "upsert", tail.get(1), records(ex, def.name()));
        } else if (tail.size() == 1 && (method.equals("GET") || method.equals("POST"))) {
            retrieve(ex, version, def);
        } else {
            HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
        }
    }

    /** A request body's {@code records} as items of a write call, and its {@code allOrNone}; {@code type}: the URL's, for upserts. */
    private Request records(HttpExchange ex, String type) throws IOException {
        JsonNode body = SObjectJson.body(HttpIo.body(ex));
        JsonNode records = body.path("records");
        if (!records.isArray()) {
            throw new SimFault("JSON_PARSER_ERROR", "The request body needs a records array: {\"allOrNone\": false, \"records\": [...]}");
        }
        List<WriteCall.Item> items = new ArrayList<>();
        for (JsonNode record : records) {
            String recordType = type != null ? type : SObjectJson.type(record);
            if (recordType == null) {
                throw new SimFault("INVALID_TYPE", "Must send a concrete entity type: every record needs attributes.type");
            }
            ctx.org().object(recordType);
            items.add(new WriteCall.Item(recordType, SObjectJson.input(record, SObjectJson.id(record))));
        }
        return new Request(items, body.path("allOrNone").asBoolean(false));
    }

    private record Request(List<WriteCall.Item> items, boolean allOrNone) {
    }

    private void delete(HttpExchange ex) throws IOException {
        Map<String, String> params = HttpIo.params(ex.getRequestURI().getRawQuery());
        String ids = params.get("ids");
        if (ids == null || ids.isBlank()) {
            throw new SimFault("MISSING_ARGUMENT", "ids: a comma-separated list of the Ids to delete is required");
        }
        List<WriteCall.Item> items = new ArrayList<>();
        for (String id : ids.split(",")) {
            items.add(new WriteCall.Item(null, new RecordInput(id.strip(), null, null, null)));
        }
        write(ex, "delete", null, new Request(items, Boolean.parseBoolean(params.get("allOrNone"))));
    }

    private void write(HttpExchange ex, String operation, String externalIdField, Request request) throws IOException {
        WriteCall call = new WriteCall(ctx, "COLLECTIONS", operation, externalIdField, WriteOptions.DEFAULT, request.allOrNone(), System.nanoTime());
        SaveOutcome[] results = call.run(request.items());
        if (!call.logAndAnswer(ex, Map.of())) {
            return;
        }
        List<Map<String, Object>> body = new ArrayList<>();
        for (SaveOutcome r : results) {
            body.add(SObjectJson.result(r, operation.equals("upsert")));
        }
        HttpIo.json(ex, 200, body);
    }

    /** Records of one type by Id, with the fields asked for; null for an Id that names no live record of the type. */
    private void retrieve(HttpExchange ex, String version, ObjectDef def) throws IOException {
        List<String> ids = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        if (ex.getRequestMethod().equals("POST")) {
            JsonNode body = SObjectJson.body(HttpIo.body(ex));
            body.path("ids").forEach(n -> ids.add(n.asText()));
            body.path("fields").forEach(n -> fields.add(n.asText()));
        } else {
            Map<String, String> params = HttpIo.params(ex.getRequestURI().getRawQuery());
            ids.addAll(List.of(params.getOrDefault("ids", "").split(",")));
            fields.addAll(List.of(params.getOrDefault("fields", "").split(",")));
        }
        List<FieldDef> selected = SObjectJson.fields(def, fields);
        if (selected.isEmpty()) {
            throw new SimFault("MISSING_ARGUMENT", "fields: the fields to return are required");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : ids) {
            out.add(ctx.org().find(id.strip()).filter(r -> r.type().equals(def.name()) && !r.deleted())
                    .map(r -> SObjectJson.record(r, selected, version)).orElse(null));
        }
        ctx.log("COLLECTIONS", "retrieve", out.size(), "OK");
        HttpIo.json(ex, 200, out);
    }
}
