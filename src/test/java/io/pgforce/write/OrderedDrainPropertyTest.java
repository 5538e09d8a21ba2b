package io.pgforce.write;

import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.RandomWorkload;
import io.pgforce.testing.WriteTestSupport;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Property: under Ordered Writes, whatever the applications write, Salesforce ends up equal to Postgres. */
@QuarkusTest
@EndToEnd
class OrderedDrainPropertyTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void salesforceEqualsPostgresAfterTheDrain(long seed) {
        try (WriteTestSupport t = new WriteTestSupport()) {
            RandomWorkload workload = new RandomWorkload(t, seed);
            workload.run(60);
            workload.assertSalesforceMatchesPostgres();
        }
    }
}
