package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.Faults;
import io.pgforce.simulator.LatencyProfile;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A load at or above {@code pgforce.read.bulk-threshold} (3,000 here) goes through one Bulk API
 * 2.0 query job, its results applied page by page (1,000 records a page here); below it, and for
 * every poll, REST query pages. A load cut short resumes from the job's next locator.
 */
@QuarkusTest
@EndToEnd(mapping = "test-read.yaml")
@TestProfile(BulkReadTestProfile.class)
class BulkLoadTest extends EndToEndReads {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final int CONTACTS = 4500;

    private List<String> contacts() throws Exception {
        r.createMany("Account", List.of(Map.of("Name", "Parent", "External_Id__c", "A-1")));
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 1; i <= CONTACTS; i++) {
            Map<String, Object> c = new HashMap<>(Map.of("LastName", "Contact " + i, "External_Id__c", String.format("C-%05d", i)));
            if (i % 2 == 0) {
                c.put("Birthdate", "1990-01-31");
                c.put("Account", Map.of("External_Id__c", "A-1"));
            }
            contacts.add(c);
        }
        return r.createMany("Contact", contacts);
    }

    /** The contacts, then reading resumed, slowly enough that the test acts while the job's pages are read; their Ids. */
    private List<String> loadPastItsFirstPage() throws Exception {
        List<String> ids = contacts();
        r.t.sf.calls().clear();
        r.t.sf.faults().latency(300, 0);
        r.resume();
        await().pollInterval(Duration.ofMillis(10)).atMost(WITHIN).until(() -> rows("contact") >= 1000);
        return ids;
    }

    private List<CallLog.Call> bulk(String operation) {
        return r.t.sf.calls().calls().stream().filter(c -> c.api().equals("BULK_QUERY") && c.operation().equals(operation)).toList();
    }

    /** The org's REST query calls (query, queryAll, queryMore) for the object, in order. */
    private List<CallLog.Call> queries(String object) {
        return r.t.sf.calls().calls().stream().filter(c -> c.api().equals("REST") && c.operation().startsWith("query") && c.objects().contains(object)).toList();
    }

    private long rows(String table) {
        return r.t.db.count("SELECT count(*) FROM salesforce." + table);
    }

    private void loadedExactly(List<String> ids) {
        await().atMost(WITHIN).until(() -> "SYNCED".equals(r.state("contact").get("phase")));
        assertThat(r.t.db.query("SELECT sfid FROM salesforce.contact ORDER BY sfid")).extracting(row -> (String) row.get("sfid"))
                .containsExactlyElementsOf(ids.stream().sorted().toList());
    }

    @Test
    void aLoadAboveTheThresholdGoesThroughOneBulkJobBelowItRestAndThePollAfterItPicksUpWhatChangedMeanwhile() throws Exception {
        List<String> ids = loadPastItsFirstPage();
        r.update("Contact", ids.get(0), Map.of("LastName", "Changed during the load"));
        String created = r.create("Contact", Map.of("LastName", "Created during the load", "External_Id__c", "C-NEW"));
        r.t.sf.faults().latency(0, 0);

        loadedExactly(ids);
        assertThat(bulk("create")).as("one Bulk query job").hasSize(1);
        assertThat(bulk("results")).extracting(CallLog.Call::records).containsExactly(1000, 1000, 1000, 1000, 500);
        assertThat(r.t.db.count("SELECT count(*) FROM salesforce.contact WHERE _hc_lastop = 'SYNCED' AND systemmodstamp IS NOT NULL "
                + "AND createddate IS NOT NULL AND NOT isdeleted")).isEqualTo(CONTACTS);
        // CSV's empty string is NULL; dates and relationship columns as the REST API's
        assertThat(r.t.db.count("SELECT count(*) FROM salesforce.contact WHERE birthdate = DATE '1990-01-31' AND account__r__external_id__c = 'A-1'"))
                .isEqualTo(CONTACTS / 2);
        assertThat(r.t.db.count("SELECT count(*) FROM salesforce.contact WHERE birthdate IS NULL AND account__r__external_id__c IS NULL"))
                .isEqualTo(CONTACTS / 2);
        assertThat(queries("Contact")).extracting(CallLog.Call::operation).as("a count before the load, no REST page").startsWith("query");
        assertThat(queries("Contact").get(0).records()).isZero();
        assertThat(queries("Account")).extracting(CallLog.Call::operation).as("one record: below the threshold, REST").startsWith("query", "queryAll");

        // the poll after the load: REST, from the watermark less the overlap
        await().atMost(WITHIN).until(() -> "Changed during the load".equals(r.t.db.scalar("SELECT lastname FROM salesforce.contact WHERE sfid = ?", ids.get(0)))
                && r.t.db.count("SELECT count(*) FROM salesforce.contact WHERE sfid = ?", created) == 1);
        assertThat(bulk("create")).as("polls are REST").hasSize(1);
        assertThat(queries("Contact")).extracting(CallLog.Call::operation).contains("queryAll");
        assertThat(r.t.db.count("SELECT count(*) FROM salesforce._pgforce_read_state WHERE bulk_job_id IS NULL AND bulk_locator IS NULL"))
                .as("a finished load forgets its job").isEqualTo(2);
    }

    @Test
    void theLoadsApiCallsAreEveryCallItMadeTheCountTheJobsCreationItsStatusPollsAndItsPages() throws Exception {
        List<String> ids = contacts();
        r.t.sf.calls().clear();
        // the job waits a second in Salesforce's queue: it is polled more than once
        r.t.sf.faults().profile(new LatencyProfile("queued", 0, 0, 0, 1_000, 0));

        r.resume();
        loadedExactly(ids);

        // what the load asked of the org: the count, then the job's calls (the polls after the load are queryAll)
        List<CallLog.Call> load = r.t.sf.calls().calls().stream().filter(c -> c.objects().contains("Contact")
                && (c.api().equals("REST") && c.operation().equals("query") || c.api().equals("BULK_QUERY") && !c.operation().startsWith("job:"))).toList();
        assertThat(load).extracting(CallLog.Call::operation).startsWith("query", "create", "poll", "poll").endsWith("results", "results", "results", "results", "results");
        assertThat(r.state("contact")).containsEntry("load_api_calls", (long) load.size());
        assertThat((Long) r.state("contact").get("api_calls")).isGreaterThanOrEqualTo(load.size());
        assertThat(r.state("account")).as("a REST load: the count and one page").containsEntry("load_api_calls", 2L);
    }

    @Test
    void aLoadCutShortByALostResultsPageResumesFromItsLocatorWithTheSameJob() throws Exception {
        List<String> ids = loadPastItsFirstPage();
        r.t.sf.faults().bulkFault(Faults.BulkStep.QUERY_RESULTS, 1, Faults.BulkFailure.LOST_RESPONSE);
        await().atMost(WITHIN).until(() -> r.t.sf.faults().bulkFaultsLeft() == 0);
        r.t.sf.faults().latency(0, 0);

        loadedExactly(ids);
        assertThat(bulk("create")).as("the same job, not a new one").hasSize(1);
        List<CallLog.Call> pages = bulk("results");
        assertThat(pages.stream().filter(c -> c.detail().get("locator") == null || c.detail().get("locator").isEmpty()))
                .as("the first page was read once: the load went on from its locator").hasSize(1);
        assertThat(pages).extracting(CallLog.Call::records).as("every page once").containsExactlyInAnyOrder(1000, 1000, 1000, 1000, 500);
        assertThat(r.t.calls("BULK_QUERY", "QUERY_RESULTS")).extracting(CallLog.Call::outcome).containsExactly("LOST_RESPONSE");
        assertThat(r.state("contact")).containsEntry("records_applied", (long) CONTACTS);
    }

    @Test
    void aJobOverTheDailyQuotaWaitsWithBackOffAndTheLoadGoesOnOnceJobsCanBeCreatedAgain() throws Exception {
        List<String> ids = contacts();
        r.t.sf.calls().clear();
        r.t.sf.faults().dailyBulkQueryJobLimit(0);

        r.resume();
        await().atMost(WITHIN).until(() -> r.t.sf.calls().calls().stream()
                .filter(c -> c.api().equals("BULK_QUERY") && c.operation().equals("create") && c.outcome().equals("EXCEEDEDQUOTA")).count() >= 2);
        assertThat(r.state("contact").get("phase")).as("waiting, not in error").isNotEqualTo("ERROR");
        assertThat((String) r.state("contact").get("last_error")).startsWith("waiting: ");
        r.t.sf.faults().dailyBulkQueryJobLimit(10_000);

        loadedExactly(ids);
        assertThat(bulk("create")).extracting(CallLog.Call::outcome).as("one job created").containsOnlyOnce("OK");
        assertThat(r.state("contact")).containsEntry("last_error", null);
    }

    @Test
    void aResultsLocatorSalesforceNoLongerTakesStartsTheLoadOverWithANewJobWithoutDuplicates() throws Exception {
        List<String> ids = loadPastItsFirstPage();
        // the load waits: no results page is answered, none is applied
        r.t.sf.faults().bulkFault(Faults.BulkStep.QUERY_RESULTS, 1_000_000, Faults.BulkFailure.HTTP_503);
        await().atMost(WITHIN).until(() -> String.valueOf(r.state("contact").get("last_error")).startsWith("waiting: "));
        // the recorded locator expires (Salesforce answers INVALID_QUERY_LOCATOR), as the next read finds it
        r.t.db.update("UPDATE salesforce._pgforce_read_state SET bulk_locator = 'expired' WHERE table_name = 'contact'");
        r.polledAfterNow("contact");
        r.t.sf.faults().bulkFault(Faults.BulkStep.QUERY_RESULTS, 0, Faults.BulkFailure.HTTP_503);
        r.t.sf.faults().latency(0, 0);

        loadedExactly(ids);
        assertThat(bulk("results")).extracting(CallLog.Call::outcome).contains("INVALID_QUERY_LOCATOR");
        assertThat(bulk("create")).as("a new job for the one whose locator was refused").hasSize(2);
        assertThat(r.state("contact")).containsEntry("last_error", null);
    }

    @Test
    void aJobThatIsAbortedIsReplacedByANewOne() throws Exception {
        List<String> ids = contacts();
        r.t.sf.calls().clear();
        // the job waits in Salesforce's queue long enough to be aborted there
        r.t.sf.faults().profile(new LatencyProfile("queued", 0, 0, 0, 30_000, 0));

        r.resume();
        await().atMost(WITHIN).until(() -> bulk("create").size() == 1);
        String job = bulk("create").get(0).detail().get("jobId");
        HttpResponse<String> aborted = r.salesforce.send("PATCH", "/services/data/v62.0/jobs/query/" + job, "{\"state\": \"Aborted\"}");
        assertThat(aborted.statusCode()).as(aborted.body()).isEqualTo(200);
        r.t.sf.faults().profile(LatencyProfile.ZERO);

        loadedExactly(ids);
        assertThat(bulk("create")).as("a new job for the aborted one").hasSize(2);
    }

    @Test
    void faultsOnEveryStepOfTheJobLeaveTheLoadWaitingAndItEndsExact() throws Exception {
        List<String> ids = contacts();
        r.t.sf.calls().clear();
        // each fault is switched on while the read waits for the one before it
        r.t.sf.faults().latency(300, 0);
        r.t.sf.faults().bulkFault(Faults.BulkStep.QUERY_CREATE, 2, Faults.BulkFailure.HTTP_503);

        r.resume();
        await().atMost(WITHIN).until(() -> r.t.sf.faults().bulkFaultsLeft() == 0);
        r.t.sf.faults().bulkFault(Faults.BulkStep.QUERY_POLL, 2, Faults.BulkFailure.LOST_RESPONSE);
        await().atMost(WITHIN).until(() -> r.t.sf.faults().bulkFaultsLeft() == 0);
        r.t.sf.sessions().expireAll();
        r.t.sf.faults().bulkFault(Faults.BulkStep.QUERY_RESULTS, 2, Faults.BulkFailure.HTTP_503);
        await().atMost(WITHIN).until(() -> r.t.sf.faults().bulkFaultsLeft() == 0);
        r.t.sf.faults().latency(0, 0);

        loadedExactly(ids);
        assertThat(bulk("create")).as("one job: no create was answered without being made").hasSize(1);
        assertThat(r.t.calls("BULK_QUERY", "QUERY_RESULTS")).hasSize(2);
        assertThat(r.state("contact")).containsEntry("records_applied", (long) CONTACTS).containsEntry("last_error", null);
    }
}
