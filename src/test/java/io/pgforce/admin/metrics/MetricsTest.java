package io.pgforce.admin.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /q/metrics scraped as Prometheus does, after real writes to the simulated org. */
@QuarkusTest
@EndToEnd
class MetricsTest extends EndToEndWrites {

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private String scrape() throws Exception {
        return scrape(metrics);
    }

    /** The metrics as Prometheus scrapes them. */
    static String scrape(URL metrics) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of the sample whose name and labels start as given; 0 when there is none. */
    static double sample(String text, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + "[^ ]* ([0-9.Ee+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    @Test
    void changesCallsCyclesBacklogAndLatencyAreScraped() throws Exception {
        String before = scrape();
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('M1', 'M-1'), ('M2', 'M-2'), (NULL, 'M-3')");
        await().atMost(Duration.ofSeconds(20)).until(() -> t.states("SUCCESS") == 2 && t.states("FAILED") == 1);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String after = scrape();
            assertThat(sample(after, "pgforce_changes_total{action=\"INSERT\",mapping=\"Account\",outcome=\"SUCCESS\"}")
                    - sample(before, "pgforce_changes_total{action=\"INSERT\",mapping=\"Account\",outcome=\"SUCCESS\"}")).isEqualTo(2);
            assertThat(sample(after, "pgforce_changes_total{action=\"INSERT\",mapping=\"Account\",outcome=\"FAILED\"}")
                    - sample(before, "pgforce_changes_total{action=\"INSERT\",mapping=\"Account\",outcome=\"FAILED\"}")).isEqualTo(1);
            assertThat(sample(after, "pgforce_api_calls_total{api=\"SOAP\",operation=\"upsert\",outcome=\"partial\"}")
                    - sample(before, "pgforce_api_calls_total{api=\"SOAP\",operation=\"upsert\",outcome=\"partial\"}")).isEqualTo(1);
            assertThat(sample(after, "pgforce_api_call_records_sum{api=\"SOAP\"}") - sample(before, "pgforce_api_call_records_sum{api=\"SOAP\"}"))
                    .isEqualTo(3);
            assertThat(sample(after, "pgforce_cycle_duration_seconds_count")).isGreaterThan(sample(before, "pgforce_cycle_duration_seconds_count"));
            assertThat(sample(after, "pgforce_commit_to_salesforce_seconds_count")
                    - sample(before, "pgforce_commit_to_salesforce_seconds_count")).isEqualTo(2);
            assertThat(after).contains("pgforce_commit_to_salesforce_seconds_bucket{le=");
            assertThat(after).contains("pgforce_oldest_change_age_seconds ");
            assertThat(sample(after, "pgforce_backlog{mapping=\"Account\",state=\"FAILED\"}")).isEqualTo(1);
            assertThat(sample(after, "pgforce_backlog{mapping=\"Account\",state=\"NEW\"}")).isZero();
            assertThat(after).as("Camel's own route metrics").contains("camel_exchanges_total");
        });
    }
}
