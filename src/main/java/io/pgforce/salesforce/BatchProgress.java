package io.pgforce.salesforce;

import io.pgforce.plan.Api;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteBatch;
import io.pgforce.plan.WriteItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch on its way out: what is still to send and the outcomes known so far (recorded in the
 * trigger log later, by the write-back). It is the body
 * that travels through the SOAP and Bulk routes, so that a redelivery after Salesforce was
 * unavailable sends only what did not go yet (a create that succeeded is never sent twice). The
 * exchange property {@link io.pgforce.route.PgforceConstants#PROGRESS} carries it.
 */
public final class BatchProgress {

    private final WriteBatch batch;
    private final Map<Long, WriteItem> pending = new java.util.LinkedHashMap<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    /** Failed attempts of records Salesforce could not take for a moment (a lock, a timeout), and the last such error. */
    private final Map<Long, Integer> attempts = new HashMap<>();
    private final Map<Long, RecordError> transientErrors = new HashMap<>();
    private int sessionRenewals;
    private String unavailable;
    private String bulkJobId;
    private boolean bulkDone;

    public BatchProgress(WriteBatch batch, List<Outcome> knownOutcomes) {
        this.batch = batch;
        batch.items().forEach(i -> pending.put(i.logId(), i));
        this.outcomes.addAll(knownOutcomes);
    }

    public WriteBatch batch() {
        return batch;
    }

    public Api getApi() {
        return batch.api();
    }

    public Operation operation() {
        return batch.operation();
    }

    public String externalIdField() {
        return batch.externalIdField();
    }

    public List<WriteItem> pending() {
        return List.copyOf(pending.values());
    }

    public boolean isPendingSend() {
        return !pending.isEmpty();
    }

    public void succeeded(WriteItem item, String sfid) {
        RecordError before = transientErrors.get(item.logId());
        String note = before == null ? null
                : "Written on attempt " + (attempts.get(item.logId()) + 1) + " (before: " + before.describe() + ")";
        conclude(Outcome.success(item, sfid == null ? item.sfid() : sfid, note));
    }

    public void failed(WriteItem item, RecordError error) {
        Integer tries = attempts.get(item.logId());
        conclude(Outcome.failed(item, tries == null ? error
                : new RecordError(error.source(), error.statusCode(), error.message() + " (" + (tries + 1) + " attempts)", error.fields())));
    }

    /**
     * A transient per-record failure (a lock, a timeout): the record stays pending for another
     * attempt, unless it has had {@code mostAttempts}. Returns whether it is tried again.
     */
    public boolean retryLater(WriteItem item, RecordError error, int mostAttempts) {
        int attempt = attempts.getOrDefault(item.logId(), 0) + 1;
        if (attempt >= mostAttempts) {
            return false; // the last attempt: it fails, and says after how many
        }
        attempts.put(item.logId(), attempt);
        transientErrors.put(item.logId(), error);
        return true;
    }

    /** How many attempts the most tried record still pending has had (0: none waits after a transient error). */
    public int transientAttempts() {
        int most = 0;
        for (Long id : pending.keySet()) {
            if (transientErrors.containsKey(id)) {
                most = Math.max(most, attempts.get(id));
            }
        }
        return most;
    }

    /** Every item still pending fails with the same error (a fault that concerns the whole call). */
    public void failAll(RecordError error) {
        for (WriteItem item : List.copyOf(pending.values())) {
            failed(item, error);
        }
    }

    /** Salesforce could not take some records now (maintenance, limits): they stay pending for a later attempt. */
    public void unavailable(String reason) {
        this.unavailable = reason;
    }

    public boolean isUnavailable() {
        return unavailable != null;
    }

    /** The reason, and clears it for the next attempt. */
    public String takeUnavailableReason() {
        String reason = unavailable;
        unavailable = null;
        return reason;
    }

    /** The Bulk job holding this batch, once created: a retry after an outage asks Salesforce what became of it. */
    public String getBulkJobId() {
        return bulkJobId;
    }

    public void bulkJobCreated(String jobId) {
        this.bulkJobId = jobId;
    }

    /** The job never got (all of) its records and is aborted or unknown: the batch starts over in a new job. */
    public void bulkJobAbandoned() {
        this.bulkJobId = null;
    }

    /** The items no longer pending: with an outcome, whether recorded yet or not. */
    public List<Long> concludedLogIds() {
        List<Long> ids = new ArrayList<>();
        for (WriteItem item : batch.items()) {
            if (!pending.containsKey(item.logId())) {
                ids.add(item.logId());
            }
        }
        return ids;
    }

    /** The Bulk job's results are read; what is still pending goes over SOAP. */
    public boolean isBulkDone() {
        return bulkDone;
    }

    public void bulkFinished() {
        this.bulkDone = true;
    }

    public int renewedSession() {
        return ++sessionRenewals;
    }

    private void conclude(Outcome outcome) {
        pending.remove(outcome.item().logId());
        outcomes.add(outcome);
    }

    /** The outcomes not yet recorded, in the order they came. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** The successful outcomes not yet recorded: recorded at once so that they are never sent again. */
    public List<Outcome> successes() {
        return outcomes.stream().filter(o -> o.kind() == Outcome.Kind.SUCCESS).toList();
    }

    /** These outcomes are recorded in the trigger log: only now may the batch forget them. */
    public void recorded(List<Outcome> recorded) {
        // by identity, in one pass: a Bulk job's outcomes are tens of thousands, and records compare field by field
        Set<Outcome> done = Collections.newSetFromMap(new IdentityHashMap<>());
        done.addAll(recorded);
        outcomes.removeIf(done::contains);
    }

    /** Every item of the batch, sent or not, with the rows folded into it. */
    public List<Long> logIds() {
        List<Long> ids = new ArrayList<>();
        for (WriteItem item : batch.items()) {
            ids.add(item.logId());
            ids.addAll(item.foldedLogIds());
        }
        return ids;
    }

    @Override
    public String toString() {
        return batch.api() + " " + batch.operation() + " batch #" + batch.sequence() + ": " + pending.size() + " to send, " + outcomes.size() + " with an outcome";
    }
}
