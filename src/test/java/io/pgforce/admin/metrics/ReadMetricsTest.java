package io.pgforce.admin.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.read.EndToEndReads;
import io.pgforce.read.ReadTestProfile;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read side's meters in /q/metrics, scraped as Prometheus does, while the application reads the simulated org. */
@QuarkusTest
@EndToEnd(mapping = "test-read.yaml")
@TestProfile(ReadTestProfile.class)
class ReadMetricsTest extends EndToEndReads {

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    void readLagRecordsAndApiCallsPerMappingAreScraped() throws Exception {
        r.createMany("Account", List.of(Map.of("Name", "M1", "External_Id__c", "M-1"), Map.of("Name", "M2", "External_Id__c", "M-2")));
        r.resumedAndSynced("account", "contact");

        await().atMost(WITHIN).untilAsserted(() -> {
            String text = MetricsTest.scrape(metrics);
            assertThat(MetricsTest.sample(text, "pgforce_read_records_total{mapping=\"Account\",outcome=\"applied\"}")).isEqualTo(2);
            assertThat(text).contains("pgforce_read_records_total{mapping=\"Account\",outcome=\"failed\"} 0.0");
            assertThat(MetricsTest.sample(text, "pgforce_read_api_calls_total{mapping=\"Account\"}")).isGreaterThanOrEqualTo(1);
            assertThat(MetricsTest.sample(text, "pgforce_read_api_calls_total{mapping=\"Contact\"}")).isGreaterThanOrEqualTo(1);
            assertThat(MetricsTest.sample(text, "pgforce_read_lag_seconds{mapping=\"Account\"}")).isBetween(0.0, 300.0);
            assertThat(text).as("no record read, no lag").contains("pgforce_read_lag_seconds{mapping=\"Contact\"} NaN");
        });
    }
}
