package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.pgforce.config.Mapping;
import io.pgforce.testing.TestMappings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Bulk query job's CSV page as the records PageApply takes, converted to a mapping table's columns as a REST page's are. */
class BulkResultRecordsTest {

    @TempDir
    Path dir;

    private static final String PAGE = """
            "Id","IsDeleted","SystemModstamp","CreatedDate","LastName","Birthdate","DoNotCall","NumberOfEmployees","Account.External_Id__c"
            "003000000000001AAA","false","2024-01-31T23:59:59.000Z","2024-01-30T08:00:00.000Z","Doe, Jr","1990-01-31","true","12","A-1"
            "003000000000002AAA","true","2024-02-01T00:00:00.000Z","2024-01-30T08:00:00.000Z","","","false","",""
            """;

    private Mapping contact() {
        return TestMappings.fromYaml(dir, """
                mappings:
                  - object: Contact
                    access: read_only
                    fields: {LastName: varchar(80), Birthdate: date, DoNotCall: boolean, NumberOfEmployees: integer}
                    relationships: [{name: Account, object: Account, external_id: External_Id__c}]
                """).mappings().get(0);
    }

    private static ArrayNode records(String csv) throws Exception {
        return new BulkResultRecords().records(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachRowIsARecordAsTheRestApiWritesItAnEmptyCellNull() throws Exception {
        ArrayNode records = records(PAGE);

        assertThat(records).hasSize(2);
        assertThat(records.get(0).path("LastName").asText()).isEqualTo("Doe, Jr");
        assertThat(records.get(0).path("Account").path("External_Id__c").asText()).as("a relationship column nested as REST's").isEqualTo("A-1");
        assertThat(records.get(1).get("LastName").isNull()).isTrue();
        assertThat(records.get(1).path("Account").get("External_Id__c").isNull()).isTrue();
    }

    @Test
    void theRecordsConvertToTheTablesColumnsAsARestPagesDo() throws Exception {
        ReadColumns columns = ReadColumns.of(contact(), Map.of("sfid", "character varying(18)", "isdeleted", "boolean",
                "systemmodstamp", "timestamp without time zone", "createddate", "timestamp without time zone", "lastname", "character varying(80)",
                "birthdate", "date", "donotcall", "boolean", "numberofemployees", "integer", "account__r__external_id__c", "character varying(255)"));
        ArrayNode records = records(PAGE);

        ReadColumns.Incoming live = columns.convert(records.get(0));
        assertThat(live.sfid()).isEqualTo("003000000000001AAA");
        assertThat(live.deleted()).isFalse();
        assertThat(live.systemModstamp()).isEqualTo(Instant.parse("2024-01-31T23:59:59Z"));
        assertThat(live.values()).containsExactly("003000000000001AAA", "false", "2024-01-31T23:59:59", "2024-01-30T08:00", "Doe, Jr",
                "1990-01-31", "true", "12", "A-1");

        ReadColumns.Incoming deleted = columns.convert(records.get(1));
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.values()).containsExactly("003000000000002AAA", "true", "2024-02-01T00:00", "2024-01-30T08:00", null, null, "false", null, null);
    }
}
