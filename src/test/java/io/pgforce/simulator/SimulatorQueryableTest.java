package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.Simulators;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An object the integration user may not query ({@code queryable: false} in the org's schema):
 * its describe says so, and a query of it is refused as Salesforce refuses it.
 */
class SimulatorQueryableTest {

    private static final String ORG = """
            objects:
              - name: Secret__c
                keyPrefix: "a01"
                queryable: false
                fields:
                  - {name: Name, type: string, length: 80}
              - name: Open__c
                keyPrefix: "a02"
                fields:
                  - {name: Name, type: string, length: 80}
            """;

    @Test
    void anObjectTheUserCannotQueryIsDescribedSoAndItsQueriesAreRefused(@TempDir Path dir) throws Exception {
        Path schema = Files.writeString(dir.resolve("org.yaml"), ORG);
        try (SalesforceSimulator sf = Simulators.forTest().schema(schema).build().start()) {
            RestTestClient rest = RestTestClient.login(sf);

            assertThat(RestTestClient.json(rest.get("/services/data/v62.0/sobjects/Secret__c/describe")).path("queryable").asBoolean(true)).isFalse();
            assertThat(RestTestClient.json(rest.get("/services/data/v62.0/sobjects/Open__c/describe")).path("queryable").asBoolean(false)).isTrue();

            HttpResponse<String> refused = rest.query("queryAll", "SELECT Id, Name FROM Secret__c");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(RestTestClient.json(refused).get(0).path("errorCode").asText()).isEqualTo("INVALID_TYPE");
            assertThat(rest.query("queryAll", "SELECT Id, Name FROM Open__c").statusCode()).isEqualTo(200);
        }
    }
}
