package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records put straight into a simulated org, for tests that read them back through an API. */
final class TestRecords {

    private TestRecords() {
    }

    /** {@code count} Accounts named "Account 00001"... with external IDs "A-00001"..., in one transaction; their Ids in that order. */
    static List<String> accounts(SalesforceSimulator sf, int count) {
        SimulatedOrg.Unit unit = sf.org().unit();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String n = String.format("%05d", i);
            SaveOutcome o = sf.org().create(unit, "Account", new RecordInput(null, Map.of("Name", "Account " + n, "External_Id__c", "A-" + n), null, null),
                    WriteOptions.DEFAULT);
            assertThat(o.success()).as("%s", o.errors()).isTrue();
            ids.add(o.id());
        }
        return ids;
    }

    static String account(SalesforceSimulator sf, String name) {
        SaveOutcome o = sf.org().create(sf.org().unit(), "Account", new RecordInput(null, Map.of("Name", name), null, null), WriteOptions.DEFAULT);
        assertThat(o.success()).as("%s", o.errors()).isTrue();
        return o.id();
    }

    static void delete(SalesforceSimulator sf, String id) {
        assertThat(sf.org().delete(sf.org().unit(), id).success()).isTrue();
    }
}
