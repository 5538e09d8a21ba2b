package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.LatencyProfile;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mappings are read at once, up to {@code pgforce.read.concurrency} (4, the default, here): a long
 * load of one mapping does not hold back the polls of another, and a mapping is never read by two
 * reads at once. Contact's load (4,500 records, above the test profile's Bulk threshold of 3,000)
 * is held in flight by a Bulk query job that waits in Salesforce's queue; Account is polled every
 * second meanwhile (test-read.yaml).
 */
@QuarkusTest
@EndToEnd(mapping = "test-read.yaml")
@TestProfile(BulkReadTestProfile.class)
class ReadConcurrencyTest extends EndToEndReads {

    /** A few of Account's poll intervals (1s): well inside the time Contact's job waits in the queue. */
    private static final Duration FEW_POLLS = Duration.ofSeconds(10);

    private List<CallLog.Call> bulkCreates() {
        return r.t.sf.calls().calls().stream().filter(c -> c.api().equals("BULK_QUERY") && c.operation().equals("create")).toList();
    }

    /** Contact's COUNT() queries: one for each read that began a load of the whole object. */
    private long contactCounts() {
        return r.t.sf.calls().calls().stream().filter(c -> c.api().equals("REST") && c.operation().equals("query") && c.objects().contains("Contact")).count();
    }

    private Object lastPollStarted(String table) {
        return r.t.db.scalar("SELECT last_poll_started FROM salesforce._pgforce_read_state WHERE table_name = ?", table);
    }

    @Test
    void aLongLoadOfOneMappingDoesNotHoldBackThePollsOfAnotherNorIsItReadTwiceAtOnce() throws Exception {
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 1; i <= 4500; i++) {
            contacts.add(Map.of("LastName", "Contact " + i, "External_Id__c", String.format("C-%05d", i)));
        }
        List<String> ids = r.createMany("Contact", contacts);
        r.t.sf.calls().clear();
        // Contact's job stays in Salesforce's queue far longer than the test looks: its read stays in flight
        r.t.sf.faults().profile(new LatencyProfile("queued", 0, 0, 0, 600_000, 0));

        r.resume();
        await().atMost(WITHIN).until(() -> bulkCreates().size() == 1 && "LOADING".equals(r.state("contact").get("phase")));
        Object contactStarted = lastPollStarted("contact");
        Object accountStarted = lastPollStarted("account");

        String created = r.create("Account", Map.of("Name", "Created during Contact's load", "External_Id__c", "A-1"));
        await().atMost(FEW_POLLS).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid = ?", created) == 1);
        String updated = r.create("Account", Map.of("Name", "Before", "External_Id__c", "A-2"));
        await().atMost(FEW_POLLS).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid = ?", updated) == 1);
        r.update("Account", updated, Map.of("Name", "After"));
        await().atMost(FEW_POLLS).until(() -> "After".equals(r.t.db.scalar("SELECT name FROM salesforce.account WHERE sfid = ?", updated)));

        assertThat(r.state("contact")).as("Contact's load is still in flight").containsEntry("phase", "LOADING");
        assertThat(lastPollStarted("account")).as("Account was polled meanwhile").isNotEqualTo(accountStarted);
        // one read of Contact all along: no other began (each would have begun anew: a start, a count or the job polled twice)
        assertThat(lastPollStarted("contact")).as("no second read of Contact began").isEqualTo(contactStarted);
        assertThat(contactCounts()).as("Contact counted once").isEqualTo(1);
        assertThat(bulkCreates()).as("one job").hasSize(1);

        // the held job aborted, the load goes on with a new one, out of the queue at once
        r.t.sf.faults().profile(LatencyProfile.ZERO);
        String job = bulkCreates().get(0).detail().get("jobId");
        HttpResponse<String> aborted = r.salesforce.send("PATCH", "/services/data/v62.0/jobs/query/" + job, "{\"state\": \"Aborted\"}");
        assertThat(aborted.statusCode()).as(aborted.body()).isEqualTo(200);
        await().atMost(WITHIN).until(() -> "SYNCED".equals(r.state("contact").get("phase")));
        assertThat(r.t.db.query("SELECT sfid FROM salesforce.contact ORDER BY sfid")).extracting(row -> (String) row.get("sfid"))
                .containsExactlyElementsOf(ids.stream().sorted().toList());
        assertThat(lastPollStarted("contact")).as("the same read ended it").isEqualTo(contactStarted);
    }
}
