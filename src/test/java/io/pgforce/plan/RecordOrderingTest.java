package io.pgforce.plan;

import static io.pgforce.plan.Changes.ACCOUNT;
import static io.pgforce.plan.Changes.CONTACT;
import static io.pgforce.plan.Changes.LEAD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ordered Writes with {@code ordering: record}, rule by rule. */
class RecordOrderingTest {

    private static final String PARENT = "account__r__external_id__c";

    private static PlanRules rules(Ordering ordering, boolean bulk) {
        Map<String, ObjectRules> map = new HashMap<>();
        List.of(ACCOUNT, CONTACT, LEAD).forEach(o -> map.put(o.table(), o));
        return new PlanRules(WriteAlgorithm.ORDERED, 62.0, bulk, map, 200, 10, 2000, 10000, 39, 1, ordering, false);
    }

    /** The benchmark's W3: an account, then a contact naming it by external ID, 2,500 times. */
    private static Changes alternating(int pairs) {
        Changes c = new Changes();
        for (int i = 1; i <= pairs; i++) {
            c.insert(ACCOUNT, i, "name", "a" + i);
            c.insert(CONTACT, i, "name", "c" + i, PARENT, "Account-" + i);
        }
        return c;
    }

    private static List<Long> logIds(WriteBatch b) {
        return b.items().stream().map(WriteItem::logId).toList();
    }

    @Test
    void alternatingParentsAndChildrenPackIntoFullMessages() {
        WritePlan log = alternating(2500).plan(rules(Ordering.LOG, false));
        WritePlan record = alternating(2500).plan(rules(Ordering.RECORD, false));
        assertThat(log.batches()).hasSize(500); // a run per change, ten runs (chunks) a message
        assertThat(record.batches()).hasSize(26).allSatisfy(b -> assertThat(b.api()).isEqualTo(Api.SOAP));
        // every account goes before every contact: the first 13 messages are the accounts
        assertThat(record.batches().subList(0, 13)).allSatisfy(b -> assertThat(Batches.objects(b)).containsExactly("Account"));
        assertThat(record.batches().subList(13, 26)).allSatisfy(b -> assertThat(Batches.objects(b)).containsExactly("Contact"));
        assertThat(record.batches().get(0).items()).hasSize(200);
    }

    @Test
    void alternatingParentsAndChildrenGoToBulkWhenAllowed() {
        WritePlan record = alternating(2500).plan(rules(Ordering.RECORD, true));
        assertThat(record.batches()).extracting(WriteBatch::api).containsExactly(Api.BULK, Api.BULK);
        assertThat(Batches.objects(record.batches().get(0))).containsExactly("Account");
    }

    @Test
    void aRecordsChangesKeepTheirOrderAcrossCalls() {
        Changes c = new Changes();
        String account = "001A00000000001"; // Changes.sfid differs only past the 15 characters that name a record
        c.update(ACCOUNT, 1, account, "name", "first");
        c.update(LEAD, 7, "00QA00000000007", "name", "x");
        c.update(ACCOUNT, 1, account, "name", "second");
        c.delete(ACCOUNT, 1, account);
        WritePlan plan = c.plan(rules(Ordering.RECORD, false));
        List<Long> order = plan.batches().stream().flatMap(b -> logIds(b).stream().filter(id -> id != 2)).toList();
        assertThat(order).containsExactly(1L, 3L, 4L);
        assertThat(plan.batches()).hasSize(3);
        assertThat(plan.batches().get(0).items()).extracting(WriteItem::logId).containsExactlyInAnyOrder(1L, 2L);
        assertThat(plan.batches().get(2).operation()).isEqualTo(Operation.DELETE);
    }

    @Test
    void aChildNeverGoesBeforeOrWithTheParentItNames() {
        Changes c = new Changes();
        c.insert(CONTACT, 1, "name", "early", PARENT, "Account-1"); // names an account not yet inserted: refused in log order
        c.insert(ACCOUNT, 1, "name", "a");
        c.insert(CONTACT, 2, "name", "late", PARENT, "Account-1");
        WritePlan plan = c.plan(rules(Ordering.RECORD, false));
        assertThat(plan.batches()).extracting(RecordOrderingTest::logIds).containsExactly(List.of(1L), List.of(2L), List.of(3L));
    }

    @Test
    void aParentsDeleteWaitsForItsChildren() {
        Changes c = new Changes();
        c.update(CONTACT, 1, "003A00000000001", "name", "x");
        c.delete(ACCOUNT, 5, "001A00000000005");
        c.update(CONTACT, 2, "003A00000000002", "name", "y");
        WritePlan plan = c.plan(rules(Ordering.RECORD, false));
        assertThat(plan.batches()).extracting(RecordOrderingTest::logIds).containsExactly(List.of(1L), List.of(2L), List.of(3L));
    }

    @Test
    void logOrderStaysTheDefault() {
        assertThat(Changes.rules(WriteAlgorithm.ORDERED, ACCOUNT).ordering()).isEqualTo(Ordering.LOG);
        assertThat(alternating(100).plan(Changes.rules(WriteAlgorithm.ORDERED, ACCOUNT, CONTACT)).batches()).hasSize(20);
        assertThat(alternating(100).plan(rules(Ordering.RECORD, false)).batches()).hasSize(2);
    }
}
