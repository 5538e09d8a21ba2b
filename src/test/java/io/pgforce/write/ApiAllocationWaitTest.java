package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * pgforce.api.max-share end to end (0.8 by default): with the org's daily API requests used up to
 * the share, pgforce writes until an answer says the share is reached, then claims and sends
 * nothing, in a state of its own, nothing FAILED and health up; once the org's usage is back under
 * the share (read from /limits while it waits, every pgforce.api.recheck-interval), writing
 * resumes by itself. A call Salesforce refuses over the spent allocation (REQUEST_LIMIT_EXCEEDED)
 * is the same wait, not an outage.
 */
@QuarkusTest
@EndToEnd
class ApiAllocationWaitTest extends EndToEndWrites {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .header("Authorization", "Bearer test-admin-token").build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void insertAccount(String key) {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (?, ?)", "Account " + key, key);
    }

    @Test
    void writingWaitsPastTheShareAndResumesWhenTheAllocationAllows() throws Exception {
        // pgforce has heard where the org stands (at its first cycle): it asks /limits no more while under the share
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/status").path("apiRequests").path("max").isNumber());
        // the share is 800 of 1,000: the first call takes the org to it
        t.sf.faults().dailyApiLimit(1000).apiRequestsUsed(799);
        insertAccount("A-1");
        await().atMost(Duration.ofSeconds(20)).until(() -> t.states("SUCCESS") == 1);

        insertAccount("A-2");
        insertAccount("A-3");
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/status").path("state").asText().equals("WAITING_FOR_API_ALLOCATION"));
        JsonNode status = get("/api/status");
        assertThat(status.path("problem").asBoolean()).isFalse();
        assertThat(status.path("reason").asText()).contains("800 of 1000").contains("pgforce.api.max-share");
        assertThat(status.path("apiRequests").path("max").asLong()).isEqualTo(1000);
        assertThat(get("/q/health/ready").path("status").asText()).isEqualTo("UP");
        assertThat(metrics()).contains("pgforce_api_requests_max 1000.0").containsPattern("pgforce_api_requests_used 80\\d\\.0");
        // it waits: nothing claimed, nothing failed, nothing sent
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(t.states("NEW")).isEqualTo(2);
        assertThat(t.states("FAILED")).isZero();
        assertThat(t.sf.org().count("Account")).isEqualTo(1);

        // the rolling 24 hours let the org's usage fall back under the share
        t.sf.faults().apiRequestsUsed(100);
        t.drained(Duration.ofSeconds(20));
        assertThat(t.states("SUCCESS")).isEqualTo(3);
        assertThat(t.sf.org().count("Account")).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> !get("/api/status").path("state").asText().equals("WAITING_FOR_API_ALLOCATION"));
    }

    @Test
    void aCallRefusedOverTheSpentAllocationWaitsForItAndResumesWhenItAllows() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/status").path("apiRequests").path("max").isNumber());
        // the org's allocation is spent by others since pgforce last heard (under the share): Salesforce refuses the call
        t.sf.faults().dailyApiLimit(1000).apiRequestsUsed(1000);
        insertAccount("R-1");
        insertAccount("R-2");
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/status").path("state").asText().equals("WAITING_FOR_API_ALLOCATION"));
        JsonNode status = get("/api/status");
        assertThat(status.path("problem").asBoolean()).isFalse();
        assertThat(status.path("reason").asText()).contains("REQUEST_LIMIT_EXCEEDED");
        // it keeps waiting, asking /limits (refused too) rather than sending: still that state, nothing failed or written
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertThat(get("/api/status").path("state").asText()).isEqualTo("WAITING_FOR_API_ALLOCATION");
        assertThat(t.states("FAILED")).isZero();
        assertThat(t.sf.org().count("Account")).isZero();

        t.sf.faults().apiRequestsUsed(100);
        t.drained(Duration.ofSeconds(20));
        assertThat(t.states("SUCCESS")).isEqualTo(2);
        assertThat(t.states("FAILED")).isZero();
        assertThat(t.sf.org().count("Account")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> !get("/api/status").path("state").asText().equals("WAITING_FOR_API_ALLOCATION"));
    }
}
