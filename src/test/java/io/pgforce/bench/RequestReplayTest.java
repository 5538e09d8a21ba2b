package io.pgforce.bench;

import static io.pgforce.simulator.SimulatorClients.sobject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.SaveResult;
import com.sforce.soap.partner.sobject.SObject;
import io.pgforce.simulator.RecordInput;
import io.pgforce.simulator.RecordedRequest;
import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.simulator.SimRecord;
import io.pgforce.simulator.SimulatedOrg;
import io.pgforce.simulator.SimulatorClients;
import io.pgforce.simulator.WriteOptions;
import io.pgforce.testing.Simulators;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.dto.bulkv2.ContentTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Job;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.LineEndingEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recording the requests Salesforce's own clients (WSC, camel-salesforce) make, restoring the
 * snapshot taken before them and replaying them: the org ends exactly as the clients left it.
 */
class RequestReplayTest {

    /** A clock that stands still, so that replayed records carry the same timestamps as the recorded ones. */
    private static final Clock STILL = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    private static SalesforceSimulator sf;
    private static CamelContext camel;
    private static ProducerTemplate producer;

    /** One simulator and one camel-salesforce client for the class: starting camel the first time takes seconds. */
    @BeforeAll
    static void start() throws Exception {
        sf = Simulators.forTest().clock(STILL).recordRequests(true).build().start();
        camel = new DefaultCamelContext();
        camel.addComponent("salesforce", SimulatorClients.salesforce(sf));
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() throws Exception {
        camel.close();
        sf.close();
    }

    /** No records, no jobs, nothing recorded. */
    @BeforeEach
    void reset() {
        sf.reset();
    }

    /** A Bulk job through camel-salesforce: create, upload, close, poll until JobComplete, the successful and failed results. */
    private static String bulkJob(String object, OperationEnum operation, String externalId, String csv) throws Exception {
        Job job = new Job();
        job.setObject(object);
        job.setOperation(operation);
        job.setExternalIdFieldName(externalId);
        job.setContentType(ContentTypeEnum.CSV);
        job.setLineEnding(LineEndingEnum.LF);
        String id = producer.requestBody("salesforce:bulk2CreateJob", job, Job.class).getId();
        producer.sendBodyAndHeader("salesforce:bulk2CreateBatch", csv, "jobId", id);
        producer.requestBodyAndHeader("salesforce:bulk2CloseJob", null, "jobId", id, Job.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.requestBodyAndHeader("salesforce:bulk2GetJob", null, "jobId", id, Job.class)
                .getState() == JobStateEnum.JOB_COMPLETE);
        producer.requestBodyAndHeader("salesforce:bulk2GetSuccessfulResults", null, "jobId", id, InputStream.class).close();
        producer.requestBodyAndHeader("salesforce:bulk2GetFailedResults", null, "jobId", id, InputStream.class).close();
        return id;
    }

    /** Every live record of every object, and the deleted ones named, field by field. */
    private static Map<String, Object> state(List<String> deleted) {
        Map<String, Object> state = new TreeMap<>();
        for (String type : sf.org().schema().keySet()) {
            for (SimRecord r : sf.org().records(type)) {
                state.put(r.id(), r.fields());
            }
        }
        for (String id : deleted) {
            SimRecord r = sf.org().find(id).orElseThrow();
            state.put(id, List.of(r.fields(), r.deleted()));
        }
        return state;
    }

    private static String probe() {
        return sf.org().create(sf.org().unit(), "Account", new RecordInput(null, Map.of("Name", "Probe"), null, null), WriteOptions.DEFAULT).id();
    }

    @Test
    void aReplayOnTheRestoredSnapshotEndsInTheSameState() throws Exception {
        sf.org().create(sf.org().unit(), "Account", new RecordInput(null, Map.of("Name", "Parent", "External_Id__c", "P-1"), null, null), WriteOptions.DEFAULT);
        SimulatedOrg.Snapshot before = sf.org().snapshot();

        PartnerConnection soap = SimulatorClients.partner(sf);
        SaveResult[] created = soap.create(new SObject[] {sobject("Account", "Name", "Acme", "External_Id__c", "A-1"),
                sobject("Account", "Name", "Globex", "External_Id__c", "G-1"), sobject("Account", "Description", "no name")});
        assertThat(created[2].isSuccess()).isFalse();
        SObject update = sobject("Account", "NumberOfEmployees", "12");
        update.setId(created[0].getId());
        soap.update(new SObject[] {update});
        soap.upsert("External_Id__c", new SObject[] {sobject("Account", "Name", "Acme again", "External_Id__c", "A-1"),
                sobject("Account", "Name", "Initech", "External_Id__c", "I-1")});
        soap.delete(new String[] {created[1].getId()});
        String jobId = bulkJob("Contact", OperationEnum.INSERT, null,
                "LastName,Email,Account.External_Id__c\nDoe,doe@example.com,P-1\nRoe,roe@example.com,A-1\n,nobody@example.com,P-1\n");
        bulkJob("Account", OperationEnum.UPSERT, "External_Id__c", "Name,External_Id__c,NumberOfEmployees\nInitech 2,I-1,5\nHooli,H-1,#N/A\n");

        Map<String, Object> expected = state(List.of(created[1].getId()));
        String nextId = probe();
        List<RecordedRequest> recorded = sf.recordedRequests();

        assertThat(recorded.get(0).soap()).as("WSC logs in with SOAP first").isTrue();
        assertThat(recorded.stream().filter(RecordedRequest::soap)).hasSize(5).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).containsKeys("SOAPAction", "content-type");
            assertThat(r.bulkJobId()).isNull();
        });
        List<RecordedRequest> firstJob = recorded.stream().filter(r -> jobId.equals(r.bulkJobId())).toList();
        assertThat(firstJob).extracting(RecordedRequest::method).startsWith("POST", "PUT", "PATCH").contains("GET");
        assertThat(firstJob).extracting(RecordedRequest::status).startsWith(200, 201, 200);
        assertThat(firstJob.get(0).headers().get("Authorization")).startsWith("Bearer ");
        assertThat(new String(firstJob.get(1).body(), StandardCharsets.UTF_8)).startsWith("LastName,Email,Account.External_Id__c\n");

        sf.org().restore(before);
        RequestReplay.Result replayed = RequestReplay.loggedInTo(sf).replay(recorded, 1);

        assertThat(replayed.statusMismatches()).isZero();
        assertThat(replayed.requests()).isGreaterThanOrEqualTo(5 + 2 * 6);
        assertThat(replayed.wallTime()).isPositive();
        assertThat(state(List.of(created[1].getId()))).isEqualTo(expected);
        assertThat(probe()).as("the Id sequence went the same way").isEqualTo(nextId);
    }

    private static Set<String> accounts() {
        return sf.org().records("Account").stream().map(r -> r.get("Name") + "/" + r.get("External_Id__c")).collect(Collectors.toSet());
    }

    @Test
    void independentCallsReplayOnSeveralThreads() throws Exception {
        SimulatedOrg.Snapshot before = sf.org().snapshot();
        PartnerConnection soap = SimulatorClients.partner(sf);
        for (int call = 0; call < 4; call++) {
            List<SObject> accounts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                accounts.add(sobject("Account", "Name", "Soap " + call + "." + i, "External_Id__c", "S-" + call + "-" + i));
            }
            soap.create(accounts.toArray(SObject[]::new));
        }
        bulkJob("Account", OperationEnum.INSERT, null, "Name,External_Id__c\nBulk 1,B-1\nBulk 2,B-2\n");
        bulkJob("Account", OperationEnum.INSERT, null, "Name,External_Id__c\nBulk 3,B-3\n");
        Set<String> expected = accounts();
        assertThat(expected).hasSize(4 * 3 + 3);

        sf.org().restore(before);
        RequestReplay.Result replayed = RequestReplay.loggedInTo(sf).pollInterval(Duration.ofMillis(5)).replay(sf.recordedRequests(), 3);

        assertThat(replayed.statusMismatches()).isZero();
        assertThat(accounts()).isEqualTo(expected);
        assertThat(sf.org().count("Account")).isEqualTo(expected.size());
    }
}
