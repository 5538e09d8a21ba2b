package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Snapshot and restore: the same records, the same unique keys and the same next Ids, as often as needed. */
@ExtendWith(SimulatorExtension.class)
class SimulatorSnapshotTest {

    private static SaveOutcome create(SalesforceSimulator sf, String type, Map<String, String> values, Map<String, RecordInput.ParentKey> parents) {
        return sf.org().create(sf.org().unit(), type, new RecordInput(null, values, null, parents), WriteOptions.DEFAULT);
    }

    private static String account(SalesforceSimulator sf, String name, String externalId) {
        SaveOutcome o = create(sf, "Account", Map.of("Name", name, "External_Id__c", externalId), Map.of());
        assertThat(o.success()).as("%s", o.errors()).isTrue();
        return o.id();
    }

    /** Every field of these records, deleted or not, and how many live ones each object has. */
    private static Map<String, Object> state(SalesforceSimulator sf, List<String> ids) {
        Map<String, Object> state = new LinkedHashMap<>();
        for (String id : ids) {
            state.put(id, sf.org().find(id).map(r -> List.of(r.fields(), r.deleted())).orElse(null));
        }
        state.put("accounts", sf.org().count("Account"));
        state.put("contacts", sf.org().count("Contact"));
        return state;
    }

    @Test
    void restoreBringsBackEveryRecordAndTheIdSequence(SalesforceSimulator sf) {
        String acme = account(sf, "Acme", "A-1");
        String gone = account(sf, "Gone", "A-2");
        String doe = create(sf, "Contact", Map.of("LastName", "Doe"), Map.of("Account", new RecordInput.ParentKey(null, "External_Id__c", "A-1"))).id();
        sf.org().delete(sf.org().unit(), gone);
        List<String> ids = List.of(acme, gone, doe);
        Map<String, Object> before = state(sf, ids);
        SimulatedOrg.Snapshot snapshot = sf.org().snapshot();

        sf.org().update(sf.org().unit(), "Account", new RecordInput(acme, Map.of("Name", "Acme 2"), List.of("External_Id__c"), Map.of()), WriteOptions.DEFAULT);
        sf.org().delete(sf.org().unit(), doe);
        String next = account(sf, "Next", "A-3");
        assertThat(state(sf, ids)).isNotEqualTo(before);

        sf.org().restore(snapshot);
        assertThat(state(sf, ids)).isEqualTo(before);
        assertThat(sf.org().find(next)).isEmpty();
        assertThat(sf.org().find(doe).orElseThrow().get("AccountId")).isEqualTo(acme);
        assertThat(sf.org().findByExternalId("Account", "External_Id__c", "A-1").orElseThrow().id()).as("unique keys indexed again").isEqualTo(acme);
        assertThat(create(sf, "Account", Map.of("Name", "Twin", "External_Id__c", "A-1"), Map.of()).errors().get(0).statusCode()).isEqualTo("DUPLICATE_VALUE");
        assertThat(account(sf, "Next", "A-3")).as("the Id sequence where it stood").isEqualTo(next);

        sf.org().restore(snapshot);
        assertThat(state(sf, ids)).as("a snapshot restores as often as needed").isEqualTo(before);
        assertThat(sf.org().find(next)).isEmpty();
    }
}
