package io.pgforce.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST API under {@code /services/data}: versions, resources and limits here, after the session
 * and the daily request limit are checked; queries ({@link QueryEndpoint}), sObjects
 * ({@link SObjectRestEndpoint}), sObject collections ({@link CompositeCollectionsEndpoint}), Composite
 * Graph ({@link CompositeGraphEndpoint}), Bulk
 * ingest ({@link BulkEndpoint}) and Bulk query jobs ({@link BulkQueryEndpoint}) are handed on.
 */
final class RestEndpoint {

    /** Every API version from 20.0 (Summer '10) to 64.0, as a current org lists them. */
    static final List<String> VERSIONS = java.util.stream.IntStream.rangeClosed(20, 64).mapToObj(v -> v + ".0").toList();

    private final SimulatorContext ctx;
    private final BulkEndpoint bulk;
    private final BulkQueryEndpoint bulkQuery;
    private final QueryEndpoint query;
    private final SObjectRestEndpoint sobjects;
    private final CompositeCollectionsEndpoint collections;
    private final CompositeGraphEndpoint graphs;

    RestEndpoint(SimulatorContext ctx, BulkEndpoint bulk, BulkQueryEndpoint bulkQuery, QueryCursors cursors) {
        this.ctx = ctx;
        this.bulk = bulk;
        this.bulkQuery = bulkQuery;
        this.query = new QueryEndpoint(ctx, cursors);
        this.sobjects = new SObjectRestEndpoint(ctx);
        this.collections = new CompositeCollectionsEndpoint(ctx);
        this.graphs = new CompositeGraphEndpoint(ctx);
    }

    /** The request's path starts with /services/data. */
    void handle(HttpExchange ex) throws IOException {
        // split before decoding, so that an encoded '/' in an external ID value stays in its segment
        String rest = ex.getRequestURI().getRawPath().substring("/services/data".length());
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.isEmpty()) {
            List<Map<String, String>> versions = new ArrayList<>();
            for (String v : VERSIONS) {
                versions.add(Map.of("label", "v" + v, "url", "/services/data/v" + v, "version", v));
            }
            HttpIo.json(ex, 200, versions);
            return;
        }
        if (!ctx.sessions().valid(HttpIo.bearer(ex))) {
            HttpIo.errors(ex, 401, "INVALID_SESSION_ID", "Session expired or invalid");
            return;
        }
        if (!ctx.faults().countRequest()) {
            HttpIo.errors(ex, 403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
            return;
        }
        ex.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + ctx.faults().apiRequests() + "/" + ctx.faults().dailyApiLimit());
        String[] parts = java.util.Arrays.stream(rest.substring(1).split("/"))
                .map(p -> java.net.URLDecoder.decode(p.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)).toArray(String[]::new);
        String version = parts[0].startsWith("v") ? parts[0].substring(1) : parts[0];
        if (!VERSIONS.contains(version)) {
            HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }
        try {
            route(ex, version, parts);
        } catch (SimFault f) {
            HttpIo.errors(ex, f.httpStatus(), f.code(), f.getMessage());
        }
    }

    private void route(HttpExchange ex, String version, String[] parts) throws IOException {
        if (parts.length == 1) {
            String base = "/services/data/v" + version;
            HttpIo.json(ex, 200, Map.of("sobjects", base + "/sobjects", "query", base + "/query", "queryAll", base + "/queryAll",
                    "composite", base + "/composite", "limits", base + "/limits", "jobs", base + "/jobs"));
            return;
        }
        switch (parts[1]) {
            case "limits" -> HttpIo.json(ex, 200, limits());
            case "query", "queryAll" -> {
                if (parts.length > 3) {
                    HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
                } else {
                    query.handle(ex, version, parts[1], parts.length == 3 ? parts[2] : null);
                }
            }
            case "sobjects" -> sobjects.handle(ex, version, parts);
            case "composite" -> {
                if (parts.length >= 3 && parts[2].equals("sobjects")) {
                    collections.handle(ex, version, java.util.Arrays.asList(parts).subList(3, parts.length));
                } else if (parts.length == 3 && parts[2].equals("graph")) {
                    graphs.handle(ex);
                } else {
                    HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
                }
            }
            case "jobs" -> {
                String tail = String.join("/", java.util.Arrays.copyOfRange(parts, Math.min(3, parts.length), parts.length));
                if (parts.length >= 3 && parts[2].equals("ingest")) {
                    bulk.handle(ex, version, tail);
                } else if (parts.length >= 3 && parts[2].equals("query")) {
                    bulkQuery.handle(ex, version, tail);
                } else {
                    HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
                }
            }
            default -> HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
        }
    }

    private Map<String, Object> limits() {
        long max = ctx.faults().dailyApiLimit();
        long used = ctx.faults().apiRequests();
        return Map.of("DailyApiRequests", Map.of("Max", max, "Remaining", Math.max(0, max - used)),
                "DailyBulkV2QueryJobs", Map.of("Max", ctx.faults().dailyBulkQueryJobLimit(), "Remaining", ctx.faults().bulkQueryJobsRemaining()),
                "DailyBulkApiBatches", Map.of("Max", 15000, "Remaining", 15000));
    }

    static Map<String, Object> describe(ObjectDef def, String version) {
        List<Map<String, Object>> fields = new ArrayList<>();
        for (FieldDef f : def.fields()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("label", f.label());
            m.put("type", f.type().describeName());
            m.put("length", f.type().textual() || f.type() == FieldType.ID || f.type() == FieldType.REFERENCE ? f.length() : 0);
            m.put("nillable", f.nillable());
            m.put("createable", f.createable());
            m.put("updateable", f.updateable());
            m.put("externalId", f.externalId());
            m.put("unique", f.unique());
            m.put("idLookup", f.externalId() || f.name().equals("Id"));
            m.put("calculated", false);
            m.put("autoNumber", false);
            m.put("defaultedOnCreate", !f.createable() || f.type() == FieldType.BOOLEAN);
            m.put("referenceTo", f.referenceTo());
            m.put("relationshipName", f.relationshipName());
            m.put("soapType", soapType(f.type()));
            m.put("precision", f.type().numeric() ? 18 : 0);
            m.put("scale", f.type() == FieldType.CURRENCY || f.type() == FieldType.DOUBLE || f.type() == FieldType.PERCENT ? 2 : 0);
            List<Map<String, Object>> picklist = new ArrayList<>();
            f.picklistValues().forEach(v -> picklist.add(Map.of("value", v, "label", v, "active", true, "defaultValue", false)));
            m.put("picklistValues", picklist);
            fields.add(m);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", def.name());
        d.put("label", OrgSchemaFile.labelOf(def.name()));
        d.put("keyPrefix", def.keyPrefix());
        d.put("custom", def.name().endsWith("__c"));
        d.put("createable", true);
        d.put("updateable", true);
        d.put("deletable", true);
        d.put("queryable", def.queryable());
        d.put("fields", fields);
        d.put("urls", Map.of("sobject", "/services/data/v" + version + "/sobjects/" + def.name(),
                "describe", "/services/data/v" + version + "/sobjects/" + def.name() + "/describe"));
        return d;
    }

    private static String soapType(FieldType t) {
        return switch (t) {
            case ID, REFERENCE -> "tns:ID";
            case BOOLEAN -> "xsd:boolean";
            case INT -> "xsd:int";
            case DOUBLE, CURRENCY, PERCENT -> "xsd:double";
            case DATE -> "xsd:date";
            case DATETIME -> "xsd:dateTime";
            default -> "xsd:string";
        };
    }
}
