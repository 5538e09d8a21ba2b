package io.pgforce.admin.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Diagnose's checks of a mapping against the org's describe (the simulator's default org), through POST /api/diagnose. */
@QuarkusTest
@EndToEnd
class DiagnoseFieldChecksTest {

    @TestHTTPResource("/api/diagnose")
    URL endpoint;

    DiagnoseClient diagnose;
    DiagnoseClient.Report report;

    @BeforeEach
    void diagnoseTheFile() throws IOException {
        diagnose = new DiagnoseClient(endpoint);
        report = diagnose.post("field-problems.yaml", Files.readString(Path.of("src/test/resources/diagnose/field-problems.yaml")));
    }

    @Test
    void aDoublePrecisionColumnForAnIntFieldIsRedNamingMappingFieldAndBothTypes() {
        JsonNode check = report.one("Account", "column-type", "RED");

        assertThat(check.path("message").asText()).contains("Account", "NumberOfEmployees", "double precision", "int");
        assertThat(check.path("action").asText()).contains("integer");
        assertThat(report.status()).isEqualTo("RED");
    }

    @Test
    void aVarcharLongerThanTheFieldIsYellowAndAnExactLengthIsGreen() {
        JsonNode phone = report.one("Account", "column-type", "YELLOW");

        assertThat(phone.path("message").asText()).contains("Phone", "varchar(255)", "40");
        assertThat(report.checks("Contact", "column-type")).extracting(c -> c.path("status").asText()).containsExactly("GREEN");
    }

    @Test
    void aReadOnlyFieldAndAnUnknownFieldAreRed() {
        assertThat(report.one("Account", "read-only-field", "RED").path("message").asText()).contains("LastActivityDate");
        assertThat(report.one("Account", "unknown-field", "RED").path("message").asText()).contains("Shoe_Size__c");
    }

    @Test
    void noUniqueIdentifierIsYellowAndOneThatIsNotAnExternalIdIsRed() {
        assertThat(report.one("Contact", "unique-identifier", "YELLOW").path("action").asText()).contains("External ID");
        assertThat(report.one("Opportunity", "unique-identifier", "RED").path("message").asText()).contains("Name", "External ID");
        assertThat(report.one("Account", "unique-identifier", "GREEN").path("message").asText()).contains("External_Id__c");
    }

    @Test
    void aRequiredFieldThatIsNotMappedIsRed() {
        assertThat(report.one("Contact", "required-fields", "RED").path("message").asText()).contains("LastName");
        report.all("Opportunity", "required-fields", "GREEN");
    }

    @Test
    void aRequiredFieldMappedReadOnlyIsRedSinceItIsNeverSent() {
        JsonNode check = report.one("Lead", "required-fields", "RED");

        assertThat(check.path("message").asText()).isEqualTo("Lead.Company is required in Salesforce but mapped read_only, so never sent:"
                + " every insert fails (REQUIRED_FIELD_MISSING)");
        assertThat(check.path("action").asText()).contains("Company", "direction");
    }

    @Test
    void aRetiredApiVersionIsRedADeprecatedOneYellowACurrentOneGreen() throws IOException {
        String file = Files.readString(Path.of("src/test/resources/diagnose/field-problems.yaml"));

        assertThat(diagnose.post("v30.yaml", file.replace("\"62.0\"", "\"30.0\"")).one("connection", "api-version", "RED")
                .path("message").asText()).contains("30.0");
        assertThat(diagnose.post("v38.yaml", file.replace("\"62.0\"", "\"38.0\"")).one("connection", "api-version", "YELLOW")
                .path("message").asText()).contains("38.0");
        report.one("connection", "api-version", "GREEN");
    }
}
