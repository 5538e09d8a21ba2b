package io.pgforce.plan;

import static io.pgforce.plan.Changes.ACCOUNT;
import static io.pgforce.plan.Changes.CONTACT;
import static io.pgforce.plan.Changes.LEAD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** atomic_transactions: one graph per transaction, payloads within Salesforce's Composite Graph limits. */
class TransactionPlannerTest {

    private static final PlanRules ATOMIC = PlanRules.of(WriteAlgorithm.ORDERED, 62.0, true,
            Map.of("account", ACCOUNT, "contact", CONTACT, "lead", LEAD), 1, Ordering.LOG, true);

    private static List<Long> logIds(WriteBatch b) {
        return b.items().stream().map(WriteItem::logId).toList();
    }

    @Test
    void eachTransactionIsOneGraphInItsOwnOrderAndManyGoInOnePayload() {
        Changes c = new Changes().transaction(10).insert(ACCOUNT, 1, "name", "A")
                .transaction(11).insert(ACCOUNT, 2, "name", "B")
                .transaction(10).insert(CONTACT, 1, "account__r__external_id__c", "Account-1")
                .insert(CONTACT, 2, "account__r__external_id__c", "Account-1")
                .transaction(11).insert(CONTACT, 3, "account__r__external_id__c", "Account-2");
        WritePlan plan = Planner.plan(ATOMIC, c.list());
        assertThat(plan.batches()).singleElement().satisfies(b -> {
            assertThat(b.api()).isEqualTo(Api.GRAPH);
            assertThat(logIds(b)).containsExactly(1L, 3L, 4L, 2L, 5L);
            assertThat(b.graphs()).containsEntry(1L, "t10").containsEntry(4L, "t10").containsEntry(2L, "t11").containsEntry(5L, "t11");
            assertThat(b.items()).extracting(WriteItem::operation).containsOnly(Operation.UPSERT);
        });
    }

    @Test
    void aTransactionOverFiveHundredChangesIsSplitAndPayloadsKeepTheLimits() {
        Changes big = new Changes().transaction(7);
        for (int i = 1; i <= 501; i++) {
            big.insert(LEAD, i, "name", "n" + i);
        }
        WritePlan plan = Planner.plan(ATOMIC, big.list());
        assertThat(plan.batches()).hasSize(2);
        assertThat(plan.batches().get(0).items()).hasSize(500);
        assertThat(plan.batches().get(0).graphs().values()).containsOnly("t7-1");
        assertThat(plan.batches().get(1).graphs().values()).containsOnly("t7-2");

        Changes many = new Changes();
        for (int i = 1; i <= 76; i++) {
            many.insert(LEAD, i, "name", "n" + i);
        }
        assertThat(Planner.plan(ATOMIC, many.list()).batches()).extracting(b -> b.items().size()).containsExactly(75, 1);
    }

    @Test
    void aRecordTwoTransactionsChangeGoesInSeparatePayloads() {
        Changes c = new Changes().transaction(1).insert(ACCOUNT, 1, "name", "A").update(ACCOUNT, 1, null, "name", "A2")
                .transaction(2).update(ACCOUNT, 1, null, "name", "A3")
                .transaction(3).insert(ACCOUNT, 2, "name", "B");
        WritePlan plan = Planner.plan(ATOMIC, c.list());
        assertThat(plan.batches()).extracting(TransactionPlannerTest::logIds).containsExactly(List.of(1L, 2L), List.of(3L, 4L));
    }
}
