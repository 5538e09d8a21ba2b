package io.pgforce.write;

import io.pgforce.salesforce.Outcome;
import io.pgforce.salesforce.BatchProgress;
import io.pgforce.config.MappingSet;
import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.WriteActivity;
import io.pgforce.plan.WriteAlgorithm;
import io.pgforce.plan.WriteBatch;
import io.pgforce.plan.WritePlan;
import io.pgforce.salesforce.SalesforceUnavailableException;
import io.pgforce.triggerlog.TriggerLog;
import io.pgforce.triggerlog.TriggerLogState;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

/**
 * The steps of the write routes around the Salesforce calls: a cycle's state, admitting a batch
 * (holds, sfids), and recording what came of it. Outcomes leave a batch's progress only once the
 * trigger log has recorded them, so a failed write-back is retried without sending anything again.
 */
@ApplicationScoped
@Unremovable
@Named("batchRunner")
public class BatchRunner {

    public static final String CYCLE = "pgforceCycle";
    private static final Logger LOG = Logger.getLogger(BatchRunner.class);

    private final TriggerLog triggerLog;
    private final boolean ordered;
    private final ConnectionStatus status;
    private final WriteActivity activity;

    @Inject
    BatchRunner(TriggerLog triggerLog, MappingSet mappings, ConnectionStatus status, WriteActivity activity) {
        this.triggerLog = triggerLog;
        this.status = status;
        this.activity = activity;
        this.ordered = mappings.connection().writeAlgorithm() == WriteAlgorithm.ORDERED;
    }

    public CycleState newCycle() {
        return new CycleState(ordered);
    }

    /** Records rows the plan folded away, logs its warnings, and hands the plan on. */
    public WritePlan settleFolded(WritePlan plan) throws SQLException {
        triggerLog.settleUnsent(plan.settledWithoutWrite(), TriggerLogState.MERGED, "folded away: nothing left to send");
        plan.warnings().forEach(LOG::warn);
        return plan;
    }

    /**
     * The batch's progress, also kept as the {@link BatchProgress#PROPERTY} property: the SOAP and Bulk routes
     * start from it, so that a redelivery after an outage resumes from what is recorded there.
     */
    public BatchProgress admit(WriteBatch batch, @ExchangeProperty(CYCLE) CycleState cycle, Exchange exchange) {
        CycleState.Admission admission = cycle.admit(batch);
        BatchProgress progress = new BatchProgress(admission.toSend(), admission.settled());
        exchange.setProperty(BatchProgress.PROPERTY, progress);
        return progress;
    }

    /** The batch is about to go out: from now on its records may be in Salesforce whatever happens. */
    public BatchProgress sending(BatchProgress progress) throws SQLException {
        triggerLog.markSent(progress.logIds(), null);
        status.working(ConnectionState.WRITING, "sending " + progress.logIds().size() + " change(s)");
        return progress;
    }

    /** The Bulk job is created: its id goes on the batch's rows, so that after a crash its results are read, not its rows sent again. */
    public void bulkJobCreated(@ExchangeProperty(BatchProgress.PROPERTY) BatchProgress progress) throws SQLException {
        triggerLog.markSent(progress.logIds(), progress.getBulkJobId());
    }

    /**
     * Records what a Bulk job an interrupted cycle left is known to have written; its other rows
     * stay pending and are planned again.
     */
    public void recordWritten(@ExchangeProperty(BatchProgress.PROPERTY) BatchProgress progress, @ExchangeProperty(CYCLE) CycleState cycle) throws SQLException {
        record(progress, progress.settled(), cycle);
    }

    /** Records every settled outcome; returns the failed inserts, for the error channel. */
    public List<Outcome> finish(BatchProgress progress, @ExchangeProperty(CYCLE) CycleState cycle) throws SQLException {
        if (progress.isPendingSend()) {
            // every record leaves a batch settled; anything else would silently stay PENDING
            throw new IllegalStateException(progress + ": records were neither sent nor settled");
        }
        List<Outcome> outcomes = record(progress, progress.settled(), cycle);
        int succeeded = (int) outcomes.stream().filter(o -> o.kind() == Outcome.Kind.SUCCESS).count();
        int refused = (int) outcomes.stream().filter(o -> o.kind() == Outcome.Kind.FAILED).count();
        if (succeeded + refused > 0) {
            activity.call(progress.getApi().name(), progress.operation().name().toLowerCase(Locale.ROOT), succeeded, refused);
        }
        return outcomes.stream().filter(Outcome::isFailedInsert).toList();
    }

    /**
     * Salesforce took part of the batch and cannot take the rest now: write down what succeeded
     * (so that it is never sent again) and fail the attempt so that the batch waits and retries.
     */
    public void waitForSalesforce(BatchProgress progress, @ExchangeProperty(CYCLE) CycleState cycle) throws SQLException {
        record(progress, progress.settledSuccesses(), cycle);
        throw new SalesforceUnavailableException(progress.takeUnavailableReason() + " (" + progress.pending().size() + " record(s) wait)");
    }

    private List<Outcome> record(BatchProgress progress, List<Outcome> outcomes, CycleState cycle) throws SQLException {
        activity.acknowledged(triggerLog.settle(outcomes.stream().map(Outcome::settlement).toList()));
        progress.recorded(outcomes);
        outcomes.stream().collect(Collectors.groupingBy(o -> List.of(o.item().object(),
                        o.item().operation().isInsert() ? "INSERT" : o.item().operation().name(), o.kind().name()), Collectors.counting()))
                .forEach((key, n) -> activity.settled(key.get(0), key.get(1), key.get(2), n));
        outcomes.forEach(cycle::record);
        return outcomes;
    }
}
