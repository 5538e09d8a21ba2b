package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bulk API 2.0 query jobs over plain HTTP: their states, results in pages with locators, queryAll, CSV values, and what is refused. */
@ExtendWith(SimulatorExtension.class)
class SimulatorBulkQueryTest {

    private BulkQueryTestClient jobs;

    @BeforeEach
    void login(SalesforceSimulator sf) throws Exception {
        jobs = BulkQueryTestClient.login(sf);
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return RestTestClient.json(r);
    }

    private static String errorCode(HttpResponse<String> r) throws IOException {
        return json(r).get(0).get("errorCode").asText();
    }

    /** The first column of every row after the header (Ids, when the query selects Id first). */
    private static List<String> firstColumn(String csv) {
        return csv.lines().skip(1).map(l -> l.substring(1, l.indexOf('"', 1))).toList();
    }

    /** A queue wait of {@code queueMillis} and a processing rate, nothing else: the timeline of the jobs created from now on. */
    private static void bulkTimeline(SalesforceSimulator sf, long queueMillis, long recordsPerSecond) {
        sf.faults().profile(new LatencyProfile("bulk-timeline", 0, 0, 0, queueMillis, recordsPerSecond));
    }

    @Test
    void aJobGoesFromUploadCompleteThroughInProgressToJobCompleteAndItsResultsWaitForTheEnd(SalesforceSimulator sf) throws Exception {
        TestRecords.accounts(sf, 3000);
        bulkTimeline(sf, 1_000, 5_000); // a second in the queue, then 0.6 s for 3,000 rows

        JsonNode created = json(jobs.create("{\"operation\": \"query\", \"query\": \"SELECT Id FROM Account\"}"));
        assertThat(created.get("id").asText()).matches("750[0-9A-Za-z]{15}");
        assertThat(created.get("state").asText()).isEqualTo("UploadComplete");
        assertThat(created.get("operation").asText()).isEqualTo("query");
        assertThat(created.get("object").asText()).isEqualTo("Account");
        assertThat(created.get("jobType").asText()).isEqualTo("V2Query");
        assertThat(created.get("contentType").asText()).isEqualTo("CSV");
        assertThat(created.get("columnDelimiter").asText()).isEqualTo("COMMA");
        assertThat(created.get("lineEnding").asText()).isEqualTo("LF");
        assertThat(created.get("apiVersion").asDouble()).isEqualTo(62.0);
        String id = created.get("id").asText();

        HttpResponse<String> queued = jobs.results(id, "");
        assertThat(queued.statusCode()).isEqualTo(412);
        assertThat(errorCode(queued)).isEqualTo("JOB_NOT_COMPLETE");
        assertThat(json(queued).get(0).get("message").asText()).endsWith("Current status: UPLOAD_COMPLETE");

        jobs.awaitState(id, "InProgress");
        HttpResponse<String> running = jobs.results(id, "");
        assertThat(running.statusCode()).isEqualTo(412);
        assertThat(json(running).get(0).get("message").asText()).endsWith("Current status: IN_PROGRESS");

        jobs.awaitState(id, "JobComplete");
        JsonNode done = jobs.info(id);
        assertThat(done.get("numberRecordsProcessed").asLong()).isEqualTo(3000);
        assertThat(done.get("totalProcessingTime").asLong()).as("3,000 rows at 5,000 a second").isGreaterThanOrEqualTo(500);
        assertThat(jobs.results(id, "").statusCode()).isEqualTo(200);
        assertThat(sf.calls().calls("BULK_QUERY", "job:query")).extracting(CallLog.Call::records).containsExactly(3000);
    }

    @Test
    void resultsComeInPagesOfMaxRecordsFollowedWithTheLocatorUntilItSaysNull(SalesforceSimulator sf) throws Exception {
        List<String> created = TestRecords.accounts(sf, 12_500);
        String id = jobs.completed("query", "SELECT Id, Name FROM Account ORDER BY Name");

        List<String> ids = new ArrayList<>();
        List<String> sizes = new ArrayList<>();
        List<String> locators = new ArrayList<>();
        String locator = null;
        do {
            HttpResponse<String> page = jobs.results(id, "?maxRecords=5000" + (locator == null ? "" : "&locator=" + locator));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/csv");
            assertThat(page.body().lines().findFirst()).hasValue("\"Id\",\"Name\"");
            String count = page.headers().firstValue("Sforce-NumberOfRecords").orElseThrow();
            assertThat(page.body().lines().count()).isEqualTo(Long.parseLong(count) + 1);
            sizes.add(count);
            ids.addAll(firstColumn(page.body()));
            locator = page.headers().firstValue("Sforce-Locator").orElseThrow();
            locators.add(locator);
        } while (!locator.equals("null"));

        assertThat(sizes).containsExactly("5000", "5000", "2500");
        assertThat(ids).as("every record once, in the query's order").containsExactlyElementsOf(created);
        assertThat(locators.get(0)).as("opaque, safe in a URL as it is").matches("[A-Za-z0-9_-]+").isNotEqualTo(locators.get(1));

        HttpResponse<String> again = jobs.results(id, "?maxRecords=5000&locator=" + locators.get(0));
        assertThat(firstColumn(again.body())).as("a locator can be asked for again").containsExactlyElementsOf(created.subList(5000, 10_000));
        HttpResponse<String> whole = jobs.results(id, "");
        assertThat(whole.headers().firstValue("Sforce-NumberOfRecords")).as("no maxRecords: up to 50,000 rows").hasValue("12500");
        assertThat(whole.headers().firstValue("Sforce-Locator")).hasValue("null");

        assertThat(sf.calls().calls("BULK_QUERY", "results")).extracting(CallLog.Call::records).containsExactly(5000, 5000, 2500, 5000, 12_500);
        assertThat(sf.calls().calls("BULK_QUERY", "create")).hasSize(1);
        assertThat(sf.calls().calls("BULK_QUERY", "poll")).isNotEmpty();
    }

    @Test
    void aLocatorOfAnotherJobOrPastTheEndAndABadMaxRecordsAreRefused(SalesforceSimulator sf) throws Exception {
        TestRecords.accounts(sf, 30);
        String id = jobs.completed("query", "SELECT Id FROM Account");
        String other = jobs.completed("query", "SELECT Id FROM Account");
        String othersLocator = jobs.results(other, "?maxRecords=10").headers().firstValue("Sforce-Locator").orElseThrow();
        assertThat(jobs.results(other, "?locator=" + othersLocator).statusCode()).isEqualTo(200);

        for (String bad : List.of(othersLocator, OffsetLocator.of(id, 30), OffsetLocator.of(id, 0), "nonsense!", "null")) {
            HttpResponse<String> refused = jobs.results(id, "?locator=" + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(errorCode(refused)).isEqualTo("INVALID_QUERY_LOCATOR");
        }
        for (String bad : List.of("0", "-5", "many")) {
            assertThat(jobs.results(id, "?maxRecords=" + bad).statusCode()).as(bad).isEqualTo(400);
        }
        HttpResponse<String> otherVersion = jobs.rest().get("/services/data/v61.0/jobs/query/" + id + "/results");
        assertThat(otherVersion.statusCode()).as("results are read in the version that created the job").isEqualTo(409);
    }

    @Test
    void queryAllIncludesDeletedRecordsAndQueryDoesNot(SalesforceSimulator sf) throws Exception {
        List<String> created = TestRecords.accounts(sf, 3);
        TestRecords.delete(sf, created.get(1));

        String live = jobs.results(jobs.completed("query", "SELECT Id, IsDeleted FROM Account"), "").body();
        assertThat(firstColumn(live)).containsExactly(created.get(0), created.get(2));
        String all = jobs.results(jobs.completed("queryAll", "SELECT Id, IsDeleted FROM Account"), "").body();
        assertThat(firstColumn(all)).containsExactlyElementsOf(created);
        assertThat(all.lines().toList().get(2)).isEqualTo("\"" + created.get(1) + "\",\"true\"");
        String deleted = jobs.results(jobs.completed("queryAll", "SELECT Id FROM Account WHERE IsDeleted = true"), "").body();
        assertThat(firstColumn(deleted)).containsExactly(created.get(1));
        assertThat(sf.calls().calls("BULK_QUERY", "job:queryAll")).extracting(CallLog.Call::records).containsExactly(3, 1);
    }

    @Test
    void theResultIsFixedWhenTheJobRunsNotWhenItIsCreatedOrRead(SalesforceSimulator sf) throws Exception {
        List<String> created = TestRecords.accounts(sf, 3);
        bulkTimeline(sf, 2_000, 0);
        String id = jobs.create("query", "SELECT Id, Name FROM Account ORDER BY Name");
        String whileQueued = TestRecords.account(sf, "Account 00000 added while the job waited");
        assertThat(jobs.state(id)).as("the record came before the job ran").isEqualTo("UploadComplete");
        jobs.awaitState(id, "JobComplete");

        TestRecords.delete(sf, created.get(0));
        sf.org().update(sf.org().unit(), "Account", new RecordInput(created.get(1), Map.of("Name", "ZZZ renamed after the run"), null, null),
                WriteOptions.DEFAULT);
        TestRecords.account(sf, "Account 00000 added after the run");

        String csv = jobs.results(id, "").body();
        assertThat(firstColumn(csv)).containsExactly(whileQueued, created.get(0), created.get(1), created.get(2));
        assertThat(csv).contains("\"Account 00002\"").doesNotContain("ZZZ");
    }

    @Test
    void valuesAreWrittenAsBulkCsvWritesThemInTheJobsDelimiterAndLineEnding(SalesforceSimulator sf) throws Exception {
        SimulatedOrg.Unit unit = sf.org().unit();
        String account = sf.org().create(unit, "Account", new RecordInput(null, Map.of("Name", "Acme \"Big\", Inc.", "External_Id__c", "A-1"), null, null),
                WriteOptions.DEFAULT).id();
        sf.org().create(unit, "Invoice__c", new RecordInput(null, Map.of("Name", "Inv 1", "Amount__c", "12.50", "Paid__c", "true",
                "Due_Date__c", "2024-01-31", "Issued_At__c", "2024-01-01T13:00:00+01:00", "Account__c", account), null, null), WriteOptions.DEFAULT);
        sf.org().create(unit, "Invoice__c", new RecordInput(null, Map.of("Name", "Inv 2", "Amount__c", "7", "Paid__c", "false"), null, null),
                WriteOptions.DEFAULT);

        String id = jobs.completed("query", "SELECT Name, Amount__c, Paid__c, Due_Date__c, Issued_At__c, account__r.name, Account__r.external_id__c "
                + "FROM Invoice__c ORDER BY Name");
        assertThat(jobs.results(id, "").body()).isEqualTo("""
                "Name","Amount__c","Paid__c","Due_Date__c","Issued_At__c","Account__r.Name","Account__r.External_Id__c"
                "Inv 1","12.5","true","2024-01-31","2024-01-01T12:00:00.000Z","Acme ""Big"", Inc.","A-1"
                "Inv 2","7","false","","","",""
                """);

        HttpResponse<String> tabs = jobs.create("{\"operation\": \"query\", \"query\": \"SELECT Name, Paid__c FROM Invoice__c ORDER BY Name\", "
                + "\"columnDelimiter\": \"TAB\", \"lineEnding\": \"CRLF\"}");
        assertThat(json(tabs).get("columnDelimiter").asText()).isEqualTo("TAB");
        String tabsId = json(tabs).get("id").asText();
        jobs.awaitState(tabsId, "JobComplete");
        assertThat(jobs.results(tabsId, "").body()).isEqualTo("\"Name\"\t\"Paid__c\"\r\n\"Inv 1\"\t\"true\"\r\n\"Inv 2\"\t\"false\"\r\n");
    }

    @Test
    void whatBulkApi20CannotQueryIsRefusedWhenTheJobIsCreated() throws Exception {
        Map<String, String> refused = Map.of(
                "SELECT COUNT() FROM Account", "API_ERROR",
                "SELECT Id FROM Account LIMIT 10 OFFSET 5", "API_ERROR",
                "SELECT Name FROM Account GROUP BY Name", "API_ERROR",
                "SELECT FIELDS(STANDARD) FROM Account", "API_ERROR",
                "SELECT Nope__c FROM Account", "INVALID_FIELD",
                "SELECT Account.Nope__c FROM Contact", "INVALID_FIELD",
                "SELECT Id FROM Nope__c", "INVALID_TYPE",
                "SELEKT Id FROM Account", "MALFORMED_QUERY");
        for (Map.Entry<String, String> q : refused.entrySet()) {
            HttpResponse<String> r = jobs.create("{\"operation\": \"query\", \"query\": \"" + q.getKey() + "\"}");
            assertThat(r.statusCode()).as(q.getKey()).isEqualTo(400);
            assertThat(errorCode(r)).as(q.getKey()).isEqualTo(q.getValue());
        }
        for (String body : List.of("{\"operation\": \"insert\", \"query\": \"SELECT Id FROM Account\"}", "{\"operation\": \"query\"}",
                "{\"operation\": \"query\", \"query\": \"SELECT Id FROM Account\", \"columnDelimiter\": \"SPACE\"}",
                "{\"operation\": \"query\", \"query\": \"SELECT Id FROM Account\", \"contentType\": \"JSON\"}")) {
            assertThat(errorCode(jobs.create(body))).as(body).isEqualTo("API_ERROR");
        }
        jobs.create("query", "SELECT Id FROM Account WHERE Name = 'count() offset group by'");
        assertThat(json(jobs.rest().get(BulkQueryTestClient.JOBS)).get("records")).as("only the last was created").hasSize(1);
    }

    @Test
    void aWaitingJobIsAbortedAndNeverRunsAndOnlyFinishedJobsAreDeleted(SalesforceSimulator sf) throws Exception {
        TestRecords.accounts(sf, 5);
        String done = jobs.completed("query", "SELECT Id FROM Account");
        bulkTimeline(sf, 2_000, 0);
        String waiting = jobs.create("query", "SELECT Id FROM Account");

        HttpResponse<String> notYet = jobs.rest().send("DELETE", BulkQueryTestClient.JOBS + "/" + waiting, null);
        assertThat(notYet.statusCode()).isEqualTo(400);
        assertThat(json(notYet).get(0).get("message").asText()).isEqualTo("Error encountered when deleting the job because the job is not terminated");

        HttpResponse<String> aborted = jobs.rest().send("PATCH", BulkQueryTestClient.JOBS + "/" + waiting, "{\"state\": \"Aborted\"}");
        assertThat(json(aborted).get("state").asText()).isEqualTo("Aborted");
        for (String id : List.of(waiting, done)) {
            HttpResponse<String> again = jobs.rest().send("PATCH", BulkQueryTestClient.JOBS + "/" + id, "{\"state\": \"Aborted\"}");
            assertThat(again.statusCode()).as("only UploadComplete and InProgress jobs are aborted").isEqualTo(400);
            assertThat(errorCode(again)).isEqualTo("INVALIDJOBSTATE");
        }
        assertThat(json(jobs.results(waiting, "")).get(0).get("message").asText()).endsWith("Current status: ABORTED");

        JsonNode list = json(jobs.rest().get(BulkQueryTestClient.JOBS));
        assertThat(list.get("done").asBoolean()).isTrue();
        assertThat(list.get("nextRecordsUrl").isNull()).isTrue();
        assertThat(list.get("records")).extracting(j -> j.get("id").asText()).containsExactly(done, waiting);
        assertThat(json(jobs.rest().get(BulkQueryTestClient.JOBS + "?jobType=V2Ingest")).get("records")).isEmpty();

        for (String id : List.of(waiting, done)) {
            assertThat(jobs.rest().send("DELETE", BulkQueryTestClient.JOBS + "/" + id, null).statusCode()).isEqualTo(204);
        }
        assertThat(jobs.rest().get(BulkQueryTestClient.JOBS + "/" + done).statusCode()).isEqualTo(404);
        assertThat(jobs.rest().get(BulkQueryTestClient.JOBS + "/" + done + "/results").statusCode()).isEqualTo(404);
        assertThat(json(jobs.rest().get(BulkQueryTestClient.JOBS)).get("records")).isEmpty();
        assertThat(sf.calls().calls("BULK_QUERY", "abort")).extracting(CallLog.Call::outcome).containsExactly("OK", "INVALIDJOBSTATE", "INVALIDJOBSTATE");
    }

    @Test
    void theJobListComesInPagesOf1000() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            ids.add(jobs.create("query", "SELECT Id FROM Account"));
        }
        JsonNode first = json(jobs.rest().get(BulkQueryTestClient.JOBS));
        assertThat(first.get("done").asBoolean()).isFalse();
        assertThat(first.get("records")).hasSize(1000);
        String next = first.get("nextRecordsUrl").asText();
        assertThat(next).startsWith("/services/data/v62.0/jobs/query?queryLocator=");
        JsonNode second = json(jobs.rest().get(next));
        assertThat(second.get("done").asBoolean()).isTrue();
        assertThat(second.get("records")).extracting(j -> j.get("id").asText()).containsExactly(ids.get(1000));
    }

    @Test
    void anEmptyResultIsItsHeaderAloneWithoutALocator() throws Exception {
        String id = jobs.completed("query", "SELECT Id, Name FROM Account");
        assertThat(jobs.info(id).get("numberRecordsProcessed").asInt()).isZero();
        HttpResponse<String> empty = jobs.results(id, "");
        assertThat(empty.body()).isEqualTo("\"Id\",\"Name\"\n");
        assertThat(empty.headers().firstValue("Sforce-NumberOfRecords")).hasValue("0");
        assertThat(empty.headers().firstValue("Sforce-Locator")).hasValue("null");
    }
}
