package io.pgforce.plan;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The Camel face of a write algorithm: used as the aggregation strategy of a Splitter over a
 * cycle's changes, it feeds each change to a planner held in the aggregated exchange and, when the
 * split completes, replaces the body with the finished {@link WritePlan}.
 */
abstract class PlanningAggregationStrategy implements AggregationStrategy {

    private final PlanRules rules;

    PlanningAggregationStrategy(PlanRules rules) {
        this.rules = rules;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Change change = newExchange.getMessage().getBody(Change.class);
        if (change == null) {
            throw new IllegalArgumentException("The write algorithm aggregates Changes, not " + newExchange.getMessage().getBody());
        }
        if (oldExchange == null) {
            Planner planner = Planner.forAlgorithm(rules);
            planner.add(change);
            newExchange.getMessage().setBody(planner);
            return newExchange;
        }
        oldExchange.getMessage().getBody(Planner.class).add(change);
        return oldExchange;
    }

    @Override
    public void onCompletion(Exchange exchange) {
        if (exchange != null && exchange.getMessage().getBody() instanceof Planner planner) {
            exchange.getMessage().setBody(planner.finish());
        }
    }
}
