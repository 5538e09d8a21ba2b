package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Bulk API 2.0 query jobs over plain HTTP, in API version 62.0, for tests that check the wire itself. */
final class BulkQueryTestClient {

    static final String JOBS = "/services/data/v62.0/jobs/query";

    private final RestTestClient rest;

    private BulkQueryTestClient(RestTestClient rest) {
        this.rest = rest;
    }

    static BulkQueryTestClient login(SalesforceSimulator sf) throws Exception {
        return new BulkQueryTestClient(RestTestClient.login(sf));
    }

    /** The REST client underneath, for calls of any other kind. */
    RestTestClient rest() {
        return rest;
    }

    HttpResponse<String> create(String body) throws Exception {
        return rest.send("POST", JOBS, body);
    }

    /** A new job of this operation (query or queryAll) and SOQL; its Id. */
    String create(String operation, String soql) throws Exception {
        HttpResponse<String> created = create("{\"operation\": \"" + operation + "\", \"query\": \"" + soql + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return RestTestClient.json(created).get("id").asText();
    }

    JsonNode info(String id) throws Exception {
        return RestTestClient.json(rest.get(JOBS + "/" + id));
    }

    String state(String id) throws Exception {
        return info(id).get("state").asText();
    }

    /** Waits for the job to reach the state, polling as a client does. */
    void awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> state(id).equals(state));
    }

    /** A new job, run to JobComplete; its Id. */
    String completed(String operation, String soql) throws Exception {
        String id = create(operation, soql);
        awaitState(id, "JobComplete");
        return id;
    }

    /** {@code GET .../results}, with a query string (e.g. {@code ?maxRecords=10}) or "". */
    HttpResponse<String> results(String id, String query) throws Exception {
        return rest.get(JOBS + "/" + id + "/results" + query);
    }
}
