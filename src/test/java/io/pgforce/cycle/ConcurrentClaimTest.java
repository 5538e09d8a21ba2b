package io.pgforce.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.PostgresTestResource;
import io.pgforce.testing.UserSession;
import io.pgforce.triggerlog.ClaimedChange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/** Four claimers racing through the real claim route in batches of 100 never take a row twice. */
@QuarkusTest
@EndToEnd
@TestProfile(ConcurrentClaimTest.SmallBatches.class)
class ConcurrentClaimTest {

    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgforce.poll.batch-size", "100");
        }
    }

    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate producer;

    @Test
    @SuppressWarnings("unchecked")
    void concurrentClaimersNeverClaimTheSameRow() throws Exception {
        camel.getRouteController().stopRoute("pgforce-cycle");
        try (UserSession user = PostgresTestResource.userSession()) {
            user.update("INSERT INTO salesforce.account (name) SELECT 'n' || g FROM generate_series(1, 5000) g");
            Map<Long, String> claimedBy = new ConcurrentHashMap<>();
            List<String> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> claimers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "claimer-" + i;
                claimers.add(pool.submit(() -> {
                    int batches = 0;
                    List<ClaimedChange> rows;
                    while (!(rows = producer.requestBody("direct:pgforce-claim", null, List.class)).isEmpty()) {
                        batches++;
                        assertThat(rows).hasSizeLessThanOrEqualTo(100);
                        for (ClaimedChange row : rows) {
                            String earlier = claimedBy.putIfAbsent(row.id(), name);
                            if (earlier != null) {
                                duplicates.add(row.id() + " by " + earlier + " and " + name);
                            }
                        }
                    }
                    return batches;
                }));
            }
            int batches = 0;
            for (Future<Integer> f : claimers) {
                batches += f.get();
            }
            pool.shutdown();

            assertThat(duplicates).isEmpty();
            assertThat(claimedBy).hasSize(5000);
            assertThat(batches).isGreaterThanOrEqualTo(50);
            assertThat(new java.util.HashSet<>(claimedBy.values())).as("the claimers really raced").hasSizeGreaterThan(1);
            assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE state = 'PENDING'")).isEqualTo(5000);
        } finally {
            camel.getRouteController().startRoute("pgforce-cycle");
        }
    }
}
