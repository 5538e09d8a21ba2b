package io.pgforce.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.config.MappingSet;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteItem;
import io.pgforce.testing.TestMappings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Columns become the record Salesforce receives; what the operation cannot write is never sent. */
class RecordMapperTest {

    @TempDir
    Path dir;

    private RecordMapper mapper() {
        MappingSet mappings = TestMappings.fromYaml(dir, """
                mappings:
                  - object: Account
                    unique_identifier: External_Id__c
                    fields: {Name: text, Source__c: text, Ext_Date__c: timestamp, External_Id__c: text, Rating__c: {type: text, direction: read_only}}
                  - object: Contact
                    fields: {LastName: text}
                    relationships: [{name: Account, external_id: External_Id__c}]
                """);
        Map<String, ObjectInfo> described = new java.util.HashMap<>();
        for (ObjectInfo o : List.of(
                new ObjectInfo("Account", List.of(
                        new FieldInfo("Name", "string", true, true, false, List.of(), null),
                        new FieldInfo("Source__c", "string", true, false, false, List.of(), null),
                        new FieldInfo("Ext_Date__c", "datetime", true, true, false, List.of(), null),
                        new FieldInfo("External_Id__c", "string", true, true, true, List.of(), null),
                        new FieldInfo("Rating__c", "string", true, true, false, List.of(), null))),
                new ObjectInfo("Contact", List.of(
                        new FieldInfo("LastName", "string", true, true, false, List.of(), null),
                        new FieldInfo("AccountId", "reference", true, true, false, List.of("Account"), "Account"))))) {
            described.put(o.name(), o);
        }
        return new RecordMapper(mappings, name -> java.util.Optional.ofNullable(described.get(name)));
    }

    private static Map<String, Object> values(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void anUpsertCarriesEveryCreateableFieldAndClearsNulls() {
        SObjectData d = mapper().map(new WriteItem("account", "Account", 1, Operation.UPSERT, null,
                values("name", "Acme", "source__c", "web", "ext_date__c", "2024-05-01T10:15:00", "external_id__c", "A-1"), 1, List.of()));
        assertThat(d.fields()).containsEntry("Name", "Acme").containsEntry("Source__c", "web").containsEntry("Ext_Date__c", "2024-05-01T10:15:00Z")
                .containsEntry("External_Id__c", "A-1");
        assertThat(d.id()).isNull();
    }

    @Test
    void anUpdateNeverSendsAFieldThatIsNotUpdateable() {
        SObjectData d = mapper().map(new WriteItem("account", "Account", 1, Operation.UPDATE, "001000000000001AAA",
                values("name", null, "source__c", "phone"), 2, List.of()));
        assertThat(d.fields()).isEmpty();
        assertThat(d.fieldsToNull()).containsExactly("Name");
        assertThat(d.id()).isEqualTo("001000000000001AAA");
    }

    @Test
    void aCreateOmitsNullsAndReferencesParentsByExternalId() {
        SObjectData d = mapper().map(new WriteItem("contact", "Contact", 1, Operation.CREATE, null,
                values("lastname", "Doe", "account__r__external_id__c", "A-1"), 3, List.of()));
        assertThat(d.parents()).containsExactly(new ParentReference("Account", "Account", "External_Id__c", "A-1"));
        SObjectData noParent = mapper().map(new WriteItem("contact", "Contact", 2, Operation.CREATE, null,
                values("lastname", null, "account__r__external_id__c", null), 4, List.of()));
        assertThat(noParent.fields()).isEmpty();
        assertThat(noParent.fieldsToNull()).isEmpty();
        assertThat(noParent.parents()).isEmpty();
    }

    @Test
    void aReadOnlyFieldIsNeverSentNorCleared() {
        // values a change captured before the field was made read_only still hold it
        SObjectData upsert = mapper().map(new WriteItem("account", "Account", 1, Operation.UPSERT, null,
                values("name", "Acme", "rating__c", "Hot", "external_id__c", "A-1"), 6, List.of()));
        SObjectData update = mapper().map(new WriteItem("account", "Account", 1, Operation.UPDATE, "001000000000001AAA",
                values("name", "Acme", "rating__c", null), 7, List.of()));

        assertThat(upsert.fields()).containsOnlyKeys("Name", "External_Id__c");
        assertThat(update.fields()).containsOnlyKeys("Name");
        assertThat(update.fieldsToNull()).isEmpty();
        assertThat(mapper().refusal(new WriteItem("account", "Account", 1, Operation.UPDATE, "001000000000001AAA",
                values("rating__c", "bad" + (char) 1 + "value"), 8, List.of()))).as("a value never sent cannot refuse its record").isEmpty();
    }

    @Test
    void aDeleteIsJustTheId() {
        SObjectData d = mapper().map(new WriteItem("account", "Account", 1, Operation.DELETE, "001000000000001AAA", Map.of(), 5, List.of()));
        assertThat(d.id()).isEqualTo("001000000000001AAA");
        assertThat(d.fields()).isEmpty();
    }
}
