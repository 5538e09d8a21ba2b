package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A read Salesforce refuses puts its mapping in ERROR, with the reason; the other mappings go on. */
@QuarkusTest
@EndToEnd(mapping = "test-read-errors.yaml")
@TestProfile(ReadTestProfile.class)
class ReadErrorsTest extends EndToEndReads {

    @Test
    void aMappingSalesforceRefusesIsInErrorAndTheOthersGoOn() throws Exception {
        // the simulator checks a query's fields as it writes the records out: a Lead to write
        r.create("Lead", Map.of("LastName", "Doe", "Company", "Initech"));
        r.resume();
        String id = r.create("Account", Map.of("Name", "Acme", "External_Id__c", "E-1"));

        await().atMost(Duration.ofSeconds(60)).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid = ?", id) == 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> "ERROR".equals(r.state("lead").get("phase")));
        assertThat((String) r.state("lead").get("last_error")).contains("Nope__c").doesNotContain("\n");
        assertThat(r.state("account")).containsEntry("phase", "SYNCED").containsEntry("last_error", null);
    }
}
