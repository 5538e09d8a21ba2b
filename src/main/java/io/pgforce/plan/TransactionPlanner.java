package io.pgforce.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code atomic_transactions}: the changes of one Postgres transaction (the trigger log's txid) go
 * as one Composite Graph, all or nothing, its nodes in the order the transaction wrote them;
 * transactions in the order of their first change. Graphs are packed into payloads as Salesforce's
 * limits allow (75 graphs, 500 nodes, 15 node kinds of object and HTTP method). A transaction
 * larger than one graph (over 500 changes, or over 15 kinds) is split into several graphs, each
 * all or nothing on its own. A payload never holds two graphs that change the same record: a later
 * graph's update needs the sfid an earlier one's insert learns, and the round knows it only once
 * that payload is settled.
 */
final class TransactionPlanner implements Planner {

    static final int MAX_GRAPHS = 75;
    static final int MAX_NODES = 500;
    static final int MAX_NODE_KINDS = 15;

    private final PlanRules rules;
    private final Map<Long, List<Change>> transactions = new LinkedHashMap<>();

    TransactionPlanner(PlanRules rules) {
        this.rules = rules;
    }

    @Override
    public void add(Change change) {
        transactions.computeIfAbsent(change.txid(), t -> new ArrayList<>()).add(change);
    }

    @Override
    public WritePlan finish() {
        Payloads payloads = new Payloads();
        transactions.forEach((txid, changes) -> {
            List<List<WriteItem>> parts = graphs(changes.stream().map(rules::item).toList());
            for (int i = 0; i < parts.size(); i++) {
                payloads.add("t" + txid + (parts.size() == 1 ? "" : "-" + (i + 1)), parts.get(i));
            }
        });
        return new WritePlan(payloads.finish(), List.of(), List.of());
    }

    /** A transaction's items as graphs: one, unless it has more nodes or node kinds than a graph may. */
    private static List<List<WriteItem>> graphs(List<WriteItem> items) {
        List<List<WriteItem>> graphs = new ArrayList<>();
        List<WriteItem> graph = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        for (WriteItem item : items) {
            String kind = kind(item);
            if (graph.size() == MAX_NODES || !kinds.contains(kind) && kinds.size() == MAX_NODE_KINDS) {
                graphs.add(graph);
                graph = new ArrayList<>();
                kinds.clear();
            }
            graph.add(item);
            kinds.add(kind);
        }
        graphs.add(graph);
        return graphs;
    }

    /** What Salesforce counts as a different node (the API version is the connection's, one for all). */
    static String kind(WriteItem item) {
        String method = switch (item.operation()) {
            case CREATE -> "POST";
            case UPSERT, UPDATE -> "PATCH";
            case DELETE -> "DELETE";
        };
        return item.object() + " " + method;
    }

    /** Graphs packed into payloads, in order. */
    private static final class Payloads {
        private final List<WriteBatch> batches = new ArrayList<>();
        private final List<WriteItem> items = new ArrayList<>();
        private final Map<Long, String> graphOf = new HashMap<>();
        private final Set<String> kinds = new HashSet<>();
        private final Set<RecordKey> records = new HashSet<>();
        private int graphs;

        void add(String graphId, List<WriteItem> graph) {
            Set<String> graphKinds = new HashSet<>();
            Set<RecordKey> graphRecords = new HashSet<>();
            graph.forEach(i -> {
                graphKinds.add(kind(i));
                graphRecords.add(RecordKey.of(i));
            });
            Set<String> allKinds = new HashSet<>(kinds);
            allKinds.addAll(graphKinds);
            boolean fits = graphs < MAX_GRAPHS && items.size() + graph.size() <= MAX_NODES && allKinds.size() <= MAX_NODE_KINDS
                    && graphRecords.stream().noneMatch(records::contains);
            if (!fits) {
                flush();
            }
            graph.forEach(i -> graphOf.put(i.logId(), graphId));
            items.addAll(graph);
            kinds.addAll(graphKinds);
            records.addAll(graphRecords);
            graphs++;
        }

        List<WriteBatch> finish() {
            flush();
            return batches;
        }

        private void flush() {
            if (!items.isEmpty()) {
                batches.add(new WriteBatch(batches.size() + 1, Api.GRAPH, items.get(0).operation(), null, items, graphOf));
            }
            items.clear();
            graphOf.clear();
            kinds.clear();
            records.clear();
            graphs = 0;
        }
    }
}
