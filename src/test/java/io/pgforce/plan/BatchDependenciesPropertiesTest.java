package io.pgforce.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The ordering guarantees of concurrent writing, on random workloads: whatever order the batches
 * run in, as long as each waits for the batches it depends on, every record's changes keep their
 * trigger-log order, a child never goes before its parent's batches, and the org ends exactly as
 * serial writing leaves it, with the same record refused. The API limits are scaled down so that
 * short sequences make many batches.
 */
class BatchDependenciesPropertiesTest {

    private static final ObjectRules ACCOUNT = Changes.ACCOUNT;
    private static final ObjectRules CONTACT = Changes.CONTACT;
    private static final ObjectRules LEAD = Changes.LEAD;
    private static final List<ObjectRules> OBJECTS = List.of(ACCOUNT, CONTACT, LEAD);
    private static final String PARENT = "account__r__external_id__c";

    private record Step(int object, int record, int action, int parent) {
    }

    private record Key(String table, long recordId) {
    }

    private static PlanRules small(WriteAlgorithm algorithm, int concurrency) {
        Map<String, ObjectRules> map = new HashMap<>();
        OBJECTS.forEach(o -> map.put(o.table(), o));
        return new PlanRules(algorithm, 62.0, true, map, 4, 3, 5, 8, 39, concurrency, Ordering.LOG, false);
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        return workloads();
    }

    /** Random workloads of accounts, their contacts and leads (also for {@link RecordOrderingPropertiesTest}). */
    static Arbitrary<List<Change>> workloads() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 8),
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(1, 8)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(120).map(BatchDependenciesPropertiesTest::valid);
    }

    /** Random steps as a table could log them; contacts name an account (existing or not) by its external ID. */
    private static List<Change> valid(List<Step> steps) {
        Changes changes = new Changes();
        Map<Key, String> state = new HashMap<>();
        for (Step s : steps) {
            ObjectRules o = OBJECTS.get(s.object());
            Key key = new Key(o.table(), s.record());
            String st = state.get(key);
            Object[] parent = o == CONTACT ? new Object[] {PARENT, "Account-" + s.parent()} : new Object[] {};
            if ("deleted".equals(st)) {
                continue;
            }
            if (st == null) {
                if (s.action() < 6) {
                    changes.insert(o, s.record(), concat(parent, "name", "n" + s.action()));
                    state.put(key, "new");
                } else {
                    state.put(key, "existing");
                    changes.update(o, s.record(), Changes.sfid(s.record() + 100L * s.object()), "name", "u" + s.action());
                }
            } else if (s.action() < 8) {
                String sfid = "existing".equals(st) ? Changes.sfid(s.record() + 100L * s.object()) : null;
                changes.update(o, s.record(), sfid, concat(s.action() % 2 == 0 ? parent : new Object[] {}, "name", "u" + s.action()));
            } else {
                changes.delete(o, s.record(), "existing".equals(st) ? Changes.sfid(s.record() + 100L * s.object()) : null);
                state.put(key, "deleted");
            }
        }
        return changes.list();
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] all = new Object[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Property(tries = 300)
    void orderedWritesInAnyAllowedOrderEndAsSerialWriting(@ForAll("changes") List<Change> changes, @ForAll long seed) {
        assertGuarantees(small(WriteAlgorithm.ORDERED, 4), changes, seed);
    }

    @Property(tries = 300)
    void mergedWritesInAnyAllowedOrderEndAsSerialWriting(@ForAll("changes") List<Change> changes, @ForAll long seed) {
        assertGuarantees(small(WriteAlgorithm.MERGED, 4), changes, seed);
    }

    private static void assertGuarantees(PlanRules rules, List<Change> changes, long seed) {
        List<WriteBatch> batches = Planner.plan(rules, changes).batches();
        List<Set<Integer>> dependencies = BatchDependencies.of(batches, rules);
        for (int b = 0; b < batches.size(); b++) {
            int batch = b;
            assertThat(dependencies.get(b)).as("batch %d waits only for earlier batches", b).allSatisfy(d -> assertThat(d).isLessThan(batch));
        }
        List<BitSet> reach = reachability(dependencies);
        for (int later = 0; later < batches.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                if (sameRecord(batches.get(earlier), batches.get(later))) {
                    assertThat(reach.get(later).get(earlier)).as("batch %d writes a record of batch %d: it must wait for it", later, earlier).isTrue();
                }
                if (parentAndChild(batches.get(earlier), batches.get(later))) {
                    assertThat(reach.get(later).get(earlier)).as("batches %d and %d hold a parent object and its child", earlier, later).isTrue();
                }
            }
        }
        Org serial = new Org();
        batches.forEach(serial::run);
        Org concurrent = new Org();
        anAllowedOrder(dependencies, new Random(seed)).forEach(b -> concurrent.run(batches.get(b)));
        assertThat(concurrent.records).isEqualTo(serial.records);
        assertThat(concurrent.refused).isEqualTo(serial.refused);
    }

    private static boolean sameRecord(WriteBatch a, WriteBatch b) {
        return a.items().stream().anyMatch(i -> b.items().stream().anyMatch(j -> i.table().equals(j.table()) && i.recordId() == j.recordId()));
    }

    private static boolean parentAndChild(WriteBatch a, WriteBatch b) {
        Set<String> first = Batches.objects(a);
        Set<String> second = Batches.objects(b);
        return first.contains("Account") && second.contains("Contact") || first.contains("Contact") && second.contains("Account");
    }

    /** For each batch, every batch it waits for, directly or through others. */
    private static List<BitSet> reachability(List<Set<Integer>> dependencies) {
        List<BitSet> reach = new ArrayList<>();
        for (Set<Integer> direct : dependencies) {
            BitSet r = new BitSet();
            for (int d : direct) {
                r.set(d);
                r.or(reach.get(d));
            }
            reach.add(r);
        }
        return reach;
    }

    /** A random order in which each batch comes after the batches it depends on, as lanes may run them. */
    static List<Integer> anAllowedOrder(List<Set<Integer>> dependencies, Random random) {
        List<Integer> order = new ArrayList<>();
        BitSet done = new BitSet();
        while (order.size() < dependencies.size()) {
            List<Integer> ready = new ArrayList<>();
            for (int b = 0; b < dependencies.size(); b++) {
                if (!done.get(b) && dependencies.get(b).stream().allMatch(done::get)) {
                    ready.add(b);
                }
            }
            int next = ready.get(random.nextInt(ready.size()));
            done.set(next);
            order.add(next);
        }
        return order;
    }

    /**
     * A small org: records by row, an update or delete of a record that is not there is refused,
     * and so is a contact that names an account that is not there. A record with an sfid existed
     * before the cycle.
     */
    private static final class Org {

        final Map<Key, Map<String, Object>> records = new HashMap<>();
        final Set<Key> deleted = new HashSet<>();
        final List<Long> refused = new ArrayList<>();

        void run(WriteBatch batch) {
            for (WriteItem i : batch.items()) {
                Key key = new Key(i.table(), i.recordId());
                boolean there = !deleted.contains(key) && (records.containsKey(key) || i.sfid() != null);
                Object parent = i.values().get(PARENT);
                boolean parentThere = parent == null || records.values().stream().anyMatch(r -> Objects.equals(r.get("external_id__c"), parent));
                boolean ok = switch (i.operation()) {
                    case CREATE, UPSERT -> parentThere;
                    case UPDATE -> there && parentThere;
                    case DELETE -> there;
                };
                if (!ok) {
                    refused.add(i.logId());
                } else if (i.operation() == Operation.DELETE) {
                    records.remove(key);
                    deleted.add(key);
                } else {
                    Map<String, Object> r = records.computeIfAbsent(key, k -> new HashMap<>());
                    r.putAll(i.values());
                    if (!i.table().equals(LEAD.table())) {
                        r.putIfAbsent("external_id__c", i.object() + "-" + i.recordId());
                    }
                }
            }
            refused.sort(Long::compare);
        }
    }
}
