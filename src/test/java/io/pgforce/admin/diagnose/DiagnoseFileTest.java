package io.pgforce.admin.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.config.MappingLoader;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.PostgresTestResource;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.UserSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Diagnose of a mapping file before it is used: it loads or says why not, and changes nothing. */
@QuarkusTest
@EndToEnd
class DiagnoseFileTest {

    /** Everything a DDL statement could change in the application's database. */
    private static final String CATALOG = """
            SELECT string_agg(x, E'\\n' ORDER BY x) FROM (
              SELECT 'schema ' || nspname::text AS x FROM pg_namespace
              UNION ALL SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg_%'
              UNION ALL SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname NOT LIKE 'pg_%' AND n.nspname <> 'information_schema' AND a.attnum > 0 AND NOT a.attisdropped
              UNION ALL SELECT 'trigger ' || t.tgname || ' ' || pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE NOT t.tgisinternal
              UNION ALL SELECT 'function ' || n.nspname || '.' || p.proname || ' ' || md5(p.prosrc)
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT LIKE 'pg_%' AND n.nspname <> 'information_schema'
              UNION ALL SELECT 'comment ' || d.objoid || ' ' || d.description FROM pg_description d WHERE d.objoid >= 16384
            ) AS catalog""";

    @TestHTTPResource("/api/diagnose")
    URL endpoint;

    DiagnoseClient diagnose;
    UserSession db;

    @BeforeEach
    void open() {
        diagnose = new DiagnoseClient(endpoint);
        db = PostgresTestResource.userSession();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private String catalog() {
        return (String) db.scalar(CATALOG);
    }

    @Test
    void aColumnTypePostgresCannotCreateIsRedNotYellow() {
        DiagnoseClient.Report report = diagnose.post("numeric.yaml", """
                connection: {schema: diag_numeric}
                mappings:
                  - object: Account
                    fields: {Name: varchar(255), NumberOfEmployees: "numeric(0,0)"}
                """);

        JsonNode check = report.one("Account", "mapping-file", "RED");
        assertThat(check.path("message").asText()).contains("numeric.yaml", "NumberOfEmployees", "unsupported Postgres type 'numeric(0,0)'");
        assertThat(report.status()).isEqualTo("RED");
    }

    @Test
    void aFileThatDoesNotLoadIsOneRedCheckNamingFileMappingAndFieldAndChangesNothing() {
        String before = catalog();

        DiagnoseClient.Report report = diagnose.post("broken.yaml", """
                connection: {schema: diag_broken}
                mappings:
                  - object: Account
                    fields: {Name: varchar(255), NumberOfEmployees: float128}
                """);

        JsonNode check = report.one("Account", "mapping-file", "RED");
        assertThat(check.path("message").asText()).contains("broken.yaml", "Account", "NumberOfEmployees", "float128");
        assertThat(check.path("action").asText()).isNotBlank();
        assertThat(report.json().path("checks")).hasSize(1);
        assertThat(report.status()).isEqualTo("RED");
        assertThat(catalog()).isEqualTo(before);
    }

    @Test
    void aFileThatIsNotAMappingDocumentIsRedForTheConnection() {
        DiagnoseClient.Report report = diagnose.post("notes.yaml", "- just\n- a list\n");

        assertThat(report.one("connection", "mapping-file", "RED").path("message").asText()).contains("notes.yaml");
    }

    @Test
    void aValidFileForANewSchemaAndObjectIsDiagnosedWithoutAnyDdl() {
        String before = catalog();

        DiagnoseClient.Report report = diagnose.post("preview.yaml", """
                connection: {schema: diag_preview}
                mappings:
                  - object: Opportunity
                    unique_identifier: External_Id__c
                    fields:
                      Name: varchar(120)
                      StageName: varchar(255)
                      CloseDate: date
                      Amount: numeric(18,2)
                      External_Id__c: varchar(255)
                """);

        assertThat(report.one("connection", "mapping-file", "GREEN").path("message").asText()).contains("preview.yaml");
        assertThat(report.one("Opportunity", "table", "GREEN").path("message").asText()).contains("diag_preview.opportunity");
        assertThat(catalog()).isEqualTo(before).doesNotContain("diag_preview");
    }

    @Test
    void theOriginalsExportJsonIsReadAsItIs() throws IOException {
        DiagnoseClient.Report report = diagnose.post("heroku-connect-export.json",
                Files.readString(Path.of("src/test/resources/mappings/heroku-connect-export.json")));

        report.one("connection", "mapping-file", "GREEN");
        report.one("Account", "unique-identifier", "GREEN");
    }

    @Test
    void theDemoMappingIsGreenAndItsInstallerCreatesAnIntegerColumn() throws IOException {
        String demo = Files.readString(Path.of("mappings/demo.yaml"));

        // another schema: the test database's salesforce.account was laid out by the test mapping
        DiagnoseClient.Report report = diagnose.post("demo.yaml", demo.replace("schema: salesforce", "schema: diag_demo"));

        assertThat(report.json().path("checks").findValuesAsText("status")).as(report.json().toPrettyString()).containsOnly("GREEN");
        assertThat(report.status()).isEqualTo("GREEN");

        TestDatabase fresh = TestDatabase.create("demo");
        SchemaInstaller.install(fresh.engineDataSource(), MappingLoader.load(Path.of("mappings/demo.yaml")), Duration.ofMillis(50));
        try (UserSession demoDb = fresh.userSession()) {
            assertThat(demoDb.scalar("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'salesforce.account'::regclass"
                    + " AND attname = 'numberofemployees'")).isEqualTo("integer");
        }
    }
}
