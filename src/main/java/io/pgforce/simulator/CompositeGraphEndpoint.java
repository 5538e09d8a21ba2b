package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Composite Graph ({@code POST composite/graph}): a payload of graphs, each its own transaction,
 * all or nothing, processed in payload order and independently of each other. A graph's nodes are
 * sObject writes (POST create, PATCH update by Id or upsert by external ID, DELETE by Id or external
 * ID), each may name an earlier node's result by {@code @{referenceId.field}}. Salesforce's
 * documented limits refuse the whole payload before anything is written: 75 graphs, 500 nodes per
 * graph and per payload, depth 15, 15 node kinds (version, method, object); after 14 failed graphs
 * the rest are not processed. A failed graph answers its failing node's errors and
 * {@code PROCESSING_HALTED} for its other nodes. The payload is one API request (counted by
 * {@link RestEndpoint}); writes share the engine and faults of the other write APIs ({@link WriteCall}).
 */
final class CompositeGraphEndpoint {

    static final int MAX_GRAPHS = 75;
    static final int MAX_NODES = 500;
    static final int MAX_DEPTH = 15;
    static final int MAX_NODE_KINDS = 15;
    static final int MAX_FAILED_GRAPHS = 14;

    private static final Pattern REFERENCE = Pattern.compile("@\\{([^.}]+)\\.([^}]+)}");
    private static final Pattern NODE_URL = Pattern.compile("/services/data/v(\\d+\\.\\d)/sobjects/(.+)");
    private static final String ROLLED_BACK = "The transaction was rolled back since another operation in the same transaction failed.";

    private final SimulatorContext ctx;

    CompositeGraphEndpoint(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    /** One node as sent. */
    private record Node(String method, String url, String referenceId, JsonNode body) {
    }

    private record Graph(String graphId, List<Node> nodes) {
    }

    /** A node's answer: its status, headers and body (a result, an error array or nothing). */
    private record Answer(int status, Map<String, String> headers, Object body) {
        boolean ok() {
            return status < 300;
        }
    }

    void handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            HttpIo.errors(ex, 405, "METHOD_NOT_ALLOWED", "HTTP Method '" + ex.getRequestMethod() + "' not allowed. Allowed are POST");
            return;
        }
        long start = System.nanoTime();
        List<Graph> graphs = parse(SObjectJson.body(HttpIo.body(ex)));
        checkLimits(graphs);
        WriteCall.injectedFault(ctx);
        int nodes = graphs.stream().mapToInt(g -> g.nodes().size()).sum();
        WriteCall.orgTime(ctx, nodes);

        List<Map<String, Object>> out = new ArrayList<>();
        int failed = 0;
        for (Graph graph : graphs) {
            List<Answer> answers = failed > MAX_FAILED_GRAPHS ? halted(graph, "Processing halted: more than "
                    + MAX_FAILED_GRAPHS + " graphs of this request failed") : run(graph);
            boolean ok = answers.stream().allMatch(Answer::ok);
            failed += ok ? 0 : 1;
            List<Map<String, Object>> responses = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("body", answers.get(i).body());
                r.put("httpHeaders", answers.get(i).headers());
                r.put("httpStatusCode", answers.get(i).status());
                r.put("referenceId", graph.nodes().get(i).referenceId());
                responses.add(r);
            }
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("graphId", graph.graphId());
            g.put("graphResponse", Map.of("compositeResponse", responses));
            g.put("isSuccessful", ok);
            out.add(g);
        }
        String outcome = failed == 0 ? "OK" : failed + (failed == 1 ? " graph failed" : " graphs failed");
        List<String> objects = WriteCall.chunks(graphs.stream().flatMap(g -> g.nodes().stream())
                .map(n -> new WriteCall.Item(objectOf(n.url()), null)).toList());
        if (WriteCall.logAndAnswer(ctx, ex, outcome, o -> ctx.calls().add(new CallLog.Call(Instant.now(), "GRAPH", "graph", objects, nodes,
                objects.size(), (System.nanoTime() - start) / 1_000_000, o, Map.of("graphs", String.valueOf(graphs.size())))))) {
            HttpIo.json(ex, 200, Map.of("graphs", out));
        }
    }

    private static List<Graph> parse(JsonNode body) {
        JsonNode graphs = body.path("graphs");
        if (!graphs.isArray()) {
            throw new SimFault("JSON_PARSER_ERROR", "The request body needs a graphs array: {\"graphs\": [{\"graphId\": ..., \"compositeRequest\": [...]}]}");
        }
        List<Graph> out = new ArrayList<>();
        Set<String> graphIds = new HashSet<>();
        for (JsonNode g : graphs) {
            String graphId = g.path("graphId").asText("");
            if (graphId.isEmpty()) {
                throw new SimFault("JSON_PARSER_ERROR", "'graphId' is a required field.");
            }
            if (!graphIds.add(graphId)) {
                throw new SimFault("INVALID_INPUT", "Duplicate graphId: " + graphId + ". A graphId must be unique in the request.");
            }
            List<Node> nodes = new ArrayList<>();
            Set<String> refs = new HashSet<>();
            for (JsonNode n : g.path("compositeRequest")) {
                String ref = n.path("referenceId").asText("");
                if (ref.isEmpty()) {
                    throw new SimFault("JSON_PARSER_ERROR", "'referenceId' is a required field.");
                }
                if (!refs.add(ref)) {
                    throw new SimFault("INVALID_INPUT", "Duplicate referenceId: " + ref + " in graph " + graphId);
                }
                nodes.add(new Node(n.path("method").asText("").toUpperCase(java.util.Locale.ROOT), n.path("url").asText(""), ref, n.get("body")));
            }
            if (nodes.isEmpty()) {
                throw new SimFault("JSON_PARSER_ERROR", "Graph " + graphId + " needs a compositeRequest array of at least one node");
            }
            out.add(new Graph(graphId, nodes));
        }
        return out;
    }

    private static void checkLimits(List<Graph> graphs) {
        if (graphs.size() > MAX_GRAPHS) {
            throw new SimFault("LIMIT_EXCEEDED", "A request can contain at most " + MAX_GRAPHS + " graphs; it has " + graphs.size());
        }
        int total = 0;
        Set<String> kinds = new HashSet<>();
        for (Graph g : graphs) {
            if (g.nodes().size() > MAX_NODES) {
                throw new SimFault("LIMIT_EXCEEDED", "Graph " + g.graphId() + " has " + g.nodes().size() + " nodes; a graph can have at most " + MAX_NODES);
            }
            total += g.nodes().size();
            Map<String, Integer> depth = new HashMap<>();
            for (Node n : g.nodes()) {
                int d = 1;
                Matcher m = REFERENCE.matcher(n.url() + (n.body() == null ? "" : n.body().toString()));
                while (m.find()) {
                    d = Math.max(d, depth.getOrDefault(m.group(1), 0) + 1);
                }
                if (d > MAX_DEPTH) {
                    throw new SimFault("LIMIT_EXCEEDED", "Graph " + g.graphId() + " exceeds the maximum depth of " + MAX_DEPTH + " at node " + n.referenceId());
                }
                depth.put(n.referenceId(), d);
                Matcher url = NODE_URL.matcher(n.url());
                kinds.add((url.matches() ? url.group(1) : "") + " " + n.method() + " " + objectOf(n.url()));
            }
        }
        if (total > MAX_NODES) {
            throw new SimFault("LIMIT_EXCEEDED", "A request can contain at most " + MAX_NODES + " nodes; it has " + total);
        }
        if (kinds.size() > MAX_NODE_KINDS) {
            throw new SimFault("LIMIT_EXCEEDED", "A request can contain at most " + MAX_NODE_KINDS
                    + " different nodes (API version, HTTP method, object); it has " + kinds.size());
        }
    }

    /** The object a node's URL names, or "" when it names none. */
    private static String objectOf(String url) {
        Matcher m = NODE_URL.matcher(url);
        return m.matches() ? m.group(2).split("/")[0] : "";
    }

    /** One graph in one transaction: every node answered, or, when one fails, nothing left of it. */
    private List<Answer> run(Graph graph) {
        Map<String, Answer> done = new HashMap<>();
        List<Answer> answers = new ArrayList<>();
        SimulatedOrg.Unit unit = ctx.writeUnit();
        for (Node node : graph.nodes()) {
            Answer a;
            try {
                a = ctx.faults().maintenance() ? failure(SaveOutcome.failed(WriteCall.maintenanceError())) : write(unit, node, done);
            } catch (SimFault f) {
                a = new Answer(f.httpStatus() == 500 ? 400 : f.httpStatus(), Map.of(), List.of(error(f.code(), f.getMessage())));
            }
            answers.add(a);
            done.put(node.referenceId(), a);
            if (!a.ok()) {
                unit.rollback();
                List<Answer> rolledBack = new ArrayList<>();
                for (int i = 0; i < graph.nodes().size(); i++) {
                    rolledBack.add(i == answers.size() - 1 ? a : new Answer(400, Map.of(), List.of(error("PROCESSING_HALTED", ROLLED_BACK))));
                }
                return rolledBack;
            }
        }
        unit.commit("rest");
        return answers;
    }

    private static List<Answer> halted(Graph graph, String message) {
        return graph.nodes().stream().map(n -> new Answer(400, Map.<String, String>of(), (Object) List.of(error("PROCESSING_HALTED", message)))).toList();
    }

    private static Map<String, Object> error(String code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("errorCode", code);
        e.put("message", message);
        return e;
    }

    private Answer write(SimulatedOrg.Unit unit, Node node, Map<String, Answer> done) {
        Matcher m = NODE_URL.matcher(resolve(node.url(), done));
        if (!m.matches() || !RestEndpoint.VERSIONS.contains(m.group(1))) {
            throw new SimFault("NOT_FOUND", "The requested resource does not exist: " + node.url(), 404);
        }
        String version = m.group(1);
        String[] parts = m.group(2).split("/");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = java.net.URLDecoder.decode(parts[i].replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        }
        ObjectDef def = ctx.org().object(parts[0]);
        JsonNode body = node.body() == null ? null : resolved(node.body().deepCopy(), done);
        String method = node.method();
        if (parts.length == 1 && method.equals("POST")) {
            return answer(version, def, "create", null, SObjectJson.input(orEmpty(body), null), unit);
        }
        if (parts.length == 2 && method.equals("PATCH")) {
            return answer(version, def, "update", null, SObjectJson.input(orEmpty(body), parts[1]), unit);
        }
        if (parts.length == 2 && method.equals("DELETE")) {
            return answer(version, def, "delete", null, new RecordInput(parts[1], null, null, null), unit);
        }
        if (parts.length == 3) {
            FieldDef field = SObjectRestEndpoint.externalIdField(def, parts[1]);
            if (field == null) {
                throw new SimFault("NOT_FOUND", "The requested resource does not exist", 404);
            }
            if (method.equals("PATCH")) {
                return answer(version, def, "upsert", field.name(), SObjectRestEndpoint.upsertInput(field, parts[2], orEmpty(body)), unit);
            }
            if (method.equals("DELETE")) {
                SimRecord live = (field.type() == FieldType.ID ? ctx.org().find(parts[2]) : ctx.org().findByExternalId(def.name(), field.name(), parts[2]))
                        .filter(r -> r.type().equals(def.name()) && !r.deleted())
                        .orElseThrow(() -> new SimFault("NOT_FOUND", "The requested resource does not exist", 404));
                return answer(version, def, "delete", null, new RecordInput(live.id(), null, null, null), unit);
            }
        }
        throw new SimFault("METHOD_NOT_ALLOWED", "The simulator's Composite Graph takes POST, PATCH and DELETE nodes on sObjects; not "
                + method + " " + node.url(), 405);
    }

    private static JsonNode orEmpty(JsonNode body) {
        return body == null ? HttpIo.JSON.createObjectNode() : body;
    }

    private Answer answer(String version, ObjectDef def, String operation, String externalIdField, RecordInput input, SimulatedOrg.Unit unit) {
        SaveOutcome outcome = WriteCall.writeOne(ctx, unit, operation, externalIdField, WriteOptions.DEFAULT, new WriteCall.Item(def.name(), input));
        if (!outcome.success()) {
            return failure(outcome);
        }
        Map<String, String> location = Map.of("Location", "/services/data/v" + version + "/sobjects/" + def.name() + "/" + outcome.id());
        return switch (operation) {
            case "create" -> new Answer(201, location, SObjectJson.result(outcome, false));
            case "upsert" -> new Answer(outcome.created() ? 201 : 200, outcome.created() ? location : Map.of(),
                    SObjectJson.result(outcome, Double.parseDouble(version) >= SObjectRestEndpoint.UPSERT_RESULT_VERSION));
            default -> new Answer(204, Map.of(), null);
        };
    }

    private static Answer failure(SaveOutcome failed) {
        return new Answer(SObjectRestEndpoint.status(failed), Map.of(), SObjectJson.errors(failed));
    }

    /** {@code text} with each {@code @{ref.field}} replaced by that field of an earlier, successful node's result. */
    private static String resolve(String text, Map<String, Answer> done) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Answer a = done.get(m.group(1));
            Object value = a != null && a.body() instanceof Map<?, ?> result ? result.get(m.group(2)) : null;
            if (value == null) {
                throw new SimFault("INVALID_REFERENCE", "Invalid reference specified. No value for " + m.group() + " found in an earlier node of this graph.");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A node's body with its references resolved, in every text value. */
    private static JsonNode resolved(JsonNode body, Map<String, Answer> done) {
        if (body instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(e.getValue().isTextual() ? TextNode.valueOf(resolve(e.getValue().asText(), done)) : resolved(e.getValue(), done));
            }
        }
        return body;
    }
}
