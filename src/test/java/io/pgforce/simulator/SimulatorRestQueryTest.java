package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST query resources over plain HTTP: pages and their locators, queryAll, COUNT(), and the faults a reader meets. */
@ExtendWith(SimulatorExtension.class)
class SimulatorRestQueryTest {

    private SalesforceSimulator sf;
    private RestTestClient rest;

    @BeforeEach
    void login(SalesforceSimulator sf) throws Exception {
        this.sf = sf;
        rest = RestTestClient.login(sf);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return rest.get(path, headers);
    }

    private HttpResponse<String> query(String resource, String soql, String... headers) throws Exception {
        return rest.query(resource, soql, headers);
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return RestTestClient.json(r);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("records").forEach(r -> ids.add(r.get("Id").asText()));
        return ids;
    }

    @Test
    void aLargeResultComesInPagesOf2000WithLocators() throws Exception {
        List<String> created = TestRecords.accounts(sf, 4500);

        JsonNode first = json(query("query", "SELECT Id, Name FROM Account ORDER BY Name"));
        assertThat(first.get("totalSize").asInt()).isEqualTo(4500);
        assertThat(first.get("done").asBoolean()).isFalse();
        assertThat(first.get("records")).hasSize(2000);
        String next = first.get("nextRecordsUrl").asText();
        assertThat(next).matches("/services/data/v62\\.0/query/01g[0-9A-Za-z]{15}-2000");

        JsonNode second = json(get(next));
        assertThat(second.get("totalSize").asInt()).isEqualTo(4500);
        assertThat(second.get("records")).hasSize(2000);
        assertThat(second.get("nextRecordsUrl").asText()).endsWith("-4000");
        JsonNode third = json(get(second.get("nextRecordsUrl").asText()));
        assertThat(third.get("records")).hasSize(500);
        assertThat(third.get("done").asBoolean()).isTrue();
        assertThat(third.has("nextRecordsUrl")).isFalse();

        List<String> all = new ArrayList<>(ids(first));
        all.addAll(ids(second));
        all.addAll(ids(third));
        assertThat(all).as("every record once, in the query's order").containsExactlyElementsOf(created);
        assertThat(sf.calls().calls("REST", "query")).extracting(CallLog.Call::records).containsExactly(2000);
        assertThat(sf.calls().calls("REST", "queryMore")).extracting(CallLog.Call::records).containsExactly(2000, 500);
    }

    @Test
    void theBatchSizeHeaderMakesPagesSmallerWithin200To2000() throws Exception {
        TestRecords.accounts(sf, 2500);
        assertThat(json(query("query", "SELECT Id FROM Account", "Sforce-Query-Options", "batchSize=500")).get("records")).hasSize(500);
        assertThat(json(query("query", "SELECT Id FROM Account", "Sforce-Query-Options", "batchSize=50")).get("records")).hasSize(200);
        assertThat(json(query("query", "SELECT Id FROM Account", "Sforce-Query-Options", "batchSize=5000")).get("records")).hasSize(2000);

        JsonNode first = json(query("query", "SELECT Id FROM Account", "Sforce-Query-Options", "batchSize=1000"));
        JsonNode second = json(get(first.get("nextRecordsUrl").asText(), "Sforce-Query-Options", "batchSize=1000"));
        assertThat(second.get("records")).hasSize(1000);
        assertThat(second.get("nextRecordsUrl").asText()).endsWith("-2000");
    }

    @Test
    void theResultIsFixedWhenTheQueryRuns() throws Exception {
        List<String> created = TestRecords.accounts(sf, 2500);
        JsonNode first = json(query("query", "SELECT Id, Name FROM Account ORDER BY Name"));

        String onPageTwo = created.get(2100);
        TestRecords.delete(sf, onPageTwo);
        sf.org().update(sf.org().unit(), "Account", new RecordInput(created.get(2200), Map.of("Name", "AAA first now"), null, null), WriteOptions.DEFAULT);
        sf.org().update(sf.org().unit(), "Account", new RecordInput(created.get(10), Map.of("Name", "ZZZ last now"), null, null), WriteOptions.DEFAULT);
        TestRecords.account(sf, "Account 00000 new");

        JsonNode second = json(get(first.get("nextRecordsUrl").asText()));
        assertThat(ids(second)).as("the same 500 records, none moved in or out").containsExactlyElementsOf(created.subList(2000, 2500));
        assertThat(second.get("records").get(100).get("Name").asText()).as("as they were when the query ran").isEqualTo("Account 02101");
        assertThat(second.get("records").get(200).get("Name").asText()).isEqualTo("Account 02201");
        assertThat(second.get("totalSize").asInt()).isEqualTo(2500);
    }

    @Test
    void aLocatorCanBeAskedForAgainUntilItExpiresAndABadOneIsRefused() throws Exception {
        TestRecords.accounts(sf, 2100);
        String next = json(query("query", "SELECT Id FROM Account")).get("nextRecordsUrl").asText();
        assertThat(ids(json(get(next)))).as("asked twice, as after a lost answer").isEqualTo(ids(json(get(next))));
        assertThat(sf.queryCursors().open()).isEqualTo(1);

        String locator = next.substring(next.lastIndexOf('/') + 1, next.lastIndexOf('-'));
        for (String bad : List.of("/services/data/v62.0/query/01g5e0000000000AAA-2000", "/services/data/v62.0/query/" + locator + "-9000",
                "/services/data/v62.0/query/nonsense")) {
            HttpResponse<String> refused = get(bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(refused).get(0).get("errorCode").asText()).isEqualTo("INVALID_QUERY_LOCATOR");
        }

        sf.queryCursors().expireAll();
        HttpResponse<String> expired = get(next);
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(json(expired).get(0).get("errorCode").asText()).isEqualTo("INVALID_QUERY_LOCATOR");

        String again = json(query("query", "SELECT Id FROM Account")).get("nextRecordsUrl").asText();
        rest.send("POST", "/__sim/cursors/expire", "{}");
        assertThat(get(again).statusCode()).as("expired through the admin API").isEqualTo(400);
        assertThat(sf.calls().calls("REST", "queryMore")).extracting(CallLog.Call::outcome).contains("INVALID_QUERY_LOCATOR");
    }

    @Test
    void queryAllIncludesDeletedRecordsAndPagesTheSameWay() throws Exception {
        List<String> created = TestRecords.accounts(sf, 2100);
        TestRecords.delete(sf, created.get(0));
        TestRecords.delete(sf, created.get(2099));

        assertThat(json(query("query", "SELECT Id FROM Account")).get("totalSize").asInt()).isEqualTo(2098);
        assertThat(json(query("query", "SELECT Id FROM Account WHERE IsDeleted = true")).get("totalSize").asInt()).isZero();
        JsonNode deleted = json(query("queryAll", "SELECT Id, IsDeleted FROM Account WHERE IsDeleted = true ORDER BY Name"));
        assertThat(ids(deleted)).containsExactly(created.get(0), created.get(2099));
        assertThat(deleted.get("records").get(0).get("IsDeleted").asBoolean()).isTrue();

        JsonNode first = json(query("queryAll", "SELECT Id, IsDeleted FROM Account ORDER BY Name"));
        assertThat(first.get("totalSize").asInt()).isEqualTo(2100);
        String next = first.get("nextRecordsUrl").asText();
        assertThat(next).as("Salesforce's queryAll locators say query").contains("/query/");
        JsonNode rest = json(get(next.replace("/query/", "/queryAll/")));
        assertThat(ids(rest)).hasSize(100).endsWith(created.get(2099));
        assertThat(sf.calls().calls("REST", "queryAll")).hasSize(2);
    }

    @Test
    void countAnswersTheNumberOfRecordsAndNoRows() throws Exception {
        List<String> created = TestRecords.accounts(sf, 2500);
        TestRecords.delete(sf, created.get(0));
        JsonNode count = json(query("query", "SELECT COUNT() FROM Account"));
        assertThat(count.get("totalSize").asInt()).isEqualTo(2499);
        assertThat(count.get("done").asBoolean()).isTrue();
        assertThat(count.get("records")).isEmpty();
        assertThat(json(query("queryAll", "SELECT COUNT() FROM Account WHERE Name LIKE 'Account 0000%'")).get("totalSize").asInt()).isEqualTo(9);
        assertThat(json(query("query", "SELECT COUNT(Name) FROM Account")).get(0).get("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
    }

    @Test
    void aDroppedPageIsReadAgainWithTheSameLocator() throws Exception {
        TestRecords.accounts(sf, 2100);
        String next = json(query("query", "SELECT Id FROM Account")).get("nextRecordsUrl").asText();
        sf.faults().dropQueryResponses(1);
        assertThat(rest.statusLineOfBareGet(next)).as("closed without an answer").isNull();
        assertThat(rest.statusLineOfBareGet(next)).isEqualTo("HTTP/1.1 200 OK");
        JsonNode page = json(get(next));
        assertThat(page.get("records")).hasSize(100);
        assertThat(sf.calls().calls("REST", "queryMore")).extracting(CallLog.Call::outcome).containsExactly("RESPONSE_DROPPED", "OK", "OK");

        rest.send("POST", "/__sim/faults", "{\"dropQueryResponses\": 1}");
        String first = "/services/data/v62.0/query?q=SELECT+Id+FROM+Account";
        assertThat(rest.statusLineOfBareGet(first)).as("through the admin API").isNull();
        assertThat(get(first).statusCode()).isEqualTo(200);
    }

    @Test
    void readsGoOnInMaintenanceAndMeetTheOrgsOtherFaults() throws Exception {
        TestRecords.accounts(sf, 2100);
        sf.faults().maintenance(true);
        JsonNode first = json(query("query", "SELECT Id FROM Account"));
        assertThat(first.get("records")).as("a read-only org still answers queries").hasSize(2000);
        String next = first.get("nextRecordsUrl").asText();

        sf.faults().unavailable(Faults.Unavailable.HTTP_503);
        assertThat(get(next).statusCode()).isEqualTo(503);
        sf.faults().unavailable(Faults.Unavailable.CONNECTION_RESET);
        assertThatThrownBy(() -> get(next)).isInstanceOf(IOException.class);
        sf.faults().unavailable(Faults.Unavailable.NONE);

        sf.faults().dailyApiLimit(sf.faults().apiRequests());
        HttpResponse<String> overLimit = get(next);
        assertThat(overLimit.statusCode()).isEqualTo(403);
        assertThat(json(overLimit).get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        sf.faults().dailyApiLimit(15_000_000);

        sf.sessions().expireAll();
        HttpResponse<String> expired = get(next);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json(expired).get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        rest.relogin();
        assertThat(json(get(next)).get("records")).as("the cursor outlives the session").hasSize(100);
    }

    @Test
    void recordsOfOneTransactionShareTheirWholeSecondStamps() throws Exception {
        SimulatedOrg.Unit unit = sf.org().unit();
        Set<Object> stamps = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            SaveOutcome o = sf.org().create(unit, "Account", new RecordInput(null, Map.of("Name", "N" + i), null, null), WriteOptions.DEFAULT);
            stamps.add(sf.org().find(o.id()).orElseThrow().get("SystemModstamp"));
        }
        assertThat(stamps).hasSize(1);
        JsonNode row = json(query("query", "SELECT Id, CreatedDate, SystemModstamp FROM Account")).get("records").get(0);
        assertThat(row.get("SystemModstamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.000\\+0000");
        assertThat(row.get("CreatedDate").asText()).isEqualTo(row.get("SystemModstamp").asText());
    }
}
