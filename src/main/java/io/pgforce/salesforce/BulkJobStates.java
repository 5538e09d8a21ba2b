package io.pgforce.salesforce;

import io.pgforce.route.PgforceConstants;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Job;

/**
 * camel-salesforce's bulk2CloseJob and bulk2AbortJob, each on an exchange of its own. When such a
 * call fails (a 503, a dropped connection), camel-salesforce 4.17 answers it twice
 * (DefaultBulkApiV2Client.changeJobState has no return after its error callback): on the route's
 * own exchange the rest of the route, and its redelivery, would run twice at once. Here the second
 * answer lands on an exchange nobody waits for any more.
 */
@ApplicationScoped
@Unremovable
@Named("bulkJobStates")
public class BulkJobStates {

    private final ProducerTemplate producer;

    @Inject
    BulkJobStates(ProducerTemplate producer) {
        this.producer = producer;
    }

    /** Upload complete: Salesforce processes the job. */
    public Job close(@Header(PgforceConstants.JOB_ID) String jobId) throws Exception {
        return change("salesforce:bulk2CloseJob", jobId);
    }

    public Job abort(@Header(PgforceConstants.JOB_ID) String jobId) throws Exception {
        return change("salesforce:bulk2AbortJob", jobId);
    }

    private Job change(String uri, String jobId) throws Exception {
        Exchange done = producer.request(uri, e -> e.getMessage().setHeader(PgforceConstants.JOB_ID, jobId));
        if (done.getException() != null) {
            throw done.getException();
        }
        return done.getMessage().getBody(Job.class);
    }
}
