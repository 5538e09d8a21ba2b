package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.Faults;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * Accelerated polling end to end: the application subscribes to the simulated org's change events
 * (CometD, camel-salesforce's consumer) and reads a mapping at the next tick when one arrives.
 * Account and Contact are polled every 10 minutes, Account with accelerated polling; Lead every 3
 * seconds, with it (test-accelerated.yaml). Each test begins after the org's reset, which makes the
 * stream handshake and subscribe again; it waits for that subscribe, as events published before it
 * are not delivered (replayId -1).
 */
@QuarkusTest
@EndToEnd(mapping = "test-accelerated.yaml")
@TestProfile(ReadTestProfile.class)
class AcceleratedPollingTest extends EndToEndReads {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far below the 10 minutes' interval, above a tick and an event's way. */
    private static final Duration AT_ONCE = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL root;

    /** camel-salesforce's CometD client may throw on its own threads when a connection is reset (CamelSalesforceStreamingConformanceTest). */
    private static ConditionFactory waiting(Duration atMost) {
        return await().dontCatchUncaughtExceptions().atMost(atMost);
    }

    private JsonNode mapping(String object) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(root + "api/mappings"))
                .header("Authorization", "Bearer test-admin-token").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        for (JsonNode m : JSON.readTree(answer.body())) {
            if (m.path("object").asText().equals(object)) {
                return m;
            }
        }
        throw new AssertionError("no mapping " + object);
    }

    /** The read state's stream: true subscribed, false down; null without accelerated polling, missing before the first read. */
    private JsonNode stream(String object) throws Exception {
        return mapping(object).path("read").path("streamSubscribed");
    }

    private long subscribes(String channel) {
        return r.t.sf.calls().calls("STREAMING", "subscribe").stream()
                .filter(c -> c.outcome().equals("OK") && channel.equals(String.valueOf(c.detail().get("subscription")))).count();
    }

    private List<CallLog.Call> polls(String object) {
        return r.t.sf.calls().calls().stream().filter(c -> c.api().equals("REST") && c.operation().equals("queryAll") && c.objects().contains(object)).toList();
    }

    private long rows(String table, String where, Object... args) {
        return r.t.db.count("SELECT count(*) FROM salesforce." + table + " WHERE " + where, args);
    }

    /** Reading resumed, both 10-minute mappings read once (loaded or polled), the streams subscribed again after the org's reset. */
    private void resumedAndSubscribed() throws Exception {
        r.resume();
        waiting(Duration.ofSeconds(60)).until(() -> subscribes("/data/AccountChangeEvent") >= 1 && subscribes("/data/LeadChangeEvent") >= 1
                && stream("Account").asBoolean(false) && stream("Lead").asBoolean(false));
    }

    @Test
    void aRecordCreatedInSalesforceIsReadWithinSecondsWithAcceleratedPollingAndOnlyAtItsIntervalWithout() throws Exception {
        resumedAndSubscribed();
        r.t.sf.calls().clear();

        String account = r.create("Account", Map.of("Name", "Acme", "External_Id__c", "A-1"));
        String contact = r.create("Contact", Map.of("LastName", "Doe"));

        waiting(AT_ONCE).until(() -> rows("account", "sfid = ? AND name = 'Acme'", account) == 1);
        assertThat(stream("Contact").isBoolean()).as("Contact has no stream").isFalse();
        // the change event hurried Account alone: Contact waits for its 10 minutes
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> rows("contact", "sfid = ?", contact) == 0);
        assertThat(polls("Contact")).isEmpty();
    }

    @Test
    void manyEventsWithinOneTickCauseOneReadAndEventsNeverWriteRowsThemselves() throws Exception {
        resumedAndSubscribed();
        r.t.sf.calls().clear();

        // 200 records in one call: 200 change events at once
        List<Map<String, Object>> accounts = new ArrayList<>();
        IntStream.rangeClosed(1, 200).forEach(i -> accounts.add(Map.of("Name", "Account " + i, "External_Id__c", "M-" + i)));
        r.createMany("Account", accounts);

        waiting(AT_ONCE).until(() -> rows("account", "true") == 200);
        // one read, perhaps a second for events that came while it ran: not one per event
        assertThat(polls("Account")).hasSizeBetween(1, 2);
    }

    @Test
    void whileTheStreamIsDownTheIntervalReadsAndOnceItIsBackItReadsAtOnceAndEventsWorkAgain() throws Exception {
        resumedAndSubscribed();

        r.t.sf.faults().streamingUnavailable(Faults.Unavailable.CONNECTION_RESET);
        waiting(Duration.ofSeconds(30)).until(() -> !stream("Account").asBoolean(true) && !stream("Lead").asBoolean(true));

        // Lead's 3 seconds bring it; Account's 10 minutes would not, and no event can
        String lead = r.create("Lead", Map.of("LastName", "Smith", "Company", "Initech"));
        String account = r.create("Account", Map.of("Name", "While down", "External_Id__c", "D-1"));
        waiting(Duration.ofSeconds(30)).until(() -> rows("lead", "sfid = ?", lead) == 1);
        assertThat(rows("account", "sfid = ?", account)).as("no event while the stream is down").isZero();

        r.t.sf.faults().streamingUnavailable(Faults.Unavailable.NONE);
        // connected again (the org still knows the client: no new subscribe), a read at once covers the gap
        waiting(Duration.ofSeconds(60)).until(() -> stream("Account").asBoolean(false));
        waiting(AT_ONCE).until(() -> rows("account", "sfid = ?", account) == 1);

        String after = r.create("Account", Map.of("Name", "After", "External_Id__c", "D-2"));
        waiting(AT_ONCE).until(() -> rows("account", "sfid = ?", after) == 1);
    }

    @Test
    void aDroppedStreamHandshakesAgainAndEventsGoOn() throws Exception {
        resumedAndSubscribed();
        long before = subscribes("/data/AccountChangeEvent");

        r.t.sf.dropStreamingClients();
        waiting(Duration.ofSeconds(60)).until(() -> subscribes("/data/AccountChangeEvent") > before && stream("Account").asBoolean(false));

        String account = r.create("Account", Map.of("Name", "After the drop", "External_Id__c", "X-1"));
        waiting(AT_ONCE).until(() -> rows("account", "sfid = ?", account) == 1);
    }
}
