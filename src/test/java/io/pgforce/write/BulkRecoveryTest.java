package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.Faults;
import io.pgforce.simulator.SimRecord;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.pgforce.testing.Simulators;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.dto.bulkv2.ContentTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Job;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Jobs;
import org.apache.camel.component.salesforce.api.dto.bulkv2.LineEndingEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Bulk job interrupted at any step, by an outage or by a crash, ends with every row written
 * exactly once and no job left Open. Outages are the simulator's Bulk faults; crashes are staged
 * with the cycle route stopped: rows left PENDING or NEW carrying the id of a job in a given state,
 * made through the Bulk API itself.
 */
@QuarkusTest
@EndToEnd
class BulkRecoveryTest extends EndToEndWrites {

    private static final int ROWS = 2000;

    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate producer;

    @AfterEach
    void close() throws Exception {
        t.sf.bulkProcessingDelay(Simulators.TEST_BULK_DELAY);
        camel.getRouteController().startRoute("pgforce-cycle");
    }

    private void insertAccounts(int n) {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Account ' || g, 'A-' || g FROM generate_series(1, ?) g", n);
    }

    // ------------------------------------------------------------------ outages

    @ParameterizedTest
    @EnumSource(value = Faults.BulkStep.class, mode = EnumSource.Mode.MATCH_NONE, names = "QUERY_.*") // a write's steps: an ingest job's
    void anOutageAtAnyStepOfTheJobWritesEveryRecordOnce(Faults.BulkStep step) {
        t.sf.faults().bulkFault(step, 2);
        insertAccounts(ROWS);
        t.drained(Duration.ofSeconds(60));

        assertThat(t.calls("BULK", step.name())).as("the fault hit").extracting(CallLog.Call::outcome).containsExactly("HTTP_503", "HTTP_503");
        assertWrittenOnce(ROWS);
    }

    @ParameterizedTest
    @EnumSource(value = Faults.BulkStep.class, names = {"UPLOAD", "CLOSE", "POLL", "RESULTS"})
    void aLostAnswerAtAnyStepAfterTheJobExistsWritesEveryRecordOnce(Faults.BulkStep step) {
        t.sf.faults().bulkFault(step, 1, Faults.BulkFailure.LOST_RESPONSE);
        insertAccounts(ROWS);
        t.drained(Duration.ofSeconds(60));

        assertThat(t.calls("BULK", step.name())).as("the fault hit").extracting(CallLog.Call::outcome).containsExactly("LOST_RESPONSE");
        assertWrittenOnce(ROWS);
    }

    @Test
    void aJobRefusedOverTheDaysQuotaSendsItsRecordsOverSoapWithoutWaiting() {
        t.sf.faults().bulkFault(Faults.BulkStep.CREATE, 1, Faults.BulkFailure.EXCEEDED_QUOTA);
        insertAccounts(ROWS);
        t.drained(Duration.ofSeconds(30));

        assertThat(t.calls("BULK", "CREATE")).as("the fault hit").extracting(CallLog.Call::outcome).containsExactly("EXCEEDED_QUOTA");
        assertThat(t.calls("SOAP", "upsert")).as("the job's records, 200 a call").hasSize(ROWS / 200);
        assertWrittenOnce(ROWS);
    }

    // ------------------------------------------------------------------ crashes

    @Test
    void afterACrashAnOpenJobIsAbortedAndItsRecordsGoInANewJob() throws Exception {
        String job = stageCrash(ROWS, ROWS, false, "PENDING");
        assertThat(jobState(job)).isEqualTo(JobStateEnum.OPEN);

        resume();

        assertThat(jobState(job)).isEqualTo(JobStateEnum.ABORTED);
        assertThat(t.calls("BULK", "createJob")).as("the staged job and a new one").hasSize(2);
        assertWrittenOnce(ROWS);
    }

    @Test
    void afterACrashAJobStillInProgressIsPolledToItsEndAndItsResultsRead() throws Exception {
        t.sf.bulkProcessingDelay(Duration.ofSeconds(2));
        String job = stageCrash(ROWS, ROWS, true, "NEW");
        assertThat(jobState(job)).isEqualTo(JobStateEnum.UPLOAD_COMPLETE);

        resume();

        assertThat(t.calls("BULK", "createJob")).as("nothing sent again").hasSize(1);
        assertThat(t.calls("SOAP", "upsert")).isEmpty();
        assertWrittenOnce(ROWS);
    }

    @Test
    void afterACrashTheResultsOfACompletedJobAreReadAndOnlyTheRowsItDidNotCarryAreSent() throws Exception {
        String job = stageCrash(ROWS + 500, ROWS, true, "PENDING");
        await().atMost(Duration.ofSeconds(20)).until(() -> jobState(job) == JobStateEnum.JOB_COMPLETE);

        resume();

        assertThat(t.calls("BULK", "createJob")).as("the job's records are not sent again").hasSize(1);
        assertThat(t.calls("SOAP", "upsert")).as("the 500 rows the job did not carry").extracting(CallLog.Call::records)
                .containsExactly(200, 200, 100);
        assertWrittenOnce(ROWS + 500);
    }

    @Test
    void afterACrashTheResultsOfACompletedUpdateJobAreMatchedById() throws Exception {
        insertAccounts(ROWS);
        t.drained(Duration.ofSeconds(60));
        camel.getRouteController().stopRoute("pgforce-cycle");
        t.db.update("UPDATE salesforce.account SET name = name || ' (edited)'");
        List<Map<String, Object>> rows = t.db.query("SELECT sfid, name FROM salesforce.account ORDER BY id");
        String csv = "Id,Name\n" + rows.stream().map(r -> r.get("sfid") + "," + r.get("name")).collect(Collectors.joining("\n")) + "\n";
        String job = createJob(OperationEnum.UPDATE, csv, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobState(job) == JobStateEnum.JOB_COMPLETE);
        t.db.update("UPDATE salesforce._trigger_log SET state = 'PENDING', sent_at = now(), bulk_job_id = ? WHERE action = 'UPDATE'", job);

        resume();

        assertThat(t.calls("BULK", "createJob")).as("one insert job, then the staged update job").hasSize(2);
        assertThat(t.calls("SOAP", "update")).isEmpty();
        assertThat(t.states("SUCCESS")).isEqualTo(2 * ROWS);
        assertThat(t.db.count("SELECT count(*) FROM salesforce.account WHERE _hc_lastop = 'UPDATED'")).isEqualTo(ROWS);
        assertOrgEqualsPostgres();
    }

    @Test
    void afterACrashAJobSalesforceDoesNotKnowIsSentAgain() throws Exception {
        camel.getRouteController().stopRoute("pgforce-cycle");
        insertAccounts(ROWS);
        t.db.update("UPDATE salesforce._trigger_log SET state = 'PENDING', sent_at = now(), bulk_job_id = '750000000000404AAA'");

        resume();

        assertThat(t.calls("BULK", "createJob")).hasSize(1);
        assertWrittenOnce(ROWS);
    }

    /**
     * With cycles stopped: {@code rows} inserts, the first {@code carried} of them in a Bulk upsert
     * job (uploaded; closed or not), and those rows marked as sent in it, left in {@code state}.
     */
    private String stageCrash(int rows, int carried, boolean close, String state) throws Exception {
        camel.getRouteController().stopRoute("pgforce-cycle");
        insertAccounts(rows);
        String csv = "Name,External_Id__c\n" + IntStream.rangeClosed(1, carried).mapToObj(g -> "Account " + g + ",A-" + g + "\n")
                .collect(Collectors.joining());
        String job = createJob(OperationEnum.UPSERT, csv, close);
        t.db.update("UPDATE salesforce._trigger_log SET state = ?, sent_at = now(), bulk_job_id = ? WHERE id <= ?", state, job, carried);
        return job;
    }

    private void resume() throws Exception {
        camel.getRouteController().startRoute("pgforce-cycle");
        producer.sendBody("direct:pgforce-wake", "test");
        t.drained(Duration.ofSeconds(60));
    }

    // ------------------------------------------------------------------ the Bulk API, as a crashed pgforce left it

    private String createJob(OperationEnum operation, String csv, boolean close) {
        Job job = new Job();
        job.setObject("Account");
        job.setOperation(operation);
        if (operation == OperationEnum.UPSERT) {
            job.setExternalIdFieldName("External_Id__c");
        }
        job.setContentType(ContentTypeEnum.CSV);
        job.setLineEnding(LineEndingEnum.LF);
        String id = producer.requestBody("salesforce:bulk2CreateJob", job, Job.class).getId();
        producer.sendBodyAndHeader("salesforce:bulk2CreateBatch", csv, "jobId", id);
        if (close) {
            producer.requestBodyAndHeader("salesforce:bulk2CloseJob", null, "jobId", id, Job.class);
        }
        return id;
    }

    private JobStateEnum jobState(String id) {
        return producer.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", id, Job.class).getState();
    }

    // ------------------------------------------------------------------ the outcome

    /** Every row SUCCESS once, nothing FAILED, each record once in the org and as in Postgres, no job left Open. */
    private void assertWrittenOnce(int rows) {
        assertThat(t.states("SUCCESS")).isEqualTo(rows);
        assertThat(t.states("FAILED")).isZero();
        assertThat(t.db.count("SELECT count(*) FROM salesforce._trigger_log")).isEqualTo(rows);
        assertThat(t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid IS NOT NULL AND _hc_lastop = 'INSERTED'")).isEqualTo(rows);
        assertOrgEqualsPostgres();
        List<Job> jobs = producer.requestBody("salesforce:bulk2GetAllJobs", null, Jobs.class).getRecords();
        assertThat(jobs).as("no job left Open").noneMatch(j -> j.getState() == JobStateEnum.OPEN);
    }

    private void assertOrgEqualsPostgres() {
        Map<String, SimRecord> org = t.sf.org().records("Account").stream().collect(Collectors.toMap(SimRecord::id, Function.identity()));
        List<Map<String, Object>> rows = t.db.query("SELECT sfid, name, external_id__c FROM salesforce.account");
        assertThat(org).as("each record once").hasSize(rows.size());
        assertThat(rows).allSatisfy(r -> {
            SimRecord record = org.get((String) r.get("sfid"));
            assertThat(record).as("record of row %s", r).isNotNull();
            assertThat(record.get("External_Id__c")).isEqualTo(r.get("external_id__c"));
            assertThat(record.get("Name")).isEqualTo(r.get("name"));
        });
    }
}
