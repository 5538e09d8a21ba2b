package io.pgforce.write;

import io.pgforce.config.ConnectionSettings;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.config.Relationship;
import io.pgforce.plan.MergedWritesAggregationStrategy;
import io.pgforce.plan.ObjectRules;
import io.pgforce.plan.OrderedWritesAggregationStrategy;
import io.pgforce.plan.PlanRules;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.AggregationStrategy;

/** The two write algorithms as named aggregation strategies, with rules taken from the mapping configuration. */
@ApplicationScoped
public class WriteAlgorithms {

    @Produces
    @Singleton
    PlanRules planRules(MappingSet mappings) {
        ConnectionSettings c = mappings.connection();
        Map<String, ObjectRules> objects = new HashMap<>();
        for (Mapping m : mappings.readWrite()) {
            objects.put(m.table(), new ObjectRules(m.table(), m.object(), m.uniqueIdentifierColumn(), m.uniqueIdentifier(),
                    m.relationships().stream().map(Relationship::parentObject).collect(Collectors.toSet()),
                    m.relationships().stream().map(Relationship::column).collect(Collectors.toSet())));
        }
        return PlanRules.of(c.writeAlgorithm(), c.apiVersionNumber(), c.bulkEnabled(), objects, c.writeConcurrency(), c.ordering(), c.atomicTransactions());
    }

    @Produces
    @Singleton
    @Unremovable
    @Named("orderedWritesAggregation")
    AggregationStrategy ordered(PlanRules rules) {
        return new OrderedWritesAggregationStrategy(rules);
    }

    @Produces
    @Singleton
    @Unremovable
    @Named("mergedWritesAggregation")
    AggregationStrategy merged(PlanRules rules) {
        return new MergedWritesAggregationStrategy(rules);
    }
}
