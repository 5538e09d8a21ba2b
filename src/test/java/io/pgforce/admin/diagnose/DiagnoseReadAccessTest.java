package io.pgforce.admin.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * Diagnose's read-access check of every mapping, read-only ones too: its object queryable by the
 * integration user and each field it reads (not Account's write_only Name) in the describe (test-read-access.yaml against the org
 * simulator/read-access.yaml).
 */
@QuarkusTest
@EndToEnd(mapping = "test-read-access.yaml", simulatorSchema = "read-access.yaml")
class DiagnoseReadAccessTest {

    @TestHTTPResource("/api/diagnose")
    URL endpoint;

    @Test
    void eachMappingsObjectMustBeQueryableAndItsFieldsReadable() {
        DiagnoseClient.Report report = new DiagnoseClient(endpoint).get();

        assertThat(report.status()).isEqualTo("RED");
        assertThat(report.one("Account", "read-access", "GREEN").path("message").asText()).isEqualTo("Account can be queried and its 1 mapped field(s) read");
        JsonNode secret = report.one("Secret__c", "read-access", "RED");
        assertThat(secret.path("message").asText()).isEqualTo("Secret__c is not queryable by the integration user: no read of it can run");
        assertThat(secret.path("action").asText()).contains("Read").contains("Secret__c");
        JsonNode lead = report.one("Lead", "read-access", "RED");
        assertThat(lead.path("message").asText()).isEqualTo("Lead.Nope__c: the integration user cannot read this field (the org's describe of Lead does not list it): "
                + "every read of Lead fails");
        assertThat(lead.path("action").asText()).contains("Nope__c");
    }
}
