package io.pgforce.plan;

/** Merged Writes as a Camel aggregation strategy (see {@link MergedPlanner}). */
public final class MergedWritesAggregationStrategy extends PlanningAggregationStrategy {

    public MergedWritesAggregationStrategy(PlanRules rules) {
        super(rules.withAlgorithm(WriteAlgorithm.MERGED));
    }
}
