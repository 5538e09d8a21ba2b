package io.pgforce.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The record locks a batch takes in Salesforce, as far as the rows tell: writing a record locks it
 * and the parent each of its lookups references (salesforce-wire.md, "Locks and the API
 * allocation"), and a transaction that waits for a lock past about 10 s fails its record with
 * UNABLE_TO_LOCK_ROW. Batches whose keys meet must not run at the same time; the planner groups
 * children by parent so that few do. A key names a record by sfid ({@code sfid:} and its 15
 * characters) or by an external ID value ({@code ext:Object:column:value}); a parent named by
 * external ID and updated by sfid alone is not seen to be the same record.
 */
public final class ParentLocks {

    private static final String REFERENCE = "__r__";

    private ParentLocks() {
    }

    /** For each batch, in plan order, the keys of the records it locks. */
    public static List<Set<String>> of(List<WriteBatch> batches, PlanRules rules) {
        List<Set<String>> keys = new ArrayList<>(batches.size());
        for (WriteBatch batch : batches) {
            Set<String> k = new HashSet<>();
            for (WriteItem item : batch.items()) {
                k.addAll(parents(item, rules));
                own(item, rules, k);
            }
            keys.add(k);
        }
        return keys;
    }

    /** The record itself: by sfid, and by its unique identifier's value when the row carries it. */
    private static void own(WriteItem item, PlanRules rules, Set<String> keys) {
        if (item.sfid() != null) {
            keys.add(BatchDependencies.sfidKey(item.sfid()));
        }
        String column = rules.rules(item.table()).uniqueIdentifierColumn();
        Object value = column == null ? null : item.values().get(column);
        if (value != null) {
            keys.add("ext:" + item.object() + ":" + column + ":" + value);
        }
    }

    /** The parents an item's lookups name: by sfid (any value that looks like one) and by external ID. */
    static Set<String> parents(WriteItem item, PlanRules rules) {
        Set<String> keys = new TreeSet<>();
        ObjectRules object = rules.rules(item.table());
        for (Map.Entry<String, Object> value : item.values().entrySet()) {
            if (value.getValue() == null) {
                continue;
            }
            String column = value.getKey();
            int at = column.indexOf(REFERENCE);
            if (at >= 0 && object.referenceColumns().contains(column)) {
                // the column is <relationship>__r__<external id field>: the parent's column of that field
                for (String parent : object.parentObjects()) {
                    keys.add("ext:" + parent + ":" + column.substring(at + REFERENCE.length()) + ":" + value.getValue());
                }
            } else if (value.getValue() instanceof String text && BatchDependencies.SFID.matcher(text).matches()) {
                keys.add(BatchDependencies.sfidKey(text));
            }
        }
        return keys;
    }

    /**
     * A run's items (one object, no record twice) with one parent's children together, in as few
     * batches as they fill: ordered by operation and the parents they name, stably. A run of an
     * object that references its own object, or with a record twice, keeps its order: a record may
     * be the parent of one after it, and a record's changes keep theirs.
     */
    static List<WriteItem> byParent(List<WriteItem> run, PlanRules rules) {
        if (run.size() < 2 || rules.rules(run.get(0).table()).parentObjects().contains(run.get(0).object())
                || run.stream().map(RecordKey::of).distinct().count() < run.size()) {
            return run; // a record twice keeps its changes' order
        }
        List<WriteItem> sorted = new ArrayList<>(run);
        Map<WriteItem, String> keyOf = new IdentityHashMap<>();
        run.forEach(i -> keyOf.put(i, String.join(" ", parents(i, rules))));
        // the operation first: calls take one operation each, and the run's would otherwise be interleaved
        sorted.sort(Comparator.comparing((WriteItem i) -> i.operation()).thenComparing(keyOf::get));
        return sorted;
    }

    /**
     * The parts (a run's batches, cut from {@link #byParent}'s order) reordered so that each shares
     * no parent with the {@code lanes - 1} before it where one can be found: the lanes take batches
     * in plan order, and batches of one parent in a row would wait for each other.
     */
    static List<List<WriteItem>> spread(List<List<WriteItem>> parts, PlanRules rules, int lanes) {
        if (lanes < 2 || parts.size() < 2) {
            return parts;
        }
        List<List<WriteItem>> left = new ArrayList<>(parts);
        List<Set<String>> leftKeys = new ArrayList<>();
        for (List<WriteItem> part : parts) {
            Set<String> k = new HashSet<>();
            part.forEach(i -> k.addAll(parents(i, rules)));
            leftKeys.add(k);
        }
        List<List<WriteItem>> out = new ArrayList<>(parts.size());
        ArrayDeque<Set<String>> recent = new ArrayDeque<>();
        while (!left.isEmpty()) {
            int pick = 0;
            for (int i = 0; i < leftKeys.size(); i++) {
                Set<String> k = leftKeys.get(i);
                if (recent.stream().allMatch(r -> Collections.disjoint(r, k))) {
                    pick = i;
                    break;
                }
            }
            out.add(left.remove(pick));
            recent.addLast(leftKeys.remove(pick));
            if (recent.size() >= lanes) {
                recent.removeFirst();
            }
        }
        return out;
    }
}
