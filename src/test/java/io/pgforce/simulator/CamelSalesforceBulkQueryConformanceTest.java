package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.QueryJob;
import org.apache.camel.component.salesforce.api.dto.bulkv2.QueryJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** camel-salesforce's own bulk2 query job operations, unchanged, against the simulator. */
@ExtendWith(SimulatorExtension.class)
class CamelSalesforceBulkQueryConformanceTest {

    private CamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void camel(SalesforceSimulator sf) throws Exception {
        camel = SimulatorClients.camel(SimulatorClients.salesforce(sf));
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private QueryJob create(OperationEnum operation, String soql) {
        QueryJob job = new QueryJob();
        job.setOperation(operation);
        job.setQuery(soql);
        return producer.requestBody("salesforce:bulk2CreateQueryJob", job, QueryJob.class);
    }

    private QueryJob get(String id) {
        return producer.requestBodyAndHeader("salesforce:bulk2GetQueryJob", null, "jobId", id, QueryJob.class);
    }

    private void awaitComplete(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> get(id).getState() == JobStateEnum.JOB_COMPLETE);
    }

    /** One page of results: camel-salesforce's exchange, its body the CSV and its headers the response's. */
    private Exchange results(String id, String locator, Integer maxRecords) {
        return producer.request("salesforce:bulk2GetQueryJobResults", e -> {
            e.getMessage().setHeader("jobId", id);
            e.getMessage().setHeader("locator", locator);
            e.getMessage().setHeader("maxRecords", maxRecords);
        });
    }

    private static String csv(Exchange page) throws Exception {
        return new String(page.getMessage().getBody(InputStream.class).readAllBytes(), StandardCharsets.UTF_8);
    }

    private List<QueryJob> allJobs() {
        QueryJobs jobs = producer.requestBody("salesforce:bulk2GetAllQueryJobs", null, QueryJobs.class);
        assertThat(jobs.getDone()).isTrue();
        return jobs.getRecords();
    }

    @Test
    void aQueryJobRunsAndItsResultsArePagedWithTheLocatorAndMaxRecords(SalesforceSimulator sf) throws Exception {
        List<String> created = TestRecords.accounts(sf, 2500);
        QueryJob job = create(OperationEnum.QUERY, "SELECT Id, Name FROM Account ORDER BY Name");
        assertThat(job.getState()).isEqualTo(JobStateEnum.UPLOAD_COMPLETE);
        assertThat(job.getJobType()).isEqualTo(JobTypeEnum.V2Query);
        assertThat(job.getObject()).isEqualTo("Account");
        awaitComplete(job.getId());
        assertThat(get(job.getId()).getNumberRecordsProcessed()).isEqualTo(2500);

        List<String> ids = new ArrayList<>();
        List<Object> sizes = new ArrayList<>();
        String locator = null;
        do {
            Exchange page = results(job.getId(), locator, 1000);
            assertThat(page.getException()).isNull();
            String body = csv(page);
            assertThat(body.lines().findFirst()).hasValue("\"Id\",\"Name\"");
            body.lines().skip(1).forEach(l -> ids.add(l.substring(1, 19)));
            sizes.add(page.getMessage().getHeader("Sforce-NumberOfRecords"));
            locator = page.getMessage().getHeader("Sforce-Locator", String.class);
            assertThat(sizes).as("pages so far: the locator must lead to the end").hasSizeLessThan(5);
        } while (!"null".equals(locator));
        assertThat(sizes).containsExactly("1000", "1000", "500");
        assertThat(ids).containsExactlyElementsOf(created);

        assertThat(allJobs()).extracting(QueryJob::getId).containsExactly(job.getId());
        producer.requestBodyAndHeader("salesforce:bulk2DeleteQueryJob", null, "jobId", job.getId());
        assertThat(allJobs()).isEmpty();
    }

    @Test
    void queryAllSeesDeletedRecordsAndResultsBeforeTheEndAreRefused(SalesforceSimulator sf) throws Exception {
        List<String> created = TestRecords.accounts(sf, 3);
        TestRecords.delete(sf, created.get(0));
        QueryJob all = create(OperationEnum.QUERY_ALL, "SELECT Id, IsDeleted FROM Account WHERE IsDeleted = true");
        assertThat(all.getOperation()).isEqualTo(OperationEnum.QUERY_ALL);
        awaitComplete(all.getId());
        assertThat(csv(results(all.getId(), null, null))).isEqualTo("\"Id\",\"IsDeleted\"\n\"" + created.get(0) + "\",\"true\"\n");

        sf.faults().profile(new LatencyProfile("queued", 0, 0, 0, 5_000, 0));
        QueryJob waiting = create(OperationEnum.QUERY, "SELECT Id FROM Account");
        assertThatThrownBy(() -> producer.requestBodyAndHeader("salesforce:bulk2GetQueryJobResults", null, "jobId", waiting.getId()))
                .isInstanceOf(CamelExecutionException.class).cause().isInstanceOfSatisfying(SalesforceException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(412));
        QueryJob aborted = producer.requestBodyAndHeader("salesforce:bulk2AbortQueryJob", null, "jobId", waiting.getId(), QueryJob.class);
        assertThat(aborted.getState()).isEqualTo(JobStateEnum.ABORTED);
        producer.requestBodyAndHeader("salesforce:bulk2DeleteQueryJob", null, "jobId", waiting.getId());
        assertThat(allJobs()).extracting(QueryJob::getId).containsExactly(all.getId());
    }
}
