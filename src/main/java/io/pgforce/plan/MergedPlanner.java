package io.pgforce.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merged Writes: changes are folded per record (later values win; insert + updates is one insert;
 * update + delete is a delete; insert + delete is nothing), then reordered so that parents come
 * before children and messages fill up to 200 records. An update of a record whose insert never
 * reached Salesforce resends the insert, with the row as it is now. Never uses Bulk.
 */
final class MergedPlanner implements Planner {

    /** The changes of one record folded so far. */
    private static final class Group {
        final int order;
        final String table;
        final String object;
        final long recordId;
        Action first;
        Action last;
        String sfid;
        Map<String, Object> currentRow;
        final Map<String, Object> values = new HashMap<>();
        final List<Change> changes = new ArrayList<>();

        Group(int order, Change c) {
            this.order = order;
            this.table = c.table();
            this.object = c.object();
            this.recordId = c.recordId();
            this.first = c.action();
        }

        void add(Change c) {
            changes.add(c);
            last = c.action();
            values.putAll(c.values());
            if (c.sfid() != null) {
                sfid = c.sfid();
            }
            if (c.currentRow() != null) {
                currentRow = c.currentRow();
            }
        }

        Change lastOf(Action action) {
            for (int i = changes.size() - 1; i >= 0; i--) {
                if (changes.get(i).action() == action) {
                    return changes.get(i);
                }
            }
            return null;
        }
    }

    private final PlanRules rules;
    private final Map<RecordKey, Group> open = new HashMap<>();
    private final List<Group> groups = new ArrayList<>();

    MergedPlanner(PlanRules rules) {
        this.rules = rules;
    }

    @Override
    public void add(Change change) {
        RecordKey key = RecordKey.of(change);
        Group group = open.get(key);
        if (group == null || group.last == Action.DELETE || change.action() == Action.INSERT) {
            group = new Group(groups.size(), change); // a change after a delete (an id used again) starts afresh
            groups.add(group);
            open.put(key, group);
        }
        group.add(change);
    }

    @Override
    public WritePlan finish() {
        List<Long> settled = new ArrayList<>();
        Map<String, List<WriteItem>> inserts = new LinkedHashMap<>();
        Map<String, List<WriteItem>> updates = new LinkedHashMap<>();
        Map<String, List<WriteItem>> deletes = new LinkedHashMap<>();
        for (Group g : groups) {
            for (WriteItem item : items(g, settled)) {
                Map<String, List<WriteItem>> phase = item.operation().isInsert() ? inserts : item.operation() == Operation.UPDATE ? updates : deletes;
                phase.computeIfAbsent(g.object, o -> new ArrayList<>()).add(item);
            }
        }
        List<String> warnings = new ArrayList<>();
        Set<String> present = new LinkedHashSet<>();
        groups.forEach(g -> present.add(g.object));
        List<String> parentsFirst = topologicalOrder(present, warnings);

        BatchPacker packer = new BatchPacker(rules);
        for (String object : parentsFirst) {
            List<WriteItem> items = inserts.getOrDefault(object, List.of());
            packer.soapRun(items.stream().filter(i -> i.operation() == Operation.UPSERT).toList());
            packer.soapRun(items.stream().filter(i -> i.operation() == Operation.CREATE).toList());
        }
        for (String object : parentsFirst) {
            packer.soapRun(updates.getOrDefault(object, List.of()));
        }
        for (int i = parentsFirst.size() - 1; i >= 0; i--) {
            packer.soapRun(deletes.getOrDefault(parentsFirst.get(i), List.of())); // children go first
        }
        return new WritePlan(packer.finish(), settled, warnings);
    }

    /** The items a record's folded changes come to: usually one, none when nothing is left to send. */
    private List<WriteItem> items(Group g, List<Long> settled) {
        if (g.first == Action.INSERT && g.last == Action.DELETE) {
            return insertedThenDeleted(g, settled);
        }
        return List.of(item(g));
    }

    /**
     * An insert folded with a later delete sends nothing, unless the insert may have reached
     * Salesforce already (it was sent before a crash or a lost response): then the record is
     * upserted on its unique identifier, which finds it (or creates it), and deleted by the Id
     * that returns, so that no record is left behind whose row is gone. That upsert carries no
     * parent reference: the parent may be gone as well, or folded away unsent in this very plan,
     * and a reference that resolves to nothing would fail the upsert and leave the record behind.
     */
    private List<WriteItem> insertedThenDeleted(Group g, List<Long> settled) {
        ObjectRules object = rules.rules(g.table);
        Change delete = g.lastOf(Action.DELETE);
        if (g.sfid != null) {
            // the record is known to exist (e.g. a requeued insert that had succeeded): delete it
            List<Long> folded = g.changes.stream().map(Change::logId).filter(id -> id != delete.logId()).toList();
            return List.of(new WriteItem(g.table, g.object, g.recordId, Operation.DELETE, g.sfid, Map.of(), delete.logId(), folded));
        }
        boolean mayExist = g.changes.stream().anyMatch(Change::sent);
        if (!mayExist || Planner.insertOperation(object, g.values) != Operation.UPSERT) {
            settled.addAll(g.changes.stream().map(Change::logId).toList());
            return List.of();
        }
        Change insert = g.changes.get(0);
        List<Long> folded = g.changes.stream().map(Change::logId).filter(id -> id != insert.logId() && id != delete.logId()).toList();
        Map<String, Object> findOrCreate = new HashMap<>(g.values);
        findOrCreate.keySet().removeAll(object.referenceColumns());
        return List.of(new WriteItem(g.table, g.object, g.recordId, Operation.UPSERT, null, findOrCreate, insert.logId(), folded),
                new WriteItem(g.table, g.object, g.recordId, Operation.DELETE, null, Map.of(), delete.logId(), List.of()));
    }

    /** The one item a record's folded changes come to, when they do not end in a delete of an insert. */
    private WriteItem item(Group g) {
        ObjectRules object = rules.rules(g.table);
        List<Long> all = g.changes.stream().map(Change::logId).toList();
        Change carrier;
        Operation operation;
        Map<String, Object> values = g.values;
        if (g.last == Action.DELETE) {
            carrier = g.lastOf(Action.DELETE);
            operation = Operation.DELETE;
            values = Map.of();
        } else if (g.first == Action.INSERT) {
            carrier = g.changes.get(0);
            operation = Planner.insertOperation(object, values);
        } else if (g.sfid == null && g.currentRow != null) {
            // the record never reached Salesforce (its insert failed): send it again as it is now
            carrier = g.lastOf(Action.UPDATE);
            values = g.currentRow;
            operation = Planner.insertOperation(object, values);
        } else {
            carrier = g.lastOf(Action.UPDATE);
            operation = Operation.UPDATE;
        }
        List<Long> folded = all.stream().filter(id -> id != carrier.logId()).toList();
        return new WriteItem(g.table, g.object, g.recordId, operation, g.sfid, values, carrier.logId(), folded);
    }

    /**
     * Objects ordered so that every parent comes before its children (Kahn's algorithm, ties in
     * order of first appearance). Objects caught in a reference cycle keep their order of first
     * appearance, after the rest, with a warning: there is no order that satisfies them.
     */
    private List<String> topologicalOrder(Set<String> present, List<String> warnings) {
        Map<String, Set<String>> parents = new HashMap<>();
        for (String object : present) {
            Set<String> ps = new LinkedHashSet<>();
            rules.objectsByTable().values().stream().filter(r -> r.object().equals(object))
                    .forEach(r -> r.parentObjects().stream().filter(p -> present.contains(p) && !p.equals(object)).forEach(ps::add));
            parents.put(object, ps);
        }
        List<String> order = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        Deque<String> ready = new ArrayDeque<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String object : present) {
                if (!placed.contains(object) && placed.containsAll(parents.get(object))) {
                    ready.add(object);
                }
            }
            while (!ready.isEmpty()) {
                String object = ready.poll();
                if (placed.add(object)) {
                    order.add(object);
                    progress = true;
                }
            }
        }
        List<String> cyclic = present.stream().filter(o -> !placed.contains(o)).toList();
        if (!cyclic.isEmpty()) {
            warnings.add("Merged Writes: objects " + cyclic + " reference each other in a cycle; they keep trigger-log order, "
                    + "so a child may be written before its parent");
            order.addAll(cyclic);
        }
        return order;
    }
}
