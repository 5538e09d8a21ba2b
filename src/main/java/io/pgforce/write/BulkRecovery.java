package io.pgforce.write;

import io.pgforce.salesforce.BatchProgress;
import io.pgforce.plan.Change;
import io.pgforce.plan.PlanRules;
import io.pgforce.plan.Planner;
import io.pgforce.route.PgforceConstants;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * The steps of the recovery route around the Bulk jobs an interrupted cycle (a crash, a failed
 * cycle) left: claimed rows that carry a job id become that job's batch again, so that the job
 * can be resolved (see routes/salesforce-bulk.yaml); what the job wrote leaves the cycle's
 * changes, everything else is planned as usual.
 */
@ApplicationScoped
@Unremovable
@Named("bulkRecovery")
public class BulkRecovery {

    private final PlanRules rules;

    @Inject
    BulkRecovery(PlanRules rules) {
        this.rules = rules;
    }

    /** One batch per Bulk job the claimed changes carry, of exactly the rows it carried, resuming that job. */
    public List<BatchProgress> interrupted(List<Change> changes) {
        List<BatchProgress> jobs = new ArrayList<>();
        Planner.interruptedBulkJobs(rules, changes).forEach((jobId, batch) -> {
            BatchProgress progress = new BatchProgress(batch, List.of());
            progress.bulkJobCreated(jobId);
            jobs.add(progress);
        });
        return jobs;
    }

    /** The claimed changes left to plan: all but those an interrupted job is known to have written. */
    public List<Change> unsettled(@ExchangeProperty(PgforceConstants.CHANGES) List<Change> changes, @Body List<BatchProgress> jobs) {
        Set<Long> written = new HashSet<>();
        jobs.forEach(job -> written.addAll(job.concludedLogIds()));
        return written.isEmpty() ? changes : changes.stream().filter(c -> !written.contains(c.logId())).toList();
    }
}
