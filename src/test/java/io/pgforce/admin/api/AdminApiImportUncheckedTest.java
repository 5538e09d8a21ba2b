package io.pgforce.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An import that cannot be checked as start-up would check it is not called valid, and writes
 * nothing: the org refuses the credentials, so its describe cannot be asked; or the running
 * mapping file is an export JSON, which cannot hold a posted YAML file.
 */
@QuarkusTest
@TestProfile(AdminApiImportUncheckedTest.CopiedExportFile.class)
@EndToEnd(refuseLogins = true)
class AdminApiImportUncheckedTest extends ImportTestBase {

    static final MappingFileCopy MAPPING = new MappingFileCopy(Path.of("src/test/resources/mappings/heroku-connect-export.json"),
            Path.of("target/admin-api-import-unchecked/mappings.json"));

    /** The running mapping file is a copy of the example export; no admin token. */
    public static class CopiedExportFile extends MappingFileCopy.Profile {
        public CopiedExportFile() {
            super(MAPPING);
        }
    }

    @Override
    MappingFileCopy mapping() {
        return MAPPING;
    }

    @Test
    void anOrgThatCannotBeAskedLeavesTheImportUncheckedSoItIsRefused() throws Exception {
        String error = api.post("/api/import?dryRun=true", Files.readString(MAPPING.source())).error(503);

        assertThat(error).startsWith("cannot check the mappings against the org's describe, as start-up does: ").contains("nothing was written");
        MAPPING.assertUntouched();
    }

    @Test
    void aYamlFileForAnExportJsonMappingFileIsRefused() throws Exception {
        String error = api.post("/api/import?name=new.yaml", "mappings:\n  - object: Account\n    fields: {Name: varchar(255)}\n").error(400);

        assertThat(error).isEqualTo("name: the mapping file " + MAPPING.file() + " is an export JSON: post an export JSON (a name ending in .json), not YAML");
        MAPPING.assertUntouched();
    }
}
