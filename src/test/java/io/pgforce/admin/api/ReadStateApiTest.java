package io.pgforce.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.read.EndToEndReads;
import io.pgforce.read.ReadTestProfile;
import io.pgforce.simulator.CallLog;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each mapping's read in {@code GET /api/mappings}, and {@code POST /api/mappings/{mapping}/reload},
 * against the running application reading the simulated org (test-read.yaml: both mappings polled
 * every second).
 */
@QuarkusTest
@EndToEnd(mapping = "test-read.yaml")
@TestProfile(ReadTestProfile.class)
class ReadStateApiTest extends EndToEndReads {

    @TestHTTPResource("/")
    URL root;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(root, "test-admin-token", new ArrayList<>());
    }

    private JsonNode mapping(String object) {
        for (JsonNode m : api.get("/api/mappings").ok()) {
            if (m.path("object").asText().equals(object)) {
                return m;
            }
        }
        throw new AssertionError("no mapping " + object);
    }

    private long rows(String table) {
        return r.t.db.count("SELECT count(*) FROM salesforce." + table);
    }

    @Test
    void eachMappingShowsItsReadPhaseWatermarkLagCountsAndCalls() throws Exception {
        String id = r.create("Account", Map.of("Name", "Acme", "External_Id__c", "S-1"));
        r.resume();
        await().atMost(WITHIN).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid = ?", id) == 1);
        r.polledAfterNow("account");

        JsonNode read = mapping("Account").path("read");
        assertThat(read.path("phase").asText()).as(read.toString()).isEqualTo("SYNCED");
        assertThat(read.path("watermark").asText()).as(read.toString()).isNotBlank();
        assertThat(read.path("lagSeconds").asDouble(-1)).as(read.toString()).isBetween(0.0, 300.0);
        assertThat(read.path("lastPollStarted").asText()).isNotBlank();
        assertThat(read.path("lastPollEnded").asText()).isNotBlank();
        assertThat(read.path("lastError").isNull()).as(read.toString()).isTrue();
        assertThat(read.path("recordsApplied").asLong()).isEqualTo(1);
        assertThat(read.path("recordsFailed").asLong()).isZero();
        assertThat(read.path("loadApiCalls").asLong()).as("the load of one record: its count and one page").isEqualTo(2);
        assertThat(read.path("lastPollApiCalls").asLong()).isEqualTo(1);
        assertThat(read.path("apiCalls").asLong()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aPollInWhichNothingChangedCostsOneQueryPerMappingAndTheStateShowsIt() throws Exception {
        r.create("Account", Map.of("Name", "Acme", "External_Id__c", "F-1"));
        r.resumedAndSynced("account", "contact");
        r.pause(); // no read in flight from here
        r.t.sf.calls().clear();
        long accountCalls = (Long) r.state("account").get("api_calls");
        long contactCalls = (Long) r.state("contact").get("api_calls");

        r.resume();
        r.polledAfterNow("account");
        r.polledAfterNow("contact");
        r.pause();

        List<CallLog.Call> calls = r.t.sf.calls().calls();
        // each poll is its query's first page, queryAll: nothing else was asked of the org
        assertThat(calls).extracting(c -> c.api() + " " + c.operation() + " " + c.objects()).allMatch(c -> c.startsWith("REST queryAll "));
        long accountPolls = calls.stream().filter(c -> c.objects().contains("Account")).count();
        long contactPolls = calls.stream().filter(c -> c.objects().contains("Contact")).count();
        assertThat(accountPolls).isPositive();
        assertThat(contactPolls).isPositive();
        assertThat(r.state("account")).containsEntry("api_calls", accountCalls + accountPolls).containsEntry("last_poll_api_calls", 1L);
        assertThat(r.state("contact")).containsEntry("api_calls", contactCalls + contactPolls).containsEntry("last_poll_api_calls", 1L);
        assertThat(mapping("Account").path("read").path("lastPollApiCalls").asLong()).isEqualTo(1);
        assertThat(mapping("Contact").path("read").path("lastPollApiCalls").asLong()).isEqualTo(1);
    }

    @Test
    void reloadLoadsTheMappingAgainFromScratchAndMatchesTheRowsThere() throws Exception {
        r.createMany("Account", List.of(Map.of("Name", "A1", "External_Id__c", "R-1"), Map.of("Name", "A2", "External_Id__c", "R-2"),
                Map.of("Name", "A3", "External_Id__c", "R-3")));
        r.resume();
        await().atMost(WITHIN).until(() -> "SYNCED".equals(r.state("account").get("phase")) && rows("account") == 3);
        await().atMost(WITHIN).until(() -> (Long) r.state("account").get("api_calls") >= 3); // polled since the load (its count and page)
        r.pause();
        r.t.sf.calls().clear();

        Object reloadedAt = r.control.scalar("SELECT clock_timestamp()");
        JsonNode reloaded = api.post("/api/mappings/Account/reload", "{}").ok();
        assertThat(reloaded.path("table").asText()).isEqualTo("account");
        // the state reset at once (its phase PAUSED while reading is paused, LOADING otherwise)
        assertThat(reloaded.path("read").path("reloadRequested").asBoolean()).as(reloaded.toString()).isTrue();
        assertThat(reloaded.path("read").path("watermark").isNull()).as(reloaded.toString()).isTrue();
        assertThat(reloaded.path("read").path("lagSeconds").isNull()).as(reloaded.toString()).isTrue();
        assertThat(r.state("account")).containsEntry("watermark", null).containsEntry("loaded_at", null).containsEntry("load_api_calls", 0L);

        r.resumedAndSynced("account");
        List<CallLog.Call> queries = r.t.sf.calls().calls().stream().filter(c -> c.objects().contains("Account")).toList();
        // a load counts the records first (below pgforce.read.bulk-threshold: REST pages)
        assertThat(queries.get(0).operation()).isEqualTo("query");
        assertThat(queries.get(1).operation()).isEqualTo("queryAll");
        assertThat(queries.get(1).records()).as("every record read again").isEqualTo(3);
        assertThat(r.control.count("SELECT count(*) FROM salesforce._pgforce_read_state WHERE table_name = 'account' AND loaded_at > ?", reloadedAt))
                .as("loaded again").isEqualTo(1);
        assertThat(rows("account")).as("the rows there are matched, not duplicated").isEqualTo(3);
        assertThat(r.state("account")).as("the count and one page").containsEntry("load_api_calls", 2L);
        assertThat(r.t.db.count("SELECT count(*) FROM salesforce._trigger_log")).as("nothing the reload wrote was captured").isZero();

        // by table name too
        assertThat(api.post("/api/mappings/contact/reload", "{}").ok().path("object").asText()).isEqualTo("Contact");
    }

    @Test
    void anUnknownMappingIsOne404Line() {
        String error = api.post("/api/mappings/Nope__c/reload", "{}").error(404);
        assertThat(error).isEqualTo("no mapping 'Nope__c' (give its object or table name)");
    }
}
