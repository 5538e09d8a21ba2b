package io.pgforce.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.config.MappingLoader;
import io.pgforce.config.MappingSet;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An import that is applied writes the configured mapping file (a copy of the test mapping here)
 * in its own format, keeping the previous content as {@code .bak}. No token is configured: the
 * test profile, like the demo run, lets calls in without one.
 */
@QuarkusTest
@TestProfile(AdminApiImportTest.CopiedMappingFile.class)
@EndToEnd
class AdminApiImportTest extends ImportTestBase {

    static final Path SOURCE = Path.of("src/test/resources/mappings/test.yaml");
    static final Path FILE = Path.of("target/admin-api-import/mappings.yaml");
    static final MappingFileCopy MAPPING = new MappingFileCopy(SOURCE, FILE);

    /** The running mapping file is a copy, which the test may overwrite; no admin token. */
    public static class CopiedMappingFile extends MappingFileCopy.Profile {
        public CopiedMappingFile() {
            super(MAPPING);
        }
    }

    @Override
    MappingFileCopy mapping() {
        return MAPPING;
    }

    @Test
    void anAppliedImportReplacesTheMappingFileAsYamlKeepingTheOldOneAndTheTypesOfMappedFields() throws Exception {
        String example = Files.readString(Path.of("src/test/resources/mappings/heroku-connect-export.json"));

        JsonNode applied = api.post("/api/import", example).ok();

        assertThat(applied.path("valid").asBoolean()).isTrue();
        assertThat(applied.path("applied").asBoolean()).isTrue();
        assertThat(applied.path("restartRequired").asBoolean()).isTrue();
        assertThat(Files.readString(Path.of(FILE + ".bak"))).isEqualTo(Files.readString(SOURCE));
        MappingSet written = MappingLoader.load(FILE);
        assertThat(written.mappings()).extracting(m -> m.object()).containsExactly("Account", "Contact", "Product2");
        assertThat(written.byObject("Account").orElseThrow().field("NumberOfEmployees").orElseThrow().type().sql())
                .as("the running type, not the export's guess").isEqualTo("double precision");
        assertThat(written.byObject("Product2").orElseThrow().field("ProductCode").orElseThrow().type().sql()).isEqualTo("varchar(255)");
        assertThat(written.byObject("Contact").orElseThrow().relationships()).extracting(r -> r.column()).containsExactly("account__r__external_id__c");
        assertThat(written.connection().assignmentRules()).isEmpty();
        assertThat(written.connection().apiVersion()).isEqualTo("62.0");
    }

    /**
     * An export names no types: its fields get the columns the original gives their Salesforce
     * types, from the org's describe. What is written is the mapping the read test runs on
     * (ReadOnlyExportTest), so that an imported export of read-only mappings fills its tables.
     */
    @Test
    void aReadOnlyExportImportsWithTheOriginalsColumnTypes() throws Exception {
        String export = Files.readString(Path.of("src/test/resources/mappings/heroku-connect-read-only-export.json"));

        JsonNode applied = api.post("/api/import", export).ok();

        assertThat(applied.path("applied").asBoolean()).isTrue();
        MappingSet written = MappingLoader.load(FILE);
        assertThat(written.mappings()).allMatch(m -> !m.readWrite());
        assertThat(written.byObject("Invoice__c").orElseThrow().fields()).extracting(f -> f.name() + " " + f.type().sql())
                .containsExactly("Name varchar(80)", "Amount__c double precision", "Paid__c boolean", "Due_Date__c date", "Issued_At__c timestamp",
                        "Account__c varchar(18)");
        assertThat(written.byObject("Opportunity").orElseThrow().fields()).extracting(f -> f.name() + " " + f.type().sql())
                .containsExactly("Name varchar(120)", "StageName varchar(255)", "CloseDate date", "Amount double precision",
                        "Probability double precision", "AccountId varchar(18)");
        assertThat(Files.readString(FILE)).as("the mapping ReadOnlyExportTest reads with")
                .isEqualTo(Files.readString(Path.of("src/test/resources/mappings/heroku-connect-read-only-import.yaml")));
    }

    @Test
    void anInvalidImportWritesNothing() throws Exception {
        String error = api.post("/api/import", "{\"version\": 2, \"mappings\": [{\"object_name\": \"Account\"}]}").error(400);

        assertThat(error).startsWith("Invalid mapping configuration in import.json: unsupported mapping export 'version' 2");
        MAPPING.assertUntouched();
    }

    /** The example export with Contact's fields, and upsert field, replaced. */
    private static String exportWithContact(String fields, String upsertField) {
        return """
                {"version": 1, "connection": {"name": "app:DATABASE_URL:salesforce", "api_version": "62.0"},
                 "mappings": [{"object_name": "Contact", "config": {"access": "read_write", "upsert_field": "%s",
                               "fields": {"Id": {}, "LastName": {}, "External_Id__c": {}, %s}}}]}
                """.formatted(upsertField, fields);
    }

    private static String yaml(String connection, String fields) {
        return "connection: {schema: " + connection + "}\nmappings:\n  - object: Contact\n    fields:\n      LastName: varchar(80)\n      " + fields + "\n";
    }

    /** What start-up would refuse, the import refuses: the same line, and the mapping file is not touched. */
    static Stream<Arguments> importsStartUpWouldRefuse() {
        return Stream.of(
                // the org's describe, as the start-up check asks it
                Arguments.of("a field the org does not have", "", exportWithContact("\"Emial__c\": {}", "External_Id__c"), 400,
                        "Invalid mapping configuration in import.json, mapping 'Contact', field 'Emial__c': the org's Contact has no field named 'Emial__c'"),
                Arguments.of("the same, as a dry run", "?dryRun=true", exportWithContact("\"Emial__c\": {}", "External_Id__c"), 400,
                        "mapping 'Contact', field 'Emial__c': the org's Contact has no field named 'Emial__c'"),
                Arguments.of("a relationship the org does not have", "", exportWithContact("\"Employer__r__Ext__c\": {}", "External_Id__c"), 400,
                        "mapping 'Contact', field 'employer__r__ext__c': the org's Contact has no relationship named 'Employer__r'"),
                Arguments.of("an upsert field that is not an External ID", "", exportWithContact("\"Email\": {}", "Email"), 400,
                        "mapping 'Contact', field 'Email': the unique identifier must be an External ID field in Salesforce"),
                Arguments.of("an object the org does not have", "?dryRun=true",
                        "{\"version\": 1, \"mappings\": [{\"object_name\": \"Contct\", \"config\": {\"access\": \"read_write\", \"fields\": {\"LastName\": {}}}}]}",
                        400, "mapping 'Contct': the org has no object named 'Contct'"),
                // what Postgres cannot create, and the file's own mistakes
                Arguments.of("numeric beyond Postgres", "?name=new.yaml", yaml("salesforce", "Amount__c: numeric(1000,2000)"), 400,
                        "Invalid mapping configuration in new.yaml, mapping 'Contact', field 'Amount__c': unsupported Postgres type 'numeric(1000,2000)'"),
                Arguments.of("a schema Postgres reserves", "?name=new.yaml", yaml("pg_catalog", "Email: varchar(80)"), 400,
                        "Invalid mapping configuration in new.yaml: schema 'pg_catalog' is reserved by Postgres"),
                Arguments.of("a field without a type", "?name=new.yaml", yaml("salesforce", "Email:"), 400,
                        "mapping 'Contact', field 'Email': no Postgres type given"),
                Arguments.of("a key twice", "?name=new.yaml", yaml("salesforce", "LastName: text"), 400,
                        "Invalid mapping configuration in new.yaml: key 'LastName' appears twice (the second at line 6"),
                Arguments.of("YAML that does not parse", "?name=new.yaml", "mappings: [object: Contact\n", 400,
                        "Invalid mapping configuration in new.yaml: cannot parse at line 2, column 1: "),
                Arguments.of("UTF-16 text", "?name=new.yaml", new String(yaml("salesforce", "Email: text").getBytes(StandardCharsets.UTF_16LE),
                        StandardCharsets.ISO_8859_1), 400, "Invalid mapping configuration in new.yaml: the file is not UTF-8 text"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("importsStartUpWouldRefuse")
    void anImportStartUpWouldRefuseIsRefusedWithItsLineAndWritesNothing(String name, String query, String body, int status, String expected)
            throws Exception {
        String error = api.post("/api/import" + query, body).error(status);

        assertThat(error).contains(expected).doesNotContain("\n").doesNotContain("Exception");
        MAPPING.assertUntouched();
    }

    @Test
    void withoutAConfiguredTokenTheTestProfileLetsCallsIn() {
        assertThat(api.get("/api/status").ok().path("schema").asText()).isEqualTo("salesforce");
        assertThat(api.withToken("anything").get("/api/mappings").ok().size()).isEqualTo(4);
    }
}
