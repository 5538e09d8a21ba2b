package io.pgforce.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.config.RetrySettings;
import io.pgforce.plan.Operation;
import io.pgforce.plan.RecordKey;
import io.pgforce.plan.WriteItem;
import io.pgforce.route.PgforceConstants;
import io.pgforce.salesforce.SalesforceFailures.Kind;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

/**
 * The steps of the Composite Graph route around camel-salesforce's raw call ({@code
 * atomic_transactions}): build the payload of the graphs still pending (one graph per Postgres
 * transaction, see the planner's TransactionPlanner), and settle each graph from its answer, all
 * or nothing. A graph that succeeded settles every row with its sfid; a graph that failed fails
 * every row, the failing node's with Salesforce's error and the others saying they were rolled
 * back because of it. Maintenance and the API limit wait, a lock or a timeout sends the graph
 * again (as SOAP does a record), and a failure of the whole call is classified by
 * {@link SalesforceFailures} as on the other paths.
 */
@ApplicationScoped
@Unremovable
@Named("compositeGraph")
public class CompositeGraph {

    private static final Logger LOG = Logger.getLogger(CompositeGraph.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HALTED = "PROCESSING_HALTED";
    /** The errors a resent graph meets when its delete already happened: the record is gone, as asked. */
    private static final Set<String> GONE = Set.of("ENTITY_IS_DELETED", "NOT_FOUND");
    private static final String SENT = "pgforceGraphSent";

    private final RecordMapper mapper;
    private final MappingSet mappings;
    private final RecordRetries recordRetries;

    @Inject
    CompositeGraph(RecordMapper mapper, MappingSet mappings, RetrySettings retry) {
        this.mapper = mapper;
        this.mappings = mappings;
        this.recordRetries = RecordRetries.of(retry);
    }

    /** Body: BatchProgress. Becomes the JSON payload of the graphs still pending. */
    public void request(Exchange exchange) throws IOException {
        BatchProgress progress = exchange.getMessage().getBody(BatchProgress.class);
        Map<String, List<WriteItem>> graphs = pendingGraphs(progress);
        String base = "/services/data/v" + mappings.connection().apiVersion() + "/sobjects/";
        ObjectNode payload = JSON.createObjectNode();
        ArrayNode out = payload.putArray("graphs");
        graphs.forEach((graphId, items) -> {
            ObjectNode graph = out.addObject();
            graph.put("graphId", graphId);
            ArrayNode nodes = graph.putArray("compositeRequest");
            Map<RecordKey, Long> inserted = new HashMap<>();
            for (WriteItem item : items) {
                nodes.add(node(base, item, inserted));
                if (item.operation().isInsert()) {
                    inserted.put(RecordKey.of(item), item.logId());
                }
            }
        });
        exchange.setProperty(SENT, graphs);
        exchange.getMessage().setBody(JSON.writeValueAsString(payload));
    }

    /**
     * The pending items by graph, in plan order. A graph some of whose changes already have an
     * outcome (a value that cannot be sent, a change held behind a failed insert) cannot be all or
     * nothing any more: its other changes fail, saying which change stopped them.
     */
    private static Map<String, List<WriteItem>> pendingGraphs(BatchProgress progress) {
        Map<String, Outcome> stopped = new HashMap<>();
        for (Outcome o : progress.outcomes()) {
            String graphId = progress.batch().graphs().get(o.item().logId());
            if (graphId != null && o.kind() != Outcome.Kind.SUCCESS) {
                stopped.putIfAbsent(graphId, o);
            }
        }
        Map<String, List<WriteItem>> graphs = new LinkedHashMap<>();
        for (WriteItem item : progress.pending()) {
            String graphId = progress.batch().graphs().get(item.logId());
            Outcome stopper = stopped.get(graphId);
            if (stopper != null) {
                progress.failed(item, rolledBack(graphId, stopper.item(), stopper.error() != null ? stopper.error().describe() : stopper.note()));
            } else {
                graphs.computeIfAbsent(graphId, g -> new ArrayList<>()).add(item);
            }
        }
        return graphs;
    }

    /** One node: its record as REST takes it; an update or delete of a record its graph inserts names the insert's result. */
    private ObjectNode node(String base, WriteItem item, Map<RecordKey, Long> inserted) {
        SObjectData record = mapper.map(item);
        Mapping mapping = mappings.byTable(item.table()).orElseThrow();
        String keyField = item.operation() == Operation.UPSERT ? mapping.uniqueIdentifier() : null;
        Long insert = inserted.get(RecordKey.of(item));
        String id = item.sfid() != null ? item.sfid() : insert != null ? "@{" + ref(insert) + ".id}" : null;
        ObjectNode node = JSON.createObjectNode();
        node.put("referenceId", ref(item.logId()));
        switch (item.operation()) {
            case CREATE -> node.put("method", "POST").put("url", base + record.type());
            case UPSERT -> node.put("method", "PATCH").put("url", base + record.type() + "/" + keyField + "/"
                    + URLEncoder.encode(String.valueOf(item.values().get(mapping.uniqueIdentifierColumn())), StandardCharsets.UTF_8).replace("+", "%20"));
            case UPDATE -> node.put("method", "PATCH").put("url", base + record.type() + "/" + id);
            case DELETE -> node.put("method", "DELETE").put("url", base + record.type() + "/" + id);
        }
        if (item.operation() != Operation.DELETE) {
            ObjectNode body = node.putObject("body");
            record.fields().forEach((field, value) -> {
                if (!field.equalsIgnoreCase(keyField)) { // the URL names the record by it
                    body.put(field, value);
                }
            });
            record.fieldsToNull().stream().filter(f -> !f.equalsIgnoreCase(keyField)).forEach(body::putNull);
            for (ParentReference p : record.parents()) {
                body.putObject(p.relationshipName()).put(p.externalIdField(), p.value());
            }
        }
        return node;
    }

    private static String ref(long logId) {
        return "n" + logId;
    }

    /** Body: the answer. Settles each graph sent; becomes the BatchProgress again. */
    @SuppressWarnings("unchecked")
    public void results(Exchange exchange) throws IOException {
        BatchProgress progress = exchange.getProperty(PgforceConstants.PROGRESS, BatchProgress.class);
        Map<String, List<WriteItem>> sent = exchange.getProperty(SENT, Map.class);
        JsonNode answer = JSON.readTree(exchange.getMessage().getBody(InputStream.class));
        String unavailable = null;
        for (JsonNode graph : answer.path("graphs")) {
            List<WriteItem> items = sent.get(graph.path("graphId").asText());
            if (items == null) {
                throw new IllegalStateException("Salesforce answered graph " + graph.path("graphId").asText() + ", which pgforce did not send");
            }
            Map<String, JsonNode> nodes = new HashMap<>();
            graph.path("graphResponse").path("compositeResponse").forEach(n -> nodes.put(n.path("referenceId").asText(), n));
            if (graph.path("isSuccessful").asBoolean()) {
                succeeded(progress, items, nodes);
            } else {
                String wait = failed(progress, graph.path("graphId").asText(), items, nodes);
                unavailable = wait != null ? wait : unavailable;
            }
        }
        if (unavailable != null && progress.isPendingSend()) {
            progress.unavailable(unavailable);
        }
        exchange.getMessage().setBody(progress);
    }

    private static void succeeded(BatchProgress progress, List<WriteItem> items, Map<String, JsonNode> nodes) {
        Map<RecordKey, String> ids = new HashMap<>();
        for (WriteItem item : items) {
            String id = nodes.getOrDefault(ref(item.logId()), JSON.createObjectNode()).path("body").path("id").asText(null);
            String sfid = id != null ? id : item.sfid() != null ? item.sfid() : ids.get(RecordKey.of(item));
            if (sfid != null) {
                ids.put(RecordKey.of(item), sfid);
            }
            progress.succeeded(item, sfid);
        }
    }

    /**
     * A graph Salesforce rolled back. Returns the reason to wait when it was an outage (its
     * changes stay pending); a lock or a timeout leaves them pending for another attempt, a
     * delete whose record is already gone succeeds and the rest go again; otherwise every change
     * fails.
     */
    private String failed(BatchProgress progress, String graphId, List<WriteItem> items, Map<String, JsonNode> nodes) {
        WriteItem culprit = null;
        RecordError error = null;
        for (WriteItem item : items) {
            JsonNode e = nodes.getOrDefault(ref(item.logId()), JSON.createObjectNode()).path("body").path(0);
            if (!e.isMissingNode() && !HALTED.equals(e.path("errorCode").asText())) {
                culprit = item;
                List<String> fields = new ArrayList<>();
                e.path("fields").forEach(f -> fields.add(f.asText()));
                error = RecordError.fromSalesforce(e.path("errorCode").asText(), e.path("message").asText(), fields);
                break;
            }
        }
        if (culprit == null) {
            // halted unprocessed (too many failed graphs in the payload): nothing against these changes
            error = RecordError.fromSalesforce(HALTED, "Salesforce did not process the graph", List.of());
            culprit = items.get(0);
        }
        if (SalesforceFailures.classify(error) == Kind.WAIT) {
            return error.describe();
        }
        if (culprit.operation() == Operation.DELETE && GONE.contains(error.statusCode())) {
            progress.succeeded(culprit, culprit.sfid()); // sent again after a lost answer: the record is gone, as asked
            return null;
        }
        if ((recordRetries.isTransient(error.statusCode()) || HALTED.equals(error.statusCode()))
                && progress.retryLater(culprit, error, recordRetries.attempts())) {
            LOG.debugf("%s in graph %s: sending it again", error.statusCode(), graphId);
            return null;
        }
        for (WriteItem item : items) {
            progress.failed(item, item == culprit ? error : rolledBack(graphId, culprit, error.describe()));
        }
        return null;
    }

    private static RecordError rolledBack(String graphId, WriteItem culprit, String why) {
        return RecordError.fromSalesforce(HALTED, "Rolled back with its transaction (graph " + graphId + "): change " + culprit.logId()
                + " (" + culprit.object() + " row " + culprit.recordId() + ") failed: " + why, List.of());
    }

    /** The call failed as a whole: outages and refused sessions wait, as on the other paths; anything else fails the graphs' changes. */
    public void failure(Exchange exchange) {
        BatchProgress progress = exchange.getProperty(PgforceConstants.PROGRESS, BatchProgress.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.getMessage().setBody(progress);
        SalesforceFailures.waitIfUnavailable(e, "Salesforce Composite Graph");
        RecordError error = RecordError.fromPgforce("UNEXPECTED_RESPONSE", "The Composite Graph call failed: " + e.getMessage());
        LOG.warnf("A Composite Graph call of %d change(s) failed as a whole: %s", progress.pending().size(), error.describe());
        progress.failAll(error);
    }
}
