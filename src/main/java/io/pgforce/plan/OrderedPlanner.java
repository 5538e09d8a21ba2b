package io.pgforce.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ordered Writes: every change is its own item, and the plan sends them in trigger-log order.
 * Contiguous changes of one object and one action form runs; a run of at least 2,000 (cut where a
 * record repeats) goes to Bulk when the connection and mapping allow it, in jobs of at most 10,000
 * (more, of at least 2,000 each, when several may run at once);
 * everything else is packed into SOAP messages.
 */
final class OrderedPlanner implements Planner {

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
        for (List<WriteItem> run : runs()) {
            ObjectRules object = rules.rules(run.get(0).table());
            boolean bulk = rules.bulkAllowed(object) && run.size() >= rules.bulkMinRun()
                    && run.stream().noneMatch(i -> i.operation() == Operation.CREATE); // inserts go to Bulk as upserts only
            if (bulk) {
                int jobs = rules.bulkJobs(run.size());
                if (jobs == (run.size() + rules.bulkMaxJob() - 1) / rules.bulkMaxJob()) {
                    // as the original: full jobs, the rest in the last
                    for (int from = 0; from < run.size(); from += rules.bulkMaxJob()) {
                        packer.bulk(run.subList(from, Math.min(run.size(), from + rules.bulkMaxJob())));
                    }
                } else {
                    // more jobs than the limit needs, to run at once: even shares
                    for (int j = 0; j < jobs; j++) {
                        packer.bulk(run.subList(run.size() * j / jobs, run.size() * (j + 1) / jobs));
                    }
                }
            } else {
                run.forEach(packer::soap);
            }
        }
        return new WritePlan(packer.finish(), List.of(), List.of());
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
}
