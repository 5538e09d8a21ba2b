package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.database.DataSources;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.PostgresTestResource;
import io.pgforce.testing.SalesforceTestResource;
import io.pgforce.testing.UserSession;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The original writes on exactly one database connection whatever the number of mappings; so
 * does pgforce, plus the listener's: twenty mappings written at once, four lanes, and
 * pg_stat_activity never shows more than one writer and one listener.
 */
@QuarkusTest
@EndToEnd(mapping = "test-twenty.yaml", simulatorSchema = "twenty-objects.yaml")
class ConnectionBudgetTest {

    @Test
    void twentyMappingsAreWrittenOnOneConnectionPlusTheListeners() {
        try (UserSession app = PostgresTestResource.userSession(); UserSession watcher = PostgresTestResource.userSession()) {
            SalesforceTestResource.simulator().faults().latency(20, 0); // calls in flight while the sessions are counted
            for (int i = 1; i <= 20; i++) {
                app.update(String.format("INSERT INTO salesforce.item%02d__c (name, external_id__c) SELECT 'Item ' || g, 'I%02d-' || g "
                        + "FROM generate_series(1, 700) g", i, i));
            }
            Map<String, Long> most = new HashMap<>();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
                for (Map<String, Object> row : watcher.query("SELECT application_name AS name, count(*) AS n FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND application_name LIKE 'pgforce-%' GROUP BY application_name")) {
                    most.merge((String) row.get("name"), ((Number) row.get("n")).longValue(), Math::max);
                }
                return app.count("SELECT count(*) FROM salesforce._trigger_log WHERE state <> 'SUCCESS'") == 0;
            });
            assertThat(app.count("SELECT count(*) FROM salesforce._trigger_log WHERE state = 'SUCCESS'")).isEqualTo(14_000);
            assertThat(most.get(DataSources.WRITER)).as("writing connections while 20 mappings were written").isEqualTo(1);
            assertThat(most.get(DataSources.LISTENER)).as("listening connections").isEqualTo(1);
        } finally {
            SalesforceTestResource.simulator().faults().latency(0, 0);
        }
    }
}
