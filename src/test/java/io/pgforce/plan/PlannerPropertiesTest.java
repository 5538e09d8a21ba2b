package io.pgforce.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of both write algorithms over random change sequences. The API limits are scaled
 * down (7 records and 3 chunks a message, Bulk from runs of 5 in jobs of 8) so that short
 * sequences reach every rule.
 */
class PlannerPropertiesTest {

    private static final ObjectRules ACCOUNT = Changes.ACCOUNT;
    private static final ObjectRules CONTACT = Changes.CONTACT;
    private static final ObjectRules LEAD = Changes.LEAD;
    private static final List<ObjectRules> OBJECTS = List.of(ACCOUNT, CONTACT, LEAD);

    private static PlanRules small(WriteAlgorithm algorithm) {
        Map<String, ObjectRules> map = new HashMap<>();
        OBJECTS.forEach(o -> map.put(o.table(), o));
        return new PlanRules(algorithm, 62.0, true, map, 7, 3, 5, 8, 39, 1, Ordering.LOG, false);
    }

    private record Step(int object, int record, int action, String name) {
    }

    private record Key(String table, long recordId) {
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(0, 9), Arbitraries.of("a", "b", "c", "d")).as(Step::new);
        return step.list().ofMinSize(0).ofMaxSize(80).map(PlannerPropertiesTest::valid);
    }

    /** Turns random steps into a sequence a real table could log: inserts first, nothing after a delete. */
    private static List<Change> valid(List<Step> steps) {
        Changes changes = new Changes();
        Map<Key, String> state = new HashMap<>(); // record -> "new", "existing", "deleted"
        for (Step s : steps) {
            ObjectRules o = OBJECTS.get(s.object);
            Key key = new Key(o.table(), s.record);
            String st = state.get(key);
            if ("deleted".equals(st)) {
                continue;
            }
            if (st == null) {
                if (s.action < 5) {
                    changes.insert(o, s.record, "name", s.name);
                    state.put(key, "new");
                } else {
                    state.put(key, "existing"); // a record that reached Salesforce before this cycle
                    changes.update(o, s.record, Changes.sfid(s.record), "name", s.name);
                }
            } else if (s.action < 8) {
                changes.update(o, s.record, "existing".equals(st) ? Changes.sfid(s.record) : null, "name", s.name, "phone", s.action);
            } else {
                changes.delete(o, s.record, "existing".equals(st) ? Changes.sfid(s.record) : null);
                state.put(key, "deleted");
            }
        }
        return changes.list();
    }

    private static void assertRespectsTheLimits(WritePlan plan, PlanRules rules) {
        for (WriteBatch b : plan.batches()) {
            Set<Key> records = new HashSet<>();
            for (WriteItem i : b.items()) {
                assertThat(records.add(new Key(i.table(), i.recordId()))).as("record twice in %s", b).isTrue();
                assertThat(i.operation()).isEqualTo(b.operation());
            }
            if (b.api() == Api.SOAP) {
                assertThat(b.items()).hasSizeBetween(1, rules.soapMaxRecords());
                assertThat(Batches.chunks(b)).isLessThanOrEqualTo(rules.soapMaxChunks());
            } else {
                assertThat(b.items()).hasSizeBetween(1, rules.bulkMaxJob());
                assertThat(Batches.objects(b)).hasSize(1);
            }
        }
    }

    private static void assertEveryRowAccountedForOnce(WritePlan plan, List<Change> changes) {
        List<Long> ids = new ArrayList<>(plan.settledWithoutWrite());
        plan.batches().forEach(b -> b.items().forEach(i -> {
            ids.add(i.logId());
            ids.addAll(i.foldedLogIds());
        }));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(changes.stream().map(Change::logId).toList());
    }

    @Property(tries = 300)
    void orderedWritesKeepEveryChangeAndEachRecordsOrder(@ForAll("changes") List<Change> changes) {
        PlanRules rules = small(WriteAlgorithm.ORDERED);
        WritePlan plan = Planner.plan(rules, changes);

        assertRespectsTheLimits(plan, rules);
        assertEveryRowAccountedForOnce(plan, changes);
        assertThat(plan.settledWithoutWrite()).isEmpty();
        List<Long> sent = plan.batches().stream().flatMap(b -> b.items().stream()).map(WriteItem::logId).toList();
        assertThat(sent).as("trigger-log order").isSorted();
        for (WriteBatch b : plan.batches()) {
            if (b.api() == Api.BULK) {
                assertThat(b.operation()).isNotEqualTo(Operation.CREATE);
            }
        }
    }

    @Property(tries = 300)
    void mergedWritesReachTheSameStateWithOneItemPerRecord(@ForAll("changes") List<Change> changes) {
        PlanRules rules = small(WriteAlgorithm.MERGED);
        WritePlan plan = Planner.plan(rules, changes);

        assertRespectsTheLimits(plan, rules);
        assertEveryRowAccountedForOnce(plan, changes);
        assertThat(plan.batches()).allSatisfy(b -> assertThat(b.api()).isEqualTo(Api.SOAP));
        List<Key> written = plan.batches().stream().flatMap(b -> b.items().stream()).map(i -> new Key(i.table(), i.recordId())).toList();
        assertThat(written).doesNotHaveDuplicates();

        assertThat(applyItems(plan)).isEqualTo(applyChanges(changes));
    }

    @Property(tries = 200)
    void bothAlgorithmsReachTheSameState(@ForAll("changes") List<Change> changes) {
        assertThat(applyItems(Planner.plan(small(WriteAlgorithm.ORDERED), changes))).isEqualTo(applyChanges(changes));
    }

    /** The org after every change, one by one. Pre-existing records start empty. */
    private static Map<Key, Map<String, Object>> applyChanges(List<Change> changes) {
        Map<Key, Map<String, Object>> org = new HashMap<>();
        for (Change c : changes) {
            Key key = new Key(c.table(), c.recordId());
            switch (c.action()) {
                case INSERT -> org.put(key, new HashMap<>(c.values()));
                case UPDATE -> org.computeIfAbsent(key, k -> new HashMap<>()).putAll(c.values());
                case DELETE -> org.put(key, null);
            }
        }
        org.values().removeIf(v -> v == null);
        return org;
    }

    private static Map<Key, Map<String, Object>> applyItems(WritePlan plan) {
        Map<Key, Map<String, Object>> org = new HashMap<>();
        for (WriteBatch b : plan.batches()) {
            for (WriteItem i : b.items()) {
                Key key = new Key(i.table(), i.recordId());
                switch (i.operation()) {
                    case CREATE, UPSERT, UPDATE -> org.computeIfAbsent(key, k -> new HashMap<>()).putAll(i.values());
                    case DELETE -> org.put(key, null);
                }
            }
        }
        org.values().removeIf(v -> v == null);
        return org;
    }
}
