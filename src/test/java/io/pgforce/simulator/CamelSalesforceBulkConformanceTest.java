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
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;
import org.apache.camel.component.salesforce.api.dto.bulkv2.ContentTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Job;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.LineEndingEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.QueryJob;
import org.apache.camel.component.salesforce.api.dto.bulkv2.QueryJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** camel-salesforce's own bulk2 operations (ingest and query jobs) and REST operations, unchanged, against the simulator. */
@ExtendWith(SimulatorExtension.class)
class CamelSalesforceBulkConformanceTest {

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

    private Job job(OperationEnum operation, String externalId) {
        Job job = new Job();
        job.setObject("Account");
        job.setOperation(operation);
        job.setExternalIdFieldName(externalId);
        job.setContentType(ContentTypeEnum.CSV);
        job.setLineEnding(LineEndingEnum.LF);
        return job;
    }

    private String csv(String path, String jobId) throws Exception {
        InputStream in = producer.requestBodyAndHeader("salesforce:" + path, null, "jobId", jobId, InputStream.class);
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aFullIngestJobWithFailures(SalesforceSimulator sf) throws Exception {
        Job created = producer.requestBody("salesforce:bulk2CreateJob", job(OperationEnum.UPSERT, "External_Id__c"), Job.class);
        assertThat(created.getState()).isEqualTo(JobStateEnum.OPEN);
        String id = created.getId();

        String data = "Name,External_Id__c,NumberOfEmployees\n"
                + "Acme,A-1,10\n"
                + "\"Globex, Inc.\",G-1,#N/A\n"
                + ",X-1,5\n"                     // no name: REQUIRED_FIELD_MISSING
                + "Initech,I-1,-3\n";            // validation rule
        producer.sendBodyAndHeader("salesforce:bulk2CreateBatch", data, "jobId", id);
        Job closed = producer.requestBodyAndHeader("salesforce:bulk2CloseJob", null, "jobId", id, Job.class);
        assertThat(closed.getState()).isEqualTo(JobStateEnum.UPLOAD_COMPLETE);

        await().atMost(Duration.ofSeconds(10)).until(() -> producer.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", id, Job.class)
                .getState() == JobStateEnum.JOB_COMPLETE);
        Job done = producer.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", id, Job.class);
        assertThat(done.getNumberRecordsProcessed()).isEqualTo(4);
        assertThat(done.getNumberRecordsFailed()).isEqualTo(2);

        String successes = csv("bulk2GetSuccessfulResults", id);
        assertThat(successes.lines().findFirst().orElseThrow()).isEqualTo("\"sf__Id\",\"sf__Created\",\"Name\",\"External_Id__c\",\"NumberOfEmployees\"");
        assertThat(successes).contains("\"true\",\"Acme\",\"A-1\",\"10\"").contains("\"Globex, Inc.\"");
        String failures = csv("bulk2GetFailedResults", id);
        assertThat(failures).contains("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --")
                .contains("FIELD_CUSTOM_VALIDATION_EXCEPTION:Number of employees cannot be negative:NumberOfEmployees --");
        assertThat(csv("bulk2GetUnprocessedRecords", id).lines().count()).isEqualTo(1);
        assertThat(sf.org().findByExternalId("Account", "External_Id__c", "G-1").orElseThrow().get("NumberOfEmployees")).isNull();
    }

    @Test
    void anUnknownColumnFailsTheJobAndAbortWorks() throws Exception {
        Job created = producer.requestBody("salesforce:bulk2CreateJob", job(OperationEnum.INSERT, null), Job.class);
        producer.sendBodyAndHeader("salesforce:bulk2CreateBatch", "Name,Nope__c\nA,1\n", "jobId", created.getId());
        producer.requestBodyAndHeader("salesforce:bulk2CloseJob", null, "jobId", created.getId(), Job.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", created.getId(), Job.class)
                .getState() == JobStateEnum.FAILED);
        assertThat(producer.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", created.getId(), Job.class).getErrorMessage())
                .isEqualTo("InvalidBatch : Field name not found : Nope__c");

        Job other = producer.requestBody("salesforce:bulk2CreateJob", job(OperationEnum.INSERT, null), Job.class);
        Job aborted = producer.requestBodyAndHeader("salesforce:bulk2AbortJob", null, "jobId", other.getId(), Job.class);
        assertThat(aborted.getState()).isEqualTo(JobStateEnum.ABORTED);
    }

    @Test
    void describeAndQueryOverRest(SalesforceSimulator sf) {
        SObjectDescription d = producer.requestBodyAndHeader("salesforce:getDescription", null, "sObjectName", "Contact", SObjectDescription.class);
        assertThat(d.getFields()).anySatisfy(f -> {
            assertThat(f.getName()).isEqualTo("AccountId");
            assertThat(f.getRelationshipName()).isEqualTo("Account");
            assertThat(f.getReferenceTo()).containsExactly("Account");
        });
        producer.requestBody("salesforce:bulk2CreateJob", job(OperationEnum.INSERT, null), Job.class);
        String result = producer.requestBody("salesforce:query?sObjectQuery=SELECT Id, Name FROM Account WHERE Name LIKE 'Ac%'&rawPayload=true", null, String.class);
        assertThat(result).startsWith("{\"totalSize\":0,\"done\":true");
    }

    @Test
    void tabsCrlfParentReferencesAndEmptyCellsThatLeaveFieldsAlone(SalesforceSimulator sf) throws Exception {
        SimulatedOrg.Unit unit = sf.org().unit();
        String parent = sf.org().create(unit, "Account", new RecordInput(null, java.util.Map.of("Name", "P", "External_Id__c", "P-1"), null, null),
                WriteOptions.DEFAULT).id();
        Job insert = new Job();
        insert.setObject("Contact");
        insert.setOperation(OperationEnum.INSERT);
        insert.setContentType(ContentTypeEnum.CSV);
        insert.setLineEnding(LineEndingEnum.CRLF);
        insert.setColumnDelimiter(org.apache.camel.component.salesforce.api.dto.bulkv2.ColumnDelimiterEnum.TAB);
        String id = producer.requestBody("salesforce:bulk2CreateJob", insert, Job.class).getId();
        producer.sendBodyAndHeader("salesforce:bulk2CreateBatch", "LastName\tEmail\tAccount.External_Id__c\r\nDoe\tdoe@example.com\tP-1\r\n", "jobId", id);
        producer.requestBodyAndHeader("salesforce:bulk2CloseJob", null, "jobId", id, Job.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", id, Job.class)
                .getState() == JobStateEnum.JOB_COMPLETE);
        SimRecord contact = sf.org().records("Contact").get(0);
        assertThat(contact.get("AccountId")).isEqualTo(parent);
        assertThat(csv("bulk2GetSuccessfulResults", id)).contains("\r\n").contains("\t");

        Job update = job(OperationEnum.UPDATE, null);
        update.setObject("Contact");
        String updateId = producer.requestBody("salesforce:bulk2CreateJob", update, Job.class).getId();
        producer.sendBodyAndHeader("salesforce:bulk2CreateBatch", "Id,LastName,Email\n" + contact.id() + ",Roe,\n", "jobId", updateId);
        producer.requestBodyAndHeader("salesforce:bulk2CloseJob", null, "jobId", updateId, Job.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", updateId, Job.class)
                .getState() == JobStateEnum.JOB_COMPLETE);
        SimRecord updated = sf.org().find(contact.id()).orElseThrow();
        assertThat(updated.get("LastName")).isEqualTo("Roe");
        assertThat(updated.get("Email")).as("an empty cell leaves the field alone").isEqualTo("doe@example.com");
    }

    // ------------------------------------------------------------------ query jobs

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
