package io.pgforce.plan;

import java.util.List;

/** Turns a cycle's changes, added in trigger-log order, into a write plan. */
public interface Planner {

    void add(Change change);

    WritePlan finish();

    static Planner forAlgorithm(PlanRules rules) {
        return rules.algorithm() == WriteAlgorithm.MERGED ? new MergedPlanner(rules) : new OrderedPlanner(rules);
    }

    static WritePlan plan(PlanRules rules, List<Change> changes) {
        Planner planner = forAlgorithm(rules);
        changes.forEach(planner::add);
        return planner.finish();
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
