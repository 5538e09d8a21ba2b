package io.pgforce.read;

import io.pgforce.config.Mapping;
import io.pgforce.route.PgforceConstants;
import io.pgforce.salesforce.SalesforceFailures;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.SQLException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.salesforce.api.dto.bulkv2.ContentTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.QueryJob;
import org.jboss.logging.Logger;

/**
 * A Bulk load's query job, around camel-salesforce's bulk2 query operations (routes/read.yaml):
 * the job to create ({@code queryAll}, so that deleted records come too, as a REST load's), its id
 * recorded in the read state as soon as Salesforce answers, and what each status poll means: its
 * results are ready, it is still running, or it failed, was aborted or is gone, and a new job
 * takes its place.
 */
@ApplicationScoped
@Unremovable
@Named("bulkQueryJobs")
public class BulkQueryJobs {

    private static final Logger LOG = Logger.getLogger("io.pgforce.read");

    private final ReadStates states;

    @Inject
    BulkQueryJobs(ReadStates states) {
        this.states = states;
    }

    /** The job to create for the load. */
    public QueryJob job(@ExchangeProperty(PgforceConstants.READ) ReadRun run) {
        QueryJob job = new QueryJob();
        job.setOperation(OperationEnum.QUERY_ALL);
        job.setQuery(ReadQuery.bulkSoql(run.mapping()));
        job.setContentType(ContentTypeEnum.CSV);
        return job;
    }

    /** Salesforce created the job: recorded before anything else, so that no interruption from here on creates another. */
    public void created(@Body QueryJob job, @ExchangeProperty(PgforceConstants.READ) ReadRun run) throws SQLException {
        states.bulkJobCreated(run.mapping(), job.getId());
        run.bulkJobCreated(job.getId());
        LOG.debugf("Bulk query job %s reads %s", job.getId(), run.mapping().object());
    }

    /** A status poll's answer (a call, counted). */
    public void polled(@Body QueryJob job, @ExchangeProperty(PgforceConstants.READ) ReadRun run) throws SQLException {
        states.called(run.mapping());
        switch (job.getState()) {
            case JOB_COMPLETE -> run.bulkJobCompleted();
            case FAILED -> replaced(run, "failed");
            case ABORTED -> replaced(run, "was aborted");
            default -> LOG.tracef("Bulk query job %s: %s", job.getId(), job.getState());
        }
    }

    /** A status poll failed: a job Salesforce does not know (deleted, or past its 7 days) is replaced; any other failure is the read's. */
    public void pollFailed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure, @ExchangeProperty(PgforceConstants.READ) ReadRun run) throws Exception {
        if (!SalesforceFailures.notFound(failure)) {
            throw failure;
        }
        states.called(run.mapping()); // answered, if with a 404
        replaced(run, "is not known to Salesforce");
    }

    /** A results page failed: a locator Salesforce no longer takes means a new job from the first page; any other failure is the read's. */
    public void pageFailed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure, @ExchangeProperty(PgforceConstants.READ) ReadRun run) throws Exception {
        if (!ReadFailures.locatorRefused(failure)) {
            throw failure;
        }
        states.called(run.mapping()); // answered, if with a refusal
        replaced(run, "refused the locator of its next results page");
    }

    private void replaced(ReadRun run, String why) throws SQLException {
        Mapping m = run.mapping();
        LOG.warnf("Bulk query job %s of %s %s: a new job loads %s from its first record (rows already applied are matched, not doubled)",
                run.bulkJobId(), m.object(), why, m.table());
        states.bulkJobGone(m);
        run.bulkJobGone();
    }
}
