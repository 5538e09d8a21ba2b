package io.pgforce.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.config.MappingLoader;
import io.pgforce.config.MappingSet;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An import that is applied writes the configured mapping file (a copy of the test mapping here)
 * in its own format, keeping the previous content as {@code .bak}. No token is configured: the
 * test profile, like the demo run, lets calls in without one.
 */
@QuarkusTest
@TestProfile(AdminApiImportTest.CopiedMappingFile.class)
@EndToEnd
class AdminApiImportTest {

    static final Path SOURCE = Path.of("src/test/resources/mappings/test.yaml");
    static final Path FILE = Path.of("target/admin-api-import/mappings.yaml");

    /** The running mapping file is a copy, which the test may overwrite; no admin token. */
    public static class CopiedMappingFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            copy();
            return Map.of("pgforce.mapping.file", FILE.toString(), "pgforce.admin.token", "");
        }
    }

    static void copy() {
        try {
            Files.createDirectories(FILE.getParent());
            Files.copy(SOURCE, FILE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(Path.of(FILE + ".bak"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestHTTPResource("/")
    URL root;

    ApiClient api;

    @BeforeEach
    void open() {
        copy();
        api = new ApiClient(root, null, new ArrayList<>());
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

    @Test
    void anInvalidImportWritesNothing() throws Exception {
        String before = Files.readString(FILE);

        String error = api.post("/api/import", "{\"version\": 2, \"mappings\": [{\"object_name\": \"Account\"}]}").error(400);

        assertThat(error).startsWith("Invalid mapping configuration in import.json: unsupported mapping export 'version' 2");
        assertThat(Files.readString(FILE)).isEqualTo(before);
        assertThat(Path.of(FILE + ".bak")).doesNotExist();
    }

    @Test
    void withoutAConfiguredTokenTheTestProfileLetsCallsIn() {
        assertThat(api.get("/api/status").ok().path("schema").asText()).isEqualTo("salesforce");
        assertThat(api.withToken("anything").get("/api/mappings").ok().size()).isEqualTo(4);
    }
}
