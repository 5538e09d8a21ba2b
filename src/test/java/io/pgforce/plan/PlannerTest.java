package io.pgforce.plan;

import static io.pgforce.plan.Changes.ACCOUNT;
import static io.pgforce.plan.Changes.CONTACT;
import static io.pgforce.plan.Changes.LEAD;
import static io.pgforce.plan.Changes.rules;
import static io.pgforce.plan.Changes.sfid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The write algorithms rule by rule, as the original's documentation states them. */
class PlannerTest {

    private static final PlanRules ORDERED = rules(WriteAlgorithm.ORDERED, ACCOUNT, CONTACT, LEAD);
    private static final PlanRules MERGED = rules(WriteAlgorithm.MERGED, ACCOUNT, CONTACT, LEAD);

    private static Changes inserts(ObjectRules object, int n) {
        Changes c = new Changes();
        for (int i = 1; i <= n; i++) {
            c.insert(object, i, "name", "n" + i);
        }
        return c;
    }

    private static List<Api> apis(WritePlan plan) {
        return plan.batches().stream().map(WriteBatch::api).toList();
    }

    @Test
    void contiguousInsertsBelow2000GoOverSoap() {
        WritePlan plan = inserts(ACCOUNT, 1999).plan(ORDERED);
        assertThat(apis(plan)).hasSize(10).containsOnly(Api.SOAP);
        assertThat(plan.batches()).allSatisfy(b -> assertThat(b.operation()).isEqualTo(Operation.UPSERT));
        assertThat(plan.batches().get(9).items()).hasSize(199);
    }

    @Test
    void twoThousandContiguousInsertsMakeOneBulkJob() {
        WritePlan plan = inserts(ACCOUNT, 2000).plan(ORDERED);
        assertThat(plan.batches()).singleElement().satisfies(b -> {
            assertThat(b.api()).isEqualTo(Api.BULK);
            assertThat(b.operation()).isEqualTo(Operation.UPSERT);
            assertThat(b.externalIdField()).isEqualTo("External_Id__c");
            assertThat(b.items()).hasSize(2000);
        });
    }

    @Test
    void tenThousandAndOneInsertsMakeTwoBulkJobs() {
        WritePlan plan = inserts(ACCOUNT, 10_001).plan(ORDERED);
        assertThat(plan.batches()).extracting(WriteBatch::api).containsExactly(Api.BULK, Api.BULK);
        assertThat(plan.batches()).extracting(b -> b.items().size()).containsExactly(10_000, 1);
    }

    @Test
    void mergedWritesNeverUseBulk() {
        assertThat(apis(inserts(ACCOUNT, 5000).plan(MERGED))).hasSize(25).containsOnly(Api.SOAP);
    }

    @Test
    void withoutAUniqueIdentifierEverythingGoesOverSoap() {
        WritePlan plan = inserts(LEAD, 3000).plan(ORDERED);
        assertThat(apis(plan)).containsOnly(Api.SOAP);
        assertThat(plan.batches()).allSatisfy(b -> assertThat(b.operation()).isEqualTo(Operation.CREATE));
    }

    @Test
    void apiVersion38MeansSoap() {
        PlanRules v38 = new PlanRules(WriteAlgorithm.ORDERED, 38.0, true, ORDERED.objectsByTable(), 200, 10, 2000, 10000, 39, 1, Ordering.LOG, false);
        assertThat(apis(inserts(ACCOUNT, 3000).plan(v38))).containsOnly(Api.SOAP);
    }

    @Test
    void disabledBulkMeansSoap() {
        PlanRules off = new PlanRules(WriteAlgorithm.ORDERED, 62.0, false, ORDERED.objectsByTable(), 200, 10, 2000, 10000, 39, 1, Ordering.LOG, false);
        assertThat(apis(inserts(ACCOUNT, 3000).plan(off))).containsOnly(Api.SOAP);
    }

    @Test
    void aRecordRepeatingInARunCutsTheRunForBulk() {
        Changes c = new Changes();
        for (int i = 1; i <= 1500; i++) {
            c.update(ACCOUNT, i, sfid(i), "name", "a");
        }
        for (int i = 1; i <= 1500; i++) {
            c.update(ACCOUNT, i, sfid(i), "name", "b"); // the same records again: two runs of 1500, neither reaches 2000
        }
        assertThat(apis(c.plan(ORDERED))).containsOnly(Api.SOAP);
    }

    @Test
    void alternatingObjectsUnderOrderedWritesFillTenChunksPerMessage() {
        Changes c = new Changes();
        for (int i = 1; i <= 100; i++) {
            c.insert(ACCOUNT, i).insert(CONTACT, i);
        }
        WritePlan plan = c.plan(ORDERED);
        assertThat(plan.batches()).hasSize(20).allSatisfy(b -> {
            assertThat(Batches.chunks(b)).isEqualTo(10);
            assertThat(b.items()).hasSize(10);
        });
        List<Long> order = plan.batches().stream().flatMap(b -> b.items().stream()).map(WriteItem::logId).toList();
        assertThat(order).isSorted();
    }

    @Test
    void alternatingObjectsUnderMergedWritesFillWholeMessages() {
        Changes c = new Changes();
        for (int i = 1; i <= 300; i++) {
            c.insert(ACCOUNT, i).insert(CONTACT, i);
        }
        WritePlan plan = c.plan(MERGED);
        assertThat(plan.batches()).extracting(b -> b.items().size()).containsExactly(200, 200, 200);
        assertThat(Batches.objects(plan.batches().get(1))).containsExactly("Account", "Contact");
    }

    @Test
    void theSeedsRapidUpdateExample() {
        Changes c = new Changes().update(ACCOUNT, 1, sfid(1), "name", "Nathaniel").update(ACCOUNT, 1, sfid(1), "name", "Nate");

        WritePlan ordered = c.plan(ORDERED);
        assertThat(ordered.batches()).hasSize(2);
        assertThat(ordered.batches()).extracting(b -> b.items().get(0).values().get("name")).containsExactly("Nathaniel", "Nate");

        WritePlan merged = c.plan(MERGED);
        assertThat(merged.batches()).singleElement().satisfies(b -> {
            WriteItem only = b.items().get(0);
            assertThat(only.values()).containsEntry("name", "Nate");
            assertThat(only.logId()).isEqualTo(2);
            assertThat(only.foldedLogIds()).containsExactly(1L);
        });
    }

    @Test
    void mergedInsertThenUpdatesIsOneInsertWithTheLatestValues() {
        WritePlan plan = new Changes().insert(ACCOUNT, 1, "name", "a", "phone", "1").update(ACCOUNT, 1, null, "name", "b").plan(MERGED);
        WriteItem item = plan.batches().get(0).items().get(0);
        assertThat(item.operation()).isEqualTo(Operation.UPSERT);
        assertThat(item.values()).containsEntry("name", "b").containsEntry("phone", "1");
        assertThat(item.logId()).isEqualTo(1);
        assertThat(item.foldedLogIds()).containsExactly(2L);
    }

    @Test
    void mergedInsertThenDeleteSendsNothing() {
        WritePlan plan = new Changes().insert(ACCOUNT, 1).update(ACCOUNT, 1, null, "name", "b").delete(ACCOUNT, 1, null).plan(MERGED);
        assertThat(plan.batches()).isEmpty();
        assertThat(plan.settledWithoutWrite()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void mergedInsertThatMayHaveArrivedThenDeleteIsUpsertedAndDeleted() {
        WritePlan plan = new Changes().sentInsert(ACCOUNT, 1, "name", "a").update(ACCOUNT, 1, null, "name", "b").delete(ACCOUNT, 1, null)
                .plan(MERGED);
        assertThat(plan.settledWithoutWrite()).isEmpty();
        assertThat(plan.batches()).extracting(WriteBatch::operation).containsExactly(Operation.UPSERT, Operation.DELETE);
        WriteItem upsert = plan.batches().get(0).items().get(0);
        assertThat(upsert.values()).containsEntry("name", "b").containsEntry("external_id__c", "Account-1");
        assertThat(upsert.logId()).isEqualTo(1);
        assertThat(upsert.foldedLogIds()).containsExactly(2L);
        assertThat(plan.batches().get(1).items().get(0).logId()).isEqualTo(3);
    }

    @Test
    void mergedFindOrCreateUpsertCarriesNoParentReference() {
        // the parent folds away unsent in the same plan: a reference to it would fail the upsert
        WritePlan plan = new Changes().sentInsert(CONTACT, 1, "lastname", "a", "account__r__external_id__c", "Account-9")
                .insert(ACCOUNT, 9).update(CONTACT, 1, null, "account__r__external_id__c", "Account-9")
                .delete(CONTACT, 1, null).delete(ACCOUNT, 9, null).plan(MERGED);
        WriteItem upsert = plan.batches().get(0).items().get(0);
        assertThat(upsert.operation()).isEqualTo(Operation.UPSERT);
        assertThat(upsert.values()).containsEntry("lastname", "a").containsEntry("external_id__c", "Contact-1")
                .doesNotContainKey("account__r__external_id__c");
        assertThat(plan.batches()).flatExtracting(WriteBatch::items).extracting(WriteItem::object).doesNotContain("Account");
    }

    @Test
    void mergedInsertWhoseRecordIsKnownThenDeleteIsADeleteById() {
        WritePlan plan = new Changes().insert(ACCOUNT, 1).delete(ACCOUNT, 1, sfid(1)).plan(MERGED);
        assertThat(plan.batches()).hasSize(1);
        WriteItem item = plan.batches().get(0).items().get(0);
        assertThat(item.operation()).isEqualTo(Operation.DELETE);
        assertThat(item.sfid()).isEqualTo(sfid(1));
        assertThat(item.foldedLogIds()).containsExactly(1L);
    }

    @Test
    void mergedInsertThatMayHaveArrivedWithoutAUniqueIdentifierCannotBeFound() {
        WritePlan plan = new Changes().sentInsert(LEAD, 1, "lastname", "a").delete(LEAD, 1, null).plan(MERGED);
        assertThat(plan.batches()).isEmpty();
        assertThat(plan.settledWithoutWrite()).containsExactly(1L, 2L);
    }

    @Test
    void mergedUpdateThenDeleteIsADelete() {
        WritePlan plan = new Changes().update(ACCOUNT, 1, sfid(1), "name", "b").delete(ACCOUNT, 1, sfid(1)).plan(MERGED);
        WriteItem item = plan.batches().get(0).items().get(0);
        assertThat(item.operation()).isEqualTo(Operation.DELETE);
        assertThat(item.logId()).isEqualTo(2);
        assertThat(item.foldedLogIds()).containsExactly(1L);
    }

    @Test
    void mergedResendsAFailedInsertWhenItsRecordIsUpdated() {
        Map<String, Object> row = Map.of("name", "Acme", "external_id__c", "A-1");
        WritePlan plan = new Changes().updateWithRow(ACCOUNT, 1, row, "name", "Acme").plan(MERGED);
        WriteItem item = plan.batches().get(0).items().get(0);
        assertThat(item.operation()).isEqualTo(Operation.UPSERT);
        assertThat(item.values()).isEqualTo(row);
    }

    @Test
    void mergedPutsParentsBeforeChildren() {
        Changes c = new Changes();
        for (int i = 1; i <= 5; i++) {
            c.insert(CONTACT, i, "account__r__external_id__c", "Account-" + i).insert(ACCOUNT, i);
        }
        List<String> objects = c.plan(MERGED).batches().stream().flatMap(b -> b.items().stream()).map(WriteItem::object).distinct().toList();
        assertThat(objects).containsExactly("Account", "Contact");
    }

    @Test
    void mergedDeletesChildrenBeforeParents() {
        WritePlan plan = new Changes().delete(ACCOUNT, 1, sfid(1)).delete(CONTACT, 1, sfid(2)).plan(MERGED);
        assertThat(plan.batches().get(0).items()).extracting(WriteItem::object).containsExactly("Contact", "Account");
    }

    @Test
    void aReferenceCycleKeepsLogOrderWithAWarning() {
        ObjectRules a = new ObjectRules("a", "A__c", null, null, Set.of("B__c"), Set.of());
        ObjectRules b = new ObjectRules("b", "B__c", null, null, Set.of("A__c"), Set.of());
        WritePlan plan = new Changes().insert(b, 1).insert(a, 1).plan(rules(WriteAlgorithm.MERGED, a, b));
        assertThat(plan.batches().get(0).items()).extracting(WriteItem::object).containsExactly("B__c", "A__c");
        assertThat(plan.warnings()).singleElement().asString().contains("cycle").contains("B__c").contains("A__c");
    }

    @Test
    void insertsAreUpsertsOnlyWithAUniqueIdentifierValue() {
        WritePlan plan = new Changes().insert(ACCOUNT, 1).add(ACCOUNT, Action.INSERT, 2, null, Changes.values("name", "no key", "external_id__c", null), null)
                .insert(LEAD, 1).plan(ORDERED);
        assertThat(plan.batches()).extracting(WriteBatch::operation).containsExactly(Operation.UPSERT, Operation.CREATE);
        assertThat(Batches.objects(plan.batches().get(1))).containsExactly("Account", "Lead");
    }
}
