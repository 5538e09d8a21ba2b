package io.pgforce.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.read.EndToEndReads;
import io.pgforce.read.ReadTestProfile;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code pgforce mappings} with each mapping's read, and {@code pgforce reload MAPPING}, against the application reading the simulated org. */
@QuarkusTest
@EndToEnd(mapping = "test-read.yaml")
@TestProfile(ReadTestProfile.class)
class ReadCliTest extends EndToEndReads {

    @TestHTTPResource("/")
    URL root;

    private PgforceCliTest.Run cli(String... args) {
        return PgforceCliTest.against(root, args);
    }

    @Test
    void mappingsListsEachMappingsAccessReadPhaseAndLag() throws Exception {
        r.create("Account", Map.of("Name", "Acme", "External_Id__c", "L-1"));
        r.resumedAndSynced("account", "contact");

        PgforceCliTest.Run mappings = cli("mappings");
        assertThat(mappings.code()).as(mappings.err()).isZero();
        assertThat(mappings.out()).startsWith("OBJECT ").contains(" READ ").contains(" LAG")
                .containsPattern("Account +account +read_write +7 +External_Id__c +0 +0 +0 +SYNCED +\\d+ s")
                .as("no record read: no lag").containsPattern("Contact +contact +read_only +4 +- +0 +0 +0 +SYNCED +-");
    }

    @Test
    void reloadAsksForALoadAndAnUnknownMappingIsOneLineAndExit1() throws Exception {
        r.resumedAndSynced("account");

        PgforceCliTest.Run reload = cli("reload", "Account");
        assertThat(reload.code()).as(reload.err()).isZero();
        assertThat(reload.out()).isEqualTo("Account (table account) loads again from nothing at its next read" + System.lineSeparator());
        await().atMost(WITHIN).until(() -> r.control.count("SELECT count(*) FROM salesforce._pgforce_read_state WHERE table_name = 'account' "
                + "AND phase = 'SYNCED' AND NOT reload_requested AND load_api_calls = 2") == 1); // the count and one page

        PgforceCliTest.Run unknown = cli("reload", "Nope__c");
        assertThat(unknown.code()).isEqualTo(PgforceCli.FAILED);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).isEqualTo("pgforce: no mapping 'Nope__c' (give its object or table name)" + System.lineSeparator());

        PgforceCliTest.Run missing = cli("reload");
        assertThat(missing.code()).isEqualTo(PgforceCli.USAGE);
        assertThat(missing.err().lines().count()).isEqualTo(1);
        assertThat(missing.err()).contains("MAPPING");
    }
}
