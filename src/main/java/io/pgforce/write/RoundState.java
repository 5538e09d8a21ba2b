package io.pgforce.write;

import io.pgforce.salesforce.Outcome;
import io.pgforce.plan.Operation;
import io.pgforce.plan.RecordKey;
import io.pgforce.plan.WriteBatch;
import io.pgforce.plan.WriteItem;
import io.pgforce.salesforce.RecordError;
import io.pgforce.triggerlog.Claims;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a claim round has learnt so far, applied to each batch before it is sent. A batch goes out
 * only after the batches it depends on (see {@link WriteLanes}), so by then the sfids of records
 * inserted earlier in the round are known, and under Ordered Writes the records whose insert
 * failed are known too: their later changes are held back (not sent, left NEW) until the user
 * resubmits the insert. Lanes share it, hence the concurrent maps. It also holds the plan's
 * schedule on the lanes. The exchange property
 * {@link io.pgforce.route.PgforceConstants#ROUND} carries it.
 */
public final class RoundState {

    private final boolean holdBehindFailedInserts;
    private final Map<RecordKey, Long> failedInserts = new ConcurrentHashMap<>();
    private final Map<RecordKey, String> sfids = new ConcurrentHashMap<>();
    private volatile LaneSchedule schedule;

    public RoundState(boolean holdBehindFailedInserts) {
        this.holdBehindFailedInserts = holdBehindFailedInserts;
    }

    /** The part of a batch that can be sent now, and the outcomes of the items that cannot. */
    public record Admission(WriteBatch toSend, List<Outcome> outcomes) {
    }

    public Admission admit(WriteBatch batch) {
        List<WriteItem> send = new ArrayList<>(batch.items().size());
        List<Outcome> outcomes = new ArrayList<>();
        // a graph's later node names a record an earlier node of its graph inserts by the insert's result
        java.util.Set<RecordKey> insertedInGraph = new java.util.HashSet<>();
        for (WriteItem item : batch.items()) {
            RecordKey key = RecordKey.of(item);
            if (batch.api() == io.pgforce.plan.Api.GRAPH && item.operation().isInsert()) {
                insertedInGraph.add(key);
            }
            Long blocker = failedInserts.get(key);
            if (holdBehindFailedInserts && blocker != null) {
                // a delete behind a failed insert: the record never reached Salesforce, and the row is gone
                outcomes.add(item.operation() == Operation.DELETE ? Outcome.ignored(item, Claims.neverInsertedNote(blocker))
                        : Outcome.held(item, Claims.heldNote(blocker)));
                continue;
            }
            if (item.operation().isInsert() || item.sfid() != null || insertedInGraph.contains(key)) {
                send.add(item);
                continue;
            }
            String sfid = sfids.get(key);
            if (sfid != null) {
                send.add(withSfid(item, sfid));
            } else if (item.operation() == Operation.DELETE) {
                outcomes.add(Outcome.ignored(item, "The record never reached Salesforce: nothing to delete"));
            } else {
                outcomes.add(Outcome.failed(item, RecordError.fromPgforce("MISSING_SFID",
                        "The record has no sfid: its insert has not reached Salesforce (resubmit the insert first)")));
            }
        }
        return new Admission(batch.with(send), outcomes);
    }

    public void record(Outcome outcome) {
        RecordKey key = RecordKey.of(outcome.item());
        if (outcome.kind() == Outcome.Kind.SUCCESS && outcome.sfid() != null) {
            sfids.put(key, outcome.sfid());
            failedInserts.remove(key);
        } else if (outcome.isFailedInsert()) {
            failedInserts.putIfAbsent(key, outcome.item().logId());
        }
    }

    /** The plan's schedule on the lanes, set once the round has planned. */
    void schedule(LaneSchedule schedule) {
        this.schedule = schedule;
    }

    LaneSchedule schedule() {
        return schedule;
    }

    private static WriteItem withSfid(WriteItem item, String sfid) {
        return new WriteItem(item.table(), item.object(), item.recordId(), item.operation(), sfid, item.values(), item.logId(), item.foldedLogIds());
    }
}
