package io.pgforce.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a cycle's changes, added in trigger-log order, into a write plan. */
public interface Planner {

    void add(Change change);

    WritePlan finish();

    static Planner forAlgorithm(PlanRules rules) {
        if (rules.atomicTransactions()) {
            return new TransactionPlanner(rules);
        }
        return rules.algorithm() == WriteAlgorithm.MERGED ? new MergedPlanner(rules) : new OrderedPlanner(rules);
    }

    static WritePlan plan(PlanRules rules, List<Change> changes) {
        Planner planner = forAlgorithm(rules);
        changes.forEach(planner::add);
        return planner.finish();
    }

    /**
     * The Bulk jobs an interrupted cycle left, rebuilt from the claimed changes that carry their
     * ids: one batch per job, of exactly the changes it carried, as Ordered Writes sent them.
     */
    static Map<String, WriteBatch> interruptedBulkJobs(PlanRules rules, List<Change> changes) {
        Map<String, List<WriteItem>> carried = new LinkedHashMap<>();
        for (Change c : changes) {
            if (c.bulkJobId() != null) {
                carried.computeIfAbsent(c.bulkJobId(), id -> new ArrayList<>()).add(rules.item(c));
            }
        }
        Map<String, WriteBatch> jobs = new LinkedHashMap<>();
        carried.forEach((id, items) -> jobs.put(id, new WriteBatch(jobs.size() + 1, Api.BULK, items.get(0).operation(),
                rules.externalIdField(items.get(0)), items)));
        return jobs;
    }

    /** An insert is an upsert on the unique identifier when the row has a value for it, so that a retry can never duplicate. */
    static Operation insertOperation(ObjectRules rules, java.util.Map<String, Object> values) {
        if (rules.hasUniqueIdentifier()) {
            Object key = values.get(rules.uniqueIdentifierColumn());
            if (key != null && !key.toString().isBlank()) {
                return Operation.UPSERT;
            }
        }
        return Operation.CREATE;
    }

    static Operation operation(ObjectRules rules, Action action, java.util.Map<String, Object> values) {
        return switch (action) {
            case INSERT -> insertOperation(rules, values);
            case UPDATE -> Operation.UPDATE;
            case DELETE -> Operation.DELETE;
        };
    }
}
