package io.pgforce.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Lock-aware plans on random workloads, with the API limits scaled down (4 records a call, Bulk
 * from 5): two batches that would lock a record in common in Salesforce (children of one parent,
 * or a parent and its children) always have a lock key in common, so the lanes never run them
 * together; and children of few parents fall in as few calls as they fill.
 */
class ParentLocksPropertiesTest {

    private static final String PARENT = "account__r__external_id__c";

    private static PlanRules small(WriteAlgorithm algorithm, int concurrency, boolean bulk) {
        Map<String, ObjectRules> map = new HashMap<>();
        List.of(Changes.ACCOUNT, Changes.CONTACT, Changes.LEAD).forEach(o -> map.put(o.table(), o));
        return new PlanRules(algorithm, 62.0, bulk, map, 4, 3, 5, 8, 39, concurrency, Ordering.LOG, false);
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        return BatchDependenciesPropertiesTest.workloads();
    }

    @Property(tries = 300)
    void orderedBatchesThatShareAParentShareALockKey(@ForAll("changes") List<Change> changes) {
        assertSharedParentsConflict(small(WriteAlgorithm.ORDERED, 4, true), changes);
    }

    @Property(tries = 300)
    void mergedBatchesThatShareAParentShareALockKey(@ForAll("changes") List<Change> changes) {
        assertSharedParentsConflict(small(WriteAlgorithm.MERGED, 4, false), changes);
    }

    private static void assertSharedParentsConflict(PlanRules rules, List<Change> changes) {
        List<WriteBatch> batches = Planner.plan(rules, changes).batches();
        List<Set<String>> locks = ParentLocks.of(batches, rules);
        for (int a = 0; a < batches.size(); a++) {
            for (int b = a + 1; b < batches.size(); b++) {
                Set<Object> common = new HashSet<>(named(batches.get(a)));
                common.retainAll(lockedByExternalId(batches.get(b)));
                Set<Object> back = new HashSet<>(named(batches.get(b)));
                back.retainAll(lockedByExternalId(batches.get(a)));
                if (!common.isEmpty() || !back.isEmpty()) {
                    assertThat(Collections.disjoint(locks.get(a), locks.get(b)))
                            .as("batches %d and %d lock account %s %s: %s / %s", a, b, common, back, batches.get(a), batches.get(b)).isFalse();
                }
            }
        }
    }

    /** The accounts a batch's contacts name. */
    private static Set<Object> named(WriteBatch batch) {
        Set<Object> parents = new HashSet<>();
        batch.items().stream().map(i -> i.values().get(PARENT)).filter(p -> p != null).forEach(parents::add);
        return parents;
    }

    /** The accounts a batch locks, by the external ID its rows carry: the ones it names and the ones it writes. */
    private static Set<Object> lockedByExternalId(WriteBatch batch) {
        Set<Object> locked = named(batch);
        batch.items().stream().filter(i -> i.object().equals("Account")).map(i -> i.values().get("external_id__c")).filter(v -> v != null)
                .forEach(locked::add);
        return locked;
    }

    @Property(tries = 200)
    void childrenOfFewParentsFallInAsFewCallsAsTheyFill(@ForAll @IntRange(min = 1, max = 6) int parents,
                                                        @ForAll("childCounts") List<Integer> parentOfEach,
                                                        @ForAll @IntRange(min = 2, max = 8) int lanes) {
        Changes changes = new Changes();
        Map<Integer, Integer> perParent = new HashMap<>();
        for (int c = 0; c < parentOfEach.size(); c++) {
            int parent = parentOfEach.get(c) % parents;
            perParent.merge(parent, 1, Integer::sum);
            changes.insert(Changes.CONTACT, c + 1, PARENT, "Account-" + parent);
        }
        for (WriteAlgorithm algorithm : WriteAlgorithm.values()) {
            PlanRules rules = small(algorithm, lanes, false);
            List<WriteBatch> batches = changes.plan(rules).batches();
            for (Map.Entry<Integer, Integer> p : perParent.entrySet()) {
                long calls = batches.stream().filter(b -> b.items().stream().anyMatch(i -> ("Account-" + p.getKey()).equals(i.values().get(PARENT)))).count();
                assertThat(calls).as("%s: the %d children of Account-%d", algorithm, p.getValue(), p.getKey())
                        .isLessThanOrEqualTo((p.getValue() + 3) / 4 + 1);
            }
        }
    }

    /** Each parent's children fill whole calls: the calls the lanes take at once are of as many different parents as there are. */
    @Property(tries = 200)
    void callsTheLanesTakeAtOnceAreOfDifferentParents(@ForAll("callsPerParent") List<Integer> callsPerParent,
                                                      @ForAll @IntRange(min = 2, max = 8) int lanes) {
        Changes changes = new Changes();
        int most = callsPerParent.stream().mapToInt(Integer::intValue).max().orElse(0) * 4;
        int next = 1;
        for (int round = 0; round < most; round++) { // round-robin over the parents: the worst order for naive packing
            for (int p = 0; p < callsPerParent.size(); p++) {
                if (round < callsPerParent.get(p) * 4) {
                    changes.insert(Changes.CONTACT, next++, PARENT, "Account-" + p);
                }
            }
        }
        for (WriteAlgorithm algorithm : WriteAlgorithm.values()) {
            PlanRules rules = small(algorithm, lanes, false);
            List<WriteBatch> batches = changes.plan(rules).batches();
            assertThat(batches).hasSize(callsPerParent.stream().mapToInt(Integer::intValue).sum());
            List<Set<String>> locks = ParentLocks.of(batches, rules);
            int atOnce = Math.min(lanes, callsPerParent.size());
            for (int a = 0; a < atOnce; a++) {
                for (int b = a + 1; b < atOnce; b++) {
                    assertThat(Collections.disjoint(locks.get(a), locks.get(b)))
                            .as("%s: the first %d calls are of different parents: %s", algorithm, atOnce, batches).isTrue();
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Integer>> callsPerParent() {
        return Arbitraries.integers().between(1, 4).list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Integer>> childCounts() {
        return Arbitraries.integers().between(0, 5).list().ofMinSize(1).ofMaxSize(60);
    }

    /** The spread keeps every batch and, with one lane, the order. */
    @Property(tries = 100)
    void spreadKeepsEveryBatch(@ForAll("childCounts") List<Integer> parentOfEach, @ForAll @IntRange(min = 1, max = 8) int lanes) {
        Changes changes = new Changes();
        for (int c = 0; c < parentOfEach.size(); c++) {
            changes.insert(Changes.CONTACT, c + 1, PARENT, "Account-" + parentOfEach.get(c));
        }
        PlanRules rules = small(WriteAlgorithm.ORDERED, lanes, false);
        List<List<WriteItem>> parts = new ArrayList<>();
        List<WriteItem> items = changes.list().stream().map(rules::item).toList();
        for (int from = 0; from < items.size(); from += 4) {
            parts.add(items.subList(from, Math.min(items.size(), from + 4)));
        }
        List<List<WriteItem>> spread = ParentLocks.spread(parts, rules, lanes);
        assertThat(spread).containsExactlyInAnyOrderElementsOf(parts);
        if (lanes == 1) {
            assertThat(spread).isEqualTo(parts);
        }
    }
}
