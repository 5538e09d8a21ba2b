package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.SaveResult;
import com.sforce.soap.partner.sobject.SObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.dto.bulkv2.ContentTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Job;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.LineEndingEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Record locks: a write locks its records and the parents its lookups reference while its call (or
 * its Bulk slice) is processed; a concurrent write that needs one waits at most the lock wait, then
 * fails that record with UNABLE_TO_LOCK_ROW. Driven by clients nobody here wrote: Salesforce's WSC
 * for SOAP, camel-salesforce for Bulk API 2.0. The latency fault makes a call hold its locks.
 */
@ExtendWith(SimulatorExtension.class)
class SimulatorRecordLocksTest {

    private SalesforceSimulator sf;
    private String acme;
    private String globex;

    @BeforeEach
    void accounts(SalesforceSimulator sf) {
        this.sf = sf;
        SimulatedOrg.Unit unit = sf.org().unit();
        acme = sf.org().create(unit, "Account", new RecordInput(null, Map.of("Name", "Acme", "External_Id__c", "A-1"), null, null), WriteOptions.DEFAULT).id();
        globex = sf.org().create(unit, "Account", new RecordInput(null, Map.of("Name", "Globex"), null, null), WriteOptions.DEFAULT).id();
    }

    private static SObject contact(String name, String accountId) {
        return SimulatorClients.sobject("Contact", "LastName", name, "AccountId", accountId);
    }

    /** Starts a one-record SOAP create on its own connection and returns once the simulator holds its locks. */
    private CompletableFuture<SaveResult> holding(SObject record) throws Exception {
        PartnerConnection first = SimulatorClients.partner(sf);
        CompletableFuture<SaveResult> call = CompletableFuture.supplyAsync(() -> {
            try {
                return first.create(new SObject[] {record})[0];
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> sf.locks().held() > 0);
        return call;
    }

    @Test
    void aSecondCallOnTheSameParentWaitsForTheLockAndSucceeds() throws Exception {
        sf.faults().latency(0, 700).lockWait(Duration.ofSeconds(5));
        CompletableFuture<SaveResult> first = holding(contact("One", acme));

        long start = System.nanoTime();
        SaveResult second = SimulatorClients.partner(sf).create(new SObject[] {contact("Two", acme)})[0];

        assertThat(second.isSuccess()).isTrue();
        assertThat(first.get().isSuccess()).isTrue();
        assertThat(sf.locks().contended()).isEqualTo(1);
        assertThat(sf.locks().refused()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for the first call, then took its own time")
                .isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    void aLockHeldLongerThanTheWaitFailsTheRecordWithUnableToLockRow() throws Exception {
        sf.faults().latency(0, 1500).lockWait(Duration.ofMillis(200));
        CompletableFuture<SaveResult> first = holding(contact("One", acme));

        SaveResult[] second = SimulatorClients.partner(sf).create(new SObject[] {contact("Two", acme), contact("Three", globex)});

        assertThat(second[0].isSuccess()).isFalse();
        assertThat(second[0].getErrors()[0].getStatusCode().toString()).isEqualTo("UNABLE_TO_LOCK_ROW");
        assertThat(second[0].getErrors()[0].getMessage()).isEqualTo("unable to obtain exclusive access to this record or 1 records: " + acme);
        assertThat(second[1].isSuccess()).as("a record of another parent is written").isTrue();
        assertThat(first.get().isSuccess()).isTrue();
        assertThat(sf.locks().refused()).isEqualTo(1);
        assertThat(sf.org().records("Contact")).extracting(r -> r.get("LastName")).containsExactlyInAnyOrder("One", "Three");
    }

    @Test
    void theParentsOwnUpdateContendsWithItsChildren() throws Exception {
        sf.faults().latency(0, 1500).lockWait(Duration.ofMillis(200));
        CompletableFuture<SaveResult> child = holding(contact("One", acme));

        SObject account = SimulatorClients.sobject("Account", "Description", "changed");
        account.setId(acme);
        SaveResult update = SimulatorClients.partner(sf).update(new SObject[] {account})[0];

        assertThat(update.getErrors()[0].getStatusCode().toString()).isEqualTo("UNABLE_TO_LOCK_ROW");
        assertThat(child.get().isSuccess()).isTrue();
    }

    @Test
    void childrenOfDifferentParentsNeverWait() throws Exception {
        sf.faults().latency(0, 1000).lockWait(Duration.ofMillis(100));
        CompletableFuture<SaveResult> first = holding(contact("One", acme));

        SaveResult second = SimulatorClients.partner(sf).create(new SObject[] {contact("Two", globex)})[0];

        assertThat(second.isSuccess()).isTrue();
        assertThat(first.get().isSuccess()).isTrue();
        assertThat(sf.locks().contended()).isZero();
        assertThat(sf.locks().held()).as("released at the end of the calls").isZero();
    }

    // ------------------------------------------------------------------ Bulk API 2.0

    /** Two Bulk jobs of 100 contacts each, closed together; each batch is processed for 1 s (latency 10 ms a record). */
    private Job[] twoJobs(String firstParent, String secondParent) throws Exception {
        sf.faults().latency(0, 10);
        try (CamelContext camel = SimulatorClients.camel(SimulatorClients.salesforce(sf))) {
            ProducerTemplate producer = camel.createProducerTemplate();
            String[] ids = new String[2];
            String[] parents = {firstParent, secondParent};
            for (int j = 0; j < 2; j++) {
                Job job = new Job();
                job.setObject("Contact");
                job.setOperation(OperationEnum.INSERT);
                job.setContentType(ContentTypeEnum.CSV);
                job.setLineEnding(LineEndingEnum.LF);
                ids[j] = producer.requestBody("salesforce:bulk2CreateJob", job, Job.class).getId();
                StringBuilder csv = new StringBuilder("LastName,AccountId\n");
                for (int i = 0; i < 100; i++) {
                    csv.append("C").append(j).append('-').append(i).append(',').append(parents[j]).append('\n');
                }
                producer.sendBodyAndHeader("salesforce:bulk2CreateBatch", csv.toString(), "jobId", ids[j]);
            }
            for (String id : ids) {
                producer.requestBodyAndHeader("salesforce:bulk2CloseJob", null, "jobId", id, Job.class);
            }
            Job[] done = new Job[2];
            for (int j = 0; j < 2; j++) {
                String id = ids[j];
                await().atMost(Duration.ofSeconds(20)).until(() -> producer.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", id, Job.class)
                        .getState() == JobStateEnum.JOB_COMPLETE);
                done[j] = producer.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", id, Job.class);
            }
            return done;
        }
    }

    @Test
    void bulkJobsOnTheSameParentWaitForEachOther() throws Exception {
        sf.faults().lockWait(Duration.ofSeconds(5));
        Job[] done = twoJobs(acme, acme);

        assertThat(done[0].getNumberRecordsFailed() + done[1].getNumberRecordsFailed()).isZero();
        assertThat(sf.locks().contended()).isEqualTo(1);
        assertThat(sf.org().count("Contact")).isEqualTo(200);
    }

    @Test
    void aBulkJobWhoseParentStaysLockedPastTheWaitFailsItsRows() throws Exception {
        sf.faults().lockWait(Duration.ofMillis(200));
        Job[] done = twoJobs(acme, acme);

        assertThat(done[0].getNumberRecordsFailed() + done[1].getNumberRecordsFailed()).isEqualTo(100);
        assertThat(sf.locks().refused()).isEqualTo(100);
        assertThat(sf.org().count("Contact")).isEqualTo(100);
    }

    @Test
    void bulkJobsOnDifferentParentsNeverWait() throws Exception {
        sf.faults().lockWait(Duration.ofMillis(200));
        Job[] done = twoJobs(acme, globex);

        assertThat(done[0].getNumberRecordsFailed() + done[1].getNumberRecordsFailed()).isZero();
        assertThat(sf.locks().contended()).isZero();
    }
}
