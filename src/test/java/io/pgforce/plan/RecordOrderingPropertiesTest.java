package io.pgforce.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Ordered Writes with {@code ordering: record} against the strict trigger-log order, on the random
 * workloads of {@link BatchDependenciesPropertiesTest}: run in any order the batch dependencies
 * allow, the record plan leaves the org as the log plan does, refuses the same changes, and sends
 * every record the same operations in the same order, one item per change. The API limits are
 * scaled down (4 records a message, Bulk from 5 in jobs of 8) so that short workloads reach them.
 */
class RecordOrderingPropertiesTest {

    private static final String PARENT = "account__r__external_id__c";

    private record Key(String table, long recordId) {
    }

    private record Sent(long logId, Operation operation, boolean ok) {
    }

    private static PlanRules small(Ordering ordering, int concurrency) {
        Map<String, ObjectRules> map = new HashMap<>();
        List.of(Changes.ACCOUNT, Changes.CONTACT, Changes.LEAD).forEach(o -> map.put(o.table(), o));
        return new PlanRules(WriteAlgorithm.ORDERED, 62.0, true, map, 4, 3, 5, 8, 39, concurrency, ordering, false);
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        return BatchDependenciesPropertiesTest.workloads().map(RecordOrderingPropertiesTest::distinctSfids);
    }

    /** Changes.sfid differs only in the 3 checksum characters of an 18-character Id: 15 distinct ones, so that records stay apart. */
    private static List<Change> distinctSfids(List<Change> changes) {
        return changes.stream().map(c -> c.sfid() == null ? c : new Change(c.logId(), c.table(), c.object(), c.action(), c.recordId(),
                String.format("%015d", Long.parseLong(c.sfid().substring(3))), c.values(), c.currentRow(), c.sent(), c.bulkJobId(), c.txid())).toList();
    }

    @Property(tries = 500)
    void recordOrderInAnyAllowedOrderEndsAsLogOrder(@ForAll("changes") List<Change> changes, @ForAll long seed) {
        List<WriteBatch> log = Planner.plan(small(Ordering.LOG, 4), changes).batches();
        PlanRules rules = small(Ordering.RECORD, 4);
        List<WriteBatch> record = Planner.plan(rules, changes).batches();

        assertThat(record.stream().mapToInt(b -> b.items().size()).sum()).as("one item per change").isEqualTo(changes.size());
        for (WriteBatch b : record) {
            assertThat(b.items()).as("one operation a call").allSatisfy(i -> assertThat(i.operation()).isEqualTo(b.operation()));
            assertThat(b.items().stream().map(i -> new Key(i.table(), i.recordId())).distinct().count()).as("a record once a call")
                    .isEqualTo(b.items().size());
        }

        Org expected = new Org(changes);
        log.forEach(expected::run);
        Org actual = new Org(changes);
        List<Set<Integer>> dependencies = BatchDependencies.of(record, rules);
        BatchDependenciesPropertiesTest.anAllowedOrder(dependencies, new Random(seed)).forEach(b -> actual.run(record.get(b)));
        assertThat(actual.records).isEqualTo(expected.records);
        assertThat(actual.sent).isEqualTo(expected.sent);
    }

    /**
     * A small org that starts with the records that existed before the cycle (those changed with an
     * sfid), each with its external ID. An update or delete of a record that is not there is
     * refused, and so is a contact that names an account that is not there; deleting an account
     * deletes the contacts that name it, as Salesforce does.
     */
    private static final class Org {

        final Map<Key, Map<String, Object>> records = new HashMap<>();
        final Map<Key, List<Sent>> sent = new LinkedHashMap<>();

        Org(List<Change> changes) {
            for (Change c : changes) {
                if (c.sfid() != null) {
                    Map<String, Object> r = new HashMap<>();
                    if (!c.table().equals(Changes.LEAD.table())) {
                        r.put("external_id__c", c.object() + "-" + c.recordId());
                    }
                    records.putIfAbsent(new Key(c.table(), c.recordId()), r);
                }
            }
        }

        void run(WriteBatch batch) {
            for (WriteItem i : batch.items()) {
                Key key = new Key(i.table(), i.recordId());
                Object parent = i.values().get(PARENT);
                boolean parentThere = parent == null || records.entrySet().stream()
                        .anyMatch(r -> r.getKey().table().equals("account") && Objects.equals(r.getValue().get("external_id__c"), parent));
                boolean ok = switch (i.operation()) {
                    case CREATE, UPSERT -> parentThere && !records.containsKey(key);
                    case UPDATE -> records.containsKey(key) && parentThere;
                    case DELETE -> records.containsKey(key);
                };
                sent.computeIfAbsent(key, k -> new ArrayList<>()).add(new Sent(i.logId(), i.operation(), ok));
                if (!ok) {
                    continue;
                }
                if (i.operation() == Operation.DELETE) {
                    Object externalId = records.remove(key).get("external_id__c");
                    if (i.table().equals("account")) {
                        records.entrySet().removeIf(r -> r.getKey().table().equals("contact") && Objects.equals(r.getValue().get(PARENT), externalId));
                    }
                } else {
                    Map<String, Object> r = records.computeIfAbsent(key, k -> new HashMap<>());
                    r.putAll(i.values());
                }
            }
        }
    }
}
