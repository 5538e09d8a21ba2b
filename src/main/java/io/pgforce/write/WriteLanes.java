package io.pgforce.write;

import io.pgforce.plan.BatchDependencies;
import io.pgforce.plan.ParentLocks;
import io.pgforce.plan.PlanRules;
import io.pgforce.plan.WriteBatch;
import io.pgforce.plan.WritePlan;
import io.pgforce.route.PgforceConstants;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.quarkus.main.events.BeforeConfigure;

/**
 * The lanes a plan's batches are written on: the route {@code pgforce-write} splits the plan over
 * the thread pool profile {@value #PROFILE} ({@code write_concurrency} threads, from Camel's
 * executor manager), in plan order. With 1 (the default, the original's serial writer) each batch
 * goes after the one before it. With more, a batch waits only for the earlier batches it depends on
 * ({@link BatchDependencies}): every record's changes keep their trigger-log order and a child never
 * overtakes its parent; and it does not start beside a batch that locks a record it locks too
 * ({@link ParentLocks}), which Salesforce would fail with UNABLE_TO_LOCK_ROW. The lanes take batches in plan order and a batch depends only on earlier
 * ones, so the earliest batch not written always has its dependencies written: no lane waits for
 * ever. A batch that fails for an unexpected reason ends the round: no other batch starts, the
 * batches on their way finish, and the failure is the round's.
 */
@ApplicationScoped
@Unremovable
@Named("writeLanes")
public class WriteLanes {

    /** The split's {@code executorService}: a profile, so Camel creates, names and stops the pool. */
    static final String PROFILE = "pgforceWriteLanes";

    private final PlanRules rules;

    @Inject
    WriteLanes(PlanRules rules) {
        this.rules = rules;
    }

    /** Before the routes are made: the profile the split's pool is made from. */
    static void registerProfile(@Observes BeforeConfigure event, PlanRules rules) {
        int lanes = rules.writeConcurrency();
        event.getCamelContext().getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder(PROFILE)
                // a queue, not Camel's direct hand-over (a size of 0 or less): a split that finds every lane
                // busy would then run the next batch on the lane that submits it (caller runs), after its own
                // batch, and fewer batches would be written at once
                .poolSize(lanes).maxPoolSize(lanes).maxQueueSize(Integer.MAX_VALUE).build());
    }

    /** Body: the plan. Keeps its schedule in the round's state and returns its batches, for the split. */
    public List<WriteBatch> schedule(WritePlan plan, @ExchangeProperty(PgforceConstants.ROUND) RoundState round) {
        List<WriteBatch> batches = plan.batches();
        round.schedule(rules.writeConcurrency() == 1 ? LaneSchedule.serial(batches.size())
                : LaneSchedule.of(BatchDependencies.of(batches, rules), ParentLocks.of(batches, rules)));
        return batches;
    }

    /** Waits until the batches this one depends on are written; false once the round has failed (the batch is not sent). */
    public boolean awaitTurn(@ExchangeProperty(Exchange.SPLIT_INDEX) int batch, @ExchangeProperty(PgforceConstants.ROUND) RoundState round)
            throws InterruptedException {
        return round.schedule().awaitTurn(batch);
    }

    public void written(@ExchangeProperty(Exchange.SPLIT_INDEX) int batch, @ExchangeProperty(PgforceConstants.ROUND) RoundState round) {
        round.schedule().finished(batch, null);
    }

    public void failed(@ExchangeProperty(Exchange.SPLIT_INDEX) int batch, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure,
                       @ExchangeProperty(PgforceConstants.ROUND) RoundState round) {
        round.schedule().finished(batch, failure);
    }

    /** After the split: the round fails with the first batch's failure, if one failed. */
    public void end(@ExchangeProperty(PgforceConstants.ROUND) RoundState round) throws Exception {
        round.schedule().rethrow();
    }
}
