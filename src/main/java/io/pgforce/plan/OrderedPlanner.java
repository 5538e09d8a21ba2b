package io.pgforce.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Ordered Writes: every change is its own item. With {@code ordering: log} (the default) the plan
 * sends them in trigger-log order: contiguous changes of one object and one action form runs. With
 * {@code ordering: record} each change goes one level after the last earlier change it must follow
 * (the same record, a parent it names, a delete of a parent object), and each level's changes form
 * one run per object and operation, so that unrelated records share calls. A run of at least 2,000
 * (in log order cut where a record repeats) goes to Bulk when the connection and mapping allow it,
 * in jobs of at most 10,000 (more, of at least 2,000 each, when several may run at once);
 * everything else is packed into SOAP messages.
 */
final class OrderedPlanner implements Planner {

    /** A Salesforce Id: 15 or 18 letters and digits. Any such value may reference a record (as {@link BatchDependencies} reads it). */
    private static final Pattern SFID = Pattern.compile("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}");
    private static final String REFERENCE = "__r__";

    private final PlanRules rules;
    private final List<Change> changes = new ArrayList<>();

    OrderedPlanner(PlanRules rules) {
        this.rules = rules;
    }

    @Override
    public void add(Change change) {
        changes.add(change);
    }

    @Override
    public WritePlan finish() {
        BatchPacker packer = new BatchPacker(rules);
        if (rules.ordering() == Ordering.RECORD) {
            for (List<List<WriteItem>> level : levels()) {
                level.forEach(run -> pack(run, packer));
                packer.flush(); // a level's changes may depend on the level before: never in one call with them
            }
        } else {
            runs().forEach(run -> pack(run, packer));
        }
        return new WritePlan(packer.finish(), List.of(), List.of());
    }

    private void pack(List<WriteItem> run, BatchPacker packer) {
        ObjectRules object = rules.rules(run.get(0).table());
        boolean bulk = rules.bulkAllowed(object) && run.size() >= rules.bulkMinRun()
                && run.stream().noneMatch(i -> i.operation() == Operation.CREATE); // inserts go to Bulk as upserts only
        if (bulk) {
            // with several lanes, one parent's children in as few jobs as they fill, jobs at once sharing no parent
            List<WriteItem> grouped = rules.writeConcurrency() > 1 ? ParentLocks.byParent(run, rules) : run;
            List<List<WriteItem>> jobs = new ArrayList<>();
            int count = rules.bulkJobs(run.size());
            if (count == (run.size() + rules.bulkMaxJob() - 1) / rules.bulkMaxJob()) {
                // as the original: full jobs, the rest in the last
                for (int from = 0; from < run.size(); from += rules.bulkMaxJob()) {
                    jobs.add(grouped.subList(from, Math.min(run.size(), from + rules.bulkMaxJob())));
                }
            } else {
                // more jobs than the limit needs, to run at once: even shares
                for (int j = 0; j < count; j++) {
                    jobs.add(grouped.subList(run.size() * j / count, run.size() * (j + 1) / count));
                }
            }
            ParentLocks.spread(jobs, rules, rules.writeConcurrency()).forEach(packer::bulk);
        } else {
            packer.soapRun(run);
        }
    }

    /** Contiguous changes of one object and one action, cut where a record would repeat. */
    private List<List<WriteItem>> runs() {
        List<List<WriteItem>> runs = new ArrayList<>();
        List<WriteItem> run = new ArrayList<>();
        Set<Long> records = new HashSet<>();
        Change previous = null;
        for (Change c : changes) {
            boolean continues = previous != null && c.table().equals(previous.table()) && c.action() == previous.action() && !records.contains(c.recordId());
            if (!continues && !run.isEmpty()) {
                runs.add(run);
                run = new ArrayList<>();
                records.clear();
            }
            run.add(rules.item(c));
            records.add(c.recordId());
            previous = c;
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    /**
     * The changes by level, each level's as runs of one object and operation (in trigger-log order
     * within). A change that writes a key exclusively (its record) goes after every earlier change
     * that uses the key; one that marks a key (a parent's value, a delete of an object) after every
     * earlier change that reads it; one that reads a key after every earlier change that writes or
     * marks it. Marks do not exclude each other: parents go together. Changes of one level share
     * no key they may not share, so they may go in any order and in the same calls.
     */
    private List<List<List<WriteItem>>> levels() {
        Set<String> parents = new HashSet<>();
        rules.objectsByTable().values().forEach(o -> parents.addAll(o.parentObjects()));
        Map<String, Integer> lastWrite = new HashMap<>();
        Map<String, Integer> lastRead = new HashMap<>();
        Map<RecordKey, Map<String, Object>> known = new HashMap<>();
        TreeMap<Integer, Map<String, List<WriteItem>>> levels = new TreeMap<>();
        for (Change c : changes) {
            WriteItem item = rules.item(c);
            Set<String> writes = new HashSet<>();
            Set<String> marks = new HashSet<>();
            Set<String> reads = new HashSet<>();
            Map<String, Object> knownValues = parents.contains(c.object()) ? known.computeIfAbsent(RecordKey.of(c), k -> new HashMap<>()) : null;
            keys(c, item, knownValues, writes, marks, reads);
            int level = 0;
            for (String key : writes) {
                level = Math.max(level, Math.max(lastWrite.getOrDefault(key, -1), lastRead.getOrDefault(key, -1)) + 1);
            }
            for (String key : marks) {
                level = Math.max(level, lastRead.getOrDefault(key, -1) + 1);
            }
            for (String key : reads) {
                level = Math.max(level, lastWrite.getOrDefault(key, -1) + 1);
            }
            for (String key : writes) {
                lastWrite.put(key, level);
            }
            for (String key : marks) {
                lastWrite.merge(key, level, Math::max);
            }
            for (String key : reads) {
                lastRead.merge(key, level, Math::max);
            }
            levels.computeIfAbsent(level, l -> new LinkedHashMap<>()).computeIfAbsent(item.table() + "/" + item.operation(), k -> new ArrayList<>())
                    .add(item);
        }
        return levels.values().stream().map(runs -> List.copyOf(runs.values())).toList();
    }

    /**
     * What a change uses. It writes its record (by row and by sfid). A change of a parent object
     * ({@code knownValues} its record's values seen so far, else null) marks each value it sets and
     * each value it replaces (an unknown one: the whole column), and a delete marks its object, for
     * the children it may take with it. A child reads each parent it names by external ID, and its
     * parent objects' deletes; any value that looks like an sfid reads that record.
     */
    private void keys(Change c, WriteItem item, Map<String, Object> knownValues, Set<String> writes, Set<String> marks, Set<String> reads) {
        writes.add("row:" + c.table() + ":" + c.recordId());
        if (c.sfid() != null) {
            writes.add(sfidKey(c.sfid()));
        }
        if (knownValues != null && item.operation() == Operation.DELETE) {
            marks.add("delete:" + c.object());
        }
        for (Map.Entry<String, Object> value : c.values().entrySet()) {
            String column = value.getKey();
            if (knownValues != null) {
                marks.add("value:" + c.object() + ":" + column + ":" + value.getValue());
                if (knownValues.containsKey(column)) {
                    marks.add("value:" + c.object() + ":" + column + ":" + knownValues.get(column));
                } else if (c.action() == Action.UPDATE) {
                    marks.add("column:" + c.object() + ":" + column); // the value it replaces is not known: any child naming one
                }
            }
            if (value.getValue() instanceof String text && SFID.matcher(text).matches()) {
                reads.add(sfidKey(text));
            }
        }
        if (knownValues != null) {
            knownValues.putAll(c.values());
        }
        ObjectRules object = rules.rules(c.table());
        for (String parent : object.parentObjects()) {
            reads.add("delete:" + parent);
            for (String column : object.referenceColumns()) {
                Object named = c.values().get(column);
                int at = column.indexOf(REFERENCE);
                if (named != null && at >= 0) {
                    // the column is <relationship>__r__<external id field>: the parent's column of that field
                    String parentColumn = column.substring(at + REFERENCE.length());
                    reads.add("value:" + parent + ":" + parentColumn + ":" + named);
                    reads.add("column:" + parent + ":" + parentColumn);
                }
            }
        }
    }

    /** An 18-character Id is the 15-character one plus a case checksum: both name the same record. */
    private static String sfidKey(String sfid) {
        return "sfid:" + sfid.substring(0, Math.min(15, sfid.length()));
    }
}
