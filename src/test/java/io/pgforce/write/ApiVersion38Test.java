package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.WriteTestSupport;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Bulk API needs API version 39 or later: on 38 even a long run goes over SOAP. */
@QuarkusTest
@EndToEnd(mapping = "test-api38.yaml")
class ApiVersion38Test {

    @Test
    void apiVersion38MeansSoap() {
        try (WriteTestSupport t = new WriteTestSupport()) {
            t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Account ' || g, 'A-' || g FROM generate_series(1, 2500) g");
            t.drained(Duration.ofSeconds(60));

            assertThat(t.states("SUCCESS")).isEqualTo(2500);
            assertThat(t.calls("BULK", "createJob")).isEmpty();
            assertThat(t.calls("SOAP", "upsert")).hasSize(13);
        }
    }
}
