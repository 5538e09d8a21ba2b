package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The faults and limits a client of Bulk API 2.0 query jobs meets: its steps' own (503, a lost answer), the org's on every call, the daily job allocation. */
@ExtendWith(SimulatorExtension.class)
class SimulatorBulkQueryFaultsTest {

    private static final String CREATE = "{\"operation\": \"query\", \"query\": \"SELECT Id FROM Account\"}";

    private BulkQueryTestClient jobs;

    @BeforeEach
    void login(SalesforceSimulator sf) throws Exception {
        jobs = BulkQueryTestClient.login(sf);
        TestRecords.accounts(sf, 30);
    }

    private int jobCount() throws Exception {
        return RestTestClient.json(jobs.rest().get(BulkQueryTestClient.JOBS)).get("records").size();
    }

    @Test
    void aCreateFaultAnswers503BeforeTheJobExistsOrCreatesItAndLosesTheAnswer(SalesforceSimulator sf) throws Exception {
        HttpResponse<String> set = jobs.rest().send("POST", "/__sim/faults", "{\"bulkFault\": \"QUERY_CREATE\"}");
        assertThat(RestTestClient.json(set).get("bulkFault").asText()).isEqualTo("QUERY_CREATE");
        assertThat(jobs.create(CREATE).statusCode()).isEqualTo(503);
        assertThat(jobCount()).as("nothing was created").isZero();

        sf.faults().bulkFault(Faults.BulkStep.QUERY_CREATE, 1, Faults.BulkFailure.LOST_RESPONSE);
        assertThatThrownBy(() -> jobs.create(CREATE)).isInstanceOf(IOException.class);
        assertThat(jobCount()).as("the job whose answer was lost exists, and runs").isEqualTo(1);
        assertThat(jobs.create(CREATE).statusCode()).as("only the next create").isEqualTo(200);
        assertThat(sf.calls().calls("BULK_QUERY", "QUERY_CREATE")).extracting(CallLog.Call::outcome).containsExactly("HTTP_503", "LOST_RESPONSE");
        assertThat(sf.faults().bulkFault(Faults.BulkStep.CREATE, 1).bulkFaultStep()).isEqualTo(Faults.BulkStep.CREATE);
        assertThat(jobs.create(CREATE).statusCode()).as("an ingest step's fault leaves query jobs alone").isEqualTo(200);
    }

    @Test
    void aPollOrResultsFaultAnswers503OrDropsTheConnectionAndTheNextCallIsAnswered(SalesforceSimulator sf) throws Exception {
        String id = jobs.completed("query", "SELECT Id FROM Account");
        String results = BulkQueryTestClient.JOBS + "/" + id + "/results";

        sf.faults().bulkFault(Faults.BulkStep.QUERY_POLL, 1);
        assertThat(jobs.rest().get(BulkQueryTestClient.JOBS + "/" + id).statusCode()).isEqualTo(503);
        assertThat(jobs.state(id)).isEqualTo("JobComplete");

        sf.faults().bulkFault(Faults.BulkStep.QUERY_RESULTS, 1, Faults.BulkFailure.LOST_RESPONSE);
        assertThat(jobs.rest().statusLineOfBareGet(results)).as("closed without an answer").isNull();
        assertThat(jobs.rest().statusLineOfBareGet(results)).isEqualTo("HTTP/1.1 200 OK");
        jobs.rest().send("POST", "/__sim/faults", "{\"bulkFault\": \"QUERY_RESULTS\", \"bulkFaultTimes\": 2}");
        assertThat(jobs.results(id, "").statusCode()).isEqualTo(503);
        assertThat(jobs.results(id, "").statusCode()).isEqualTo(503);
        assertThat(jobs.results(id, "").body().lines()).hasSize(31);
        assertThat(sf.calls().calls("BULK_QUERY", "QUERY_RESULTS")).extracting(CallLog.Call::outcome)
                .containsExactly("LOST_RESPONSE", "HTTP_503", "HTTP_503");
    }

    @Test
    void theOrgsFaultsHitEveryCallAndAJobOutlivesTheSession(SalesforceSimulator sf) throws Exception {
        sf.faults().maintenance(true);
        String id = jobs.completed("query", "SELECT Id FROM Account");
        assertThat(jobs.results(id, "").statusCode()).as("a read-only org still runs queries").isEqualTo(200);
        sf.faults().maintenance(false);

        sf.faults().unavailable(Faults.Unavailable.HTTP_503);
        assertThat(jobs.create(CREATE).statusCode()).isEqualTo(503);
        assertThat(jobs.results(id, "").statusCode()).isEqualTo(503);
        sf.faults().unavailable(Faults.Unavailable.CONNECTION_RESET);
        assertThatThrownBy(() -> jobs.results(id, "")).isInstanceOf(IOException.class);
        sf.faults().unavailable(Faults.Unavailable.NONE);

        sf.faults().dailyApiLimit(sf.faults().apiRequests());
        HttpResponse<String> overLimit = jobs.create(CREATE);
        assertThat(overLimit.statusCode()).isEqualTo(403);
        assertThat(RestTestClient.json(overLimit).get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        sf.faults().dailyApiLimit(15_000_000);

        sf.sessions().expireAll();
        HttpResponse<String> expired = jobs.results(id, "");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(RestTestClient.json(expired).get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        jobs.rest().relogin();
        assertThat(jobs.results(id, "").body().lines()).as("the job and its result outlive the session").hasSize(31);
        assertThat(jobCount()).as("none of the refused creates made a job").isEqualTo(1);
    }

    private JsonNode queryJobLimits() throws Exception {
        return RestTestClient.json(jobs.rest().get("/services/data/v62.0/limits")).get("DailyBulkV2QueryJobs");
    }

    @Test
    void theDailyQueryJobAllocationIsReportedInLimitsAndRefusesTheJobOverIt() throws Exception {
        assertThat(queryJobLimits().get("Max").asLong()).as("Salesforce's allocation").isEqualTo(10_000);
        jobs.rest().send("POST", "/__sim/faults", "{\"dailyBulkQueryJobLimit\": 2}");
        assertThat(jobs.create("{\"operation\": \"query\", \"query\": \"SELECT COUNT() FROM Account\"}").statusCode()).isEqualTo(400);
        assertThat(queryJobLimits().get("Remaining").asLong()).as("a refused query is no job").isEqualTo(2);

        jobs.create("query", "SELECT Id FROM Account");
        jobs.create("queryAll", "SELECT Id FROM Account");
        assertThat(queryJobLimits().get("Remaining").asLong()).isZero();
        HttpResponse<String> over = jobs.create(CREATE);
        assertThat(over.statusCode()).isEqualTo(400);
        assertThat(RestTestClient.json(over).get(0).get("errorCode").asText()).isEqualTo("EXCEEDEDQUOTA");
        assertThat(jobCount()).isEqualTo(2);
    }
}
