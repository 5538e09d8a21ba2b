package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.config.Mapping;
import io.pgforce.testing.TestMappings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one query a load and a poll both are. */
class ReadQueryTest {

    @TempDir
    Path dir;

    private Mapping contact() {
        return TestMappings.fromYaml(dir, """
                mappings:
                  - object: Contact
                    access: read_only
                    fields: {LastName: varchar(80), External_Id__c: varchar(255)}
                    relationships: [{name: Account, object: Account, external_id: External_Id__c}]
                """).mappings().get(0);
    }

    @Test
    void aFullLoadReadsEveryRecordInStampOrder() {
        assertThat(ReadQuery.soql(contact(), null, Duration.ofMinutes(2))).isEqualTo(
                "SELECT Id, IsDeleted, SystemModstamp, CreatedDate, LastName, External_Id__c, Account.External_Id__c FROM Contact ORDER BY SystemModstamp, Id");
    }

    @Test
    void aWriteOnlyFieldIsNotQueriedAndAReadOnlyOneIs() {
        Mapping account = TestMappings.fromYaml(dir, """
                mappings:
                  - object: Account
                    fields: {Name: varchar(80), Phone: {type: varchar(40), direction: write_only}, Website: {type: varchar(255), direction: read_only}}
                """).mappings().get(0);

        assertThat(ReadQuery.soql(account, null, Duration.ofMinutes(2))).isEqualTo(
                "SELECT Id, IsDeleted, SystemModstamp, CreatedDate, Name, Website FROM Account ORDER BY SystemModstamp, Id");
    }

    @Test
    void aPollReadsFromTheWatermarkLessTheOverlapInWholeSeconds() {
        Instant watermark = Instant.parse("2024-03-01T10:00:00.750Z");

        assertThat(ReadQuery.soql(contact(), watermark, Duration.ofMinutes(2))).endsWith(
                " FROM Contact WHERE SystemModstamp >= 2024-03-01T09:58:00Z ORDER BY SystemModstamp, Id");
        assertThat(ReadQuery.soql(contact(), watermark, Duration.ZERO)).contains("WHERE SystemModstamp >= 2024-03-01T10:00:00Z ");
    }

    @Test
    void aBulkLoadReadsTheSameFieldsOfEveryRecordInNoOrderAfterACount() {
        assertThat(ReadQuery.bulkSoql(contact())).isEqualTo(
                "SELECT Id, IsDeleted, SystemModstamp, CreatedDate, LastName, External_Id__c, Account.External_Id__c FROM Contact");
        assertThat(ReadQuery.countSoql(contact())).isEqualTo("SELECT COUNT() FROM Contact");
    }
}
