package io.pgforce.write;

import io.pgforce.salesforce.Outcome;
import io.pgforce.salesforce.BatchProgress;
import io.pgforce.config.MappingSet;
import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.WriteActivity;
import io.pgforce.plan.WriteAlgorithm;
import io.pgforce.plan.WriteBatch;
import io.pgforce.plan.WriteItem;
import io.pgforce.plan.WritePlan;
import io.pgforce.route.PgforceConstants;
import io.pgforce.salesforce.RecordError;
import io.pgforce.salesforce.RecordMapper;
import io.pgforce.salesforce.SalesforceUnavailableException;
import io.pgforce.triggerlog.Settler;
import io.pgforce.triggerlog.TriggerLogState;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

/**
 * The write routes' steps around a batch's Salesforce call: a round's state, admitting a batch
 * (holds, sfids), and handing what came of it to the write-back. Outcomes leave a batch's
 * progress only once the write-back holds them, and the write-back keeps them until the trigger
 * log has recorded them, so a failed write-back is retried without sending anything again.
 */
@ApplicationScoped
@Unremovable
@Named("batchSteps")
public class BatchSteps {

    private static final Logger LOG = Logger.getLogger(BatchSteps.class);

    private final Settler settler;
    private final WriteBack writeBack;
    private final boolean ordered;
    private final ConnectionStatus status;
    private final WriteActivity activity;
    private final RecordMapper recordMapper;

    @Inject
    BatchSteps(Settler settler, WriteBack writeBack, MappingSet mappings, ConnectionStatus status, WriteActivity activity,
                RecordMapper recordMapper) {
        this.recordMapper = recordMapper;
        this.settler = settler;
        this.writeBack = writeBack;
        this.status = status;
        this.activity = activity;
        this.ordered = mappings.connection().writeAlgorithm() == WriteAlgorithm.ORDERED;
    }

    public RoundState newRound() {
        return new RoundState(ordered);
    }

    /** Records rows the plan folded away, logs its warnings, and hands the plan on. */
    public WritePlan settleFolded(WritePlan plan) throws SQLException {
        settler.settleUnsent(plan.settledWithoutWrite(), TriggerLogState.MERGED, "folded away: nothing left to send");
        plan.warnings().forEach(LOG::warn);
        return plan;
    }

    /**
     * The batch's progress, which the route keeps as the {@link PgforceConstants#PROGRESS} property: the SOAP and
     * Bulk routes start from it, so that a redelivery after an outage resumes from what is recorded there.
     */
    public BatchProgress admit(WriteBatch batch, @ExchangeProperty(PgforceConstants.ROUND) RoundState round) {
        RoundState.Admission admission = round.admit(batch);
        // a value that cannot be sent fails its own record here, not the call it would travel in
        List<WriteItem> send = new ArrayList<>(admission.toSend().items().size());
        List<Outcome> outcomes = new ArrayList<>(admission.outcomes());
        for (WriteItem item : admission.toSend().items()) {
            Optional<RecordError> refusal = recordMapper.refusal(item);
            if (refusal.isPresent()) {
                outcomes.add(Outcome.failed(item, refusal.get()));
            } else {
                send.add(item);
            }
        }
        return new BatchProgress(admission.toSend().with(send), outcomes);
    }

    /** The batch is about to go out (its rows were marked as sent when they were claimed). */
    public BatchProgress sending(BatchProgress progress) {
        status.working(ConnectionState.WRITING, "sending " + progress.logIds().size() + " change(s)");
        return progress;
    }

    /** The Bulk job is created: its id goes on the batch's rows, so that after a crash its results are read, not its rows sent again. */
    public void bulkJobCreated(@ExchangeProperty(PgforceConstants.PROGRESS) BatchProgress progress) throws SQLException {
        settler.markBulkJob(progress.logIds(), progress.getBulkJobId());
    }

    /**
     * Records what a Bulk job an interrupted cycle left is known to have written; its other rows
     * stay pending and are planned again.
     */
    public void recordWritten(@ExchangeProperty(PgforceConstants.PROGRESS) BatchProgress progress, @ExchangeProperty(PgforceConstants.ROUND) RoundState round) {
        record(progress, progress.outcomes(), round);
    }

    /**
     * Hands every outcome to the write-back; returns the failed inserts, for the error
     * channel, once they are recorded (the channel hears of a failure the trigger log shows).
     */
    public List<Outcome> finish(BatchProgress progress, @ExchangeProperty(PgforceConstants.ROUND) RoundState round) throws InterruptedException, ExecutionException {
        if (progress.isPendingSend()) {
            // every record leaves a batch with an outcome; anything else would silently stay PENDING
            throw new IllegalStateException(progress + ": records were neither sent nor given an outcome");
        }
        List<Outcome> outcomes = progress.outcomes();
        CompletableFuture<Void> recorded = record(progress, outcomes, round);
        int succeeded = (int) outcomes.stream().filter(o -> o.kind() == Outcome.Kind.SUCCESS).count();
        int refused = (int) outcomes.stream().filter(o -> o.kind() == Outcome.Kind.FAILED).count();
        if (succeeded + refused > 0) {
            activity.call(progress.getApi().name(), progress.operation().name().toLowerCase(Locale.ROOT), succeeded, refused);
        }
        List<Outcome> failedInserts = outcomes.stream().filter(Outcome::isFailedInsert).toList();
        if (!failedInserts.isEmpty()) {
            recorded.get();
        }
        return failedInserts;
    }

    /**
     * Salesforce took part of the batch and cannot take the rest now: hand over what succeeded
     * (so that it is never sent again) and fail the attempt so that the batch waits and retries.
     */
    public void waitForSalesforce(BatchProgress progress, @ExchangeProperty(PgforceConstants.ROUND) RoundState round) {
        record(progress, progress.successes(), round);
        throw new SalesforceUnavailableException(progress.takeUnavailableReason() + " (" + progress.pending().size() + " record(s) wait)");
    }

    private CompletableFuture<Void> record(BatchProgress progress, List<Outcome> outcomes, RoundState round) {
        outcomes.forEach(round::record); // later batches learn of them at once
        CompletableFuture<Void> recorded = writeBack.submit(outcomes);
        progress.recorded(outcomes);
        return recorded;
    }
}
