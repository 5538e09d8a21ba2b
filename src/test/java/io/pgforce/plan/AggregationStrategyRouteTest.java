package io.pgforce.plan;

import static io.pgforce.plan.Changes.ACCOUNT;
import static io.pgforce.plan.Changes.rules;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The strategies in a real Camel Splitter: the split's result is the finished plan. */
class AggregationStrategyRouteTest {

    private static WritePlan planThroughSplitter(org.apache.camel.AggregationStrategy strategy, List<Change> changes) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:plan").split(body(), strategy).to("log:plan?level=TRACE").end();
                }
            });
            camel.start();
            return camel.createProducerTemplate().requestBody("direct:plan", changes, WritePlan.class);
        }
    }

    @Test
    void orderedStrategyTurnsASplitIntoAPlan() throws Exception {
        List<Change> changes = new Changes().update(ACCOUNT, 1, Changes.sfid(1), "name", "Nathaniel").update(ACCOUNT, 1, Changes.sfid(1), "name", "Nate").list();
        WritePlan plan = planThroughSplitter(new OrderedWritesAggregationStrategy(rules(WriteAlgorithm.ORDERED, ACCOUNT)), changes);
        assertThat(plan.batches()).hasSize(2);
    }

    @Test
    void mergedStrategyTurnsASplitIntoAPlan() throws Exception {
        List<Change> changes = new Changes().update(ACCOUNT, 1, Changes.sfid(1), "name", "Nathaniel").update(ACCOUNT, 1, Changes.sfid(1), "name", "Nate").list();
        WritePlan plan = planThroughSplitter(new MergedWritesAggregationStrategy(rules(WriteAlgorithm.ORDERED, ACCOUNT)), changes);
        assertThat(plan.batches()).singleElement().satisfies(b -> assertThat(b.items().get(0).values()).containsEntry("name", "Nate"));
    }
}
