package io.pgforce.plan;

/** Ordered Writes as a Camel aggregation strategy (see {@link OrderedPlanner}). */
public final class OrderedWritesAggregationStrategy extends PlanningAggregationStrategy {

    public OrderedWritesAggregationStrategy(PlanRules rules) {
        super(rules.withAlgorithm(WriteAlgorithm.ORDERED));
    }
}
