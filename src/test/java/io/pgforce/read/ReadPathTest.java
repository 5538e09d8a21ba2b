package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.RestTestClient;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The read path end to end: the application on a real PostgreSQL reads the simulated org, which
 * the test changes as another Salesforce user would (REST sObject and sObject collections). Both
 * mappings are polled every second (test-read.yaml).
 */
@QuarkusTest
@EndToEnd(mapping = "test-read.yaml")
@TestProfile(ReadTestProfile.class)
class ReadPathTest extends EndToEndReads {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    private static List<Map<String, Object>> contacts(int count) {
        List<Map<String, Object>> contacts = new ArrayList<>();
        IntStream.rangeClosed(1, count).forEach(i -> contacts.add(Map.of("LastName", "Contact " + i, "External_Id__c", String.format("C-%05d", i))));
        return contacts;
    }

    /** The org's REST query calls (query, queryAll, queryMore) for the object, in order. */
    private List<CallLog.Call> queries(String object) {
        return r.t.sf.calls().calls().stream().filter(c -> c.api().equals("REST") && c.operation().startsWith("query") && c.objects().contains(object)).toList();
    }

    private long rows(String table) {
        return r.t.db.count("SELECT count(*) FROM salesforce." + table);
    }

    @Test
    void anInitialLoadOfMoreThan2000RecordsFillsAReadOnlyTablePageByPage() throws Exception {
        List<String> ids = r.createMany("Contact", contacts(4500));
        r.t.sf.calls().clear();

        r.resume();

        await().atMost(WITHIN).until(() -> "SYNCED".equals(r.state("contact").get("phase")) && rows("contact") == 4500);
        assertThat(r.t.db.query("SELECT sfid FROM salesforce.contact ORDER BY sfid")).extracting(row -> (String) row.get("sfid"))
                .containsExactlyElementsOf(ids.stream().sorted().toList());
        // the count (below pgforce.read.bulk-threshold: REST), the load's three pages; the polls after it read
        // again what is within the overlap, and change nothing
        assertThat(queries("Contact").subList(0, 4)).extracting(c -> c.operation() + " " + c.records())
                .containsExactly("query 0", "queryAll 2000", "queryMore 2000", "queryMore 500");
        assertThat(r.state("contact")).containsEntry("records_applied", 4500L).containsEntry("records_failed", 0L);
        assertThat(r.t.db.count("SELECT count(*) FROM salesforce.contact WHERE _hc_lastop = 'SYNCED' AND systemmodstamp IS NOT NULL AND createddate IS NOT NULL "
                + "AND NOT isdeleted")).isEqualTo(4500);
    }

    @Test
    void aPollPicksUpACreateAnUpdateAndADeleteMadeInSalesforce() throws Exception {
        r.resume();
        await().atMost(WITHIN).until(() -> "SYNCED".equals(r.state("account").get("phase")));

        String id = r.create("Account", Map.of("Name", "Acme", "External_Id__c", "P-1", "NumberOfEmployees", 12));
        await().atMost(WITHIN).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid = ? AND name = 'Acme' AND numberofemployees = 12 "
                + "AND _hc_lastop = 'SYNCED'", id) == 1);

        r.update("Account", id, Map.of("Name", "Acme Corp"));
        await().atMost(WITHIN).until(() -> "Acme Corp".equals(r.t.db.scalar("SELECT name FROM salesforce.account WHERE sfid = ?", id)));

        r.delete("Account", id);
        await().atMost(WITHIN).until(() -> rows("account") == 0);

        assertThat(r.t.db.count("SELECT count(*) FROM salesforce._trigger_log")).as("nothing the read wrote was captured").isZero();
        assertThat(r.t.calls("SOAP", "upsert")).as("nor written back to Salesforce").isEmpty();
    }

    @Test
    void aRecordWhoseTransactionCommittedLateInsideTheOverlapIsNotMissed() throws Exception {
        r.resume();
        String first = r.create("Account", Map.of("Name", "First", "External_Id__c", "L-1"));
        await().atMost(WITHIN).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid = ?", first) == 1);

        // stamped 30 s before it commits: earlier than the record already read, within the 2 minutes' overlap
        r.t.sf.faults().lateWrites(Duration.ofSeconds(30), 1);
        String late = r.create("Account", Map.of("Name", "Late", "External_Id__c", "L-2"));

        await().atMost(WITHIN).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid = ?", late) == 1);
        assertThat(r.t.db.count("SELECT count(*) FROM salesforce.account a, salesforce.account b WHERE a.sfid = ? AND b.sfid = ? "
                + "AND b.systemmodstamp < a.systemmodstamp", first, late)).as("the late record is stamped before the one read first").isOne();
    }

    @Test
    void aLoadCutShortByADroppedPageGoesOnFromItsWatermarkWithoutDuplicatesOrLosses() throws Exception {
        List<String> ids = r.createMany("Contact", contacts(4500));
        r.t.sf.calls().clear();
        // slow enough that the second page is still being answered when the first one is applied
        r.t.sf.faults().latency(300, 0);

        r.resume();
        await().pollInterval(Duration.ofMillis(10)).atMost(WITHIN).until(() -> rows("contact") >= 2000);
        r.t.sf.faults().dropQueryResponses(1, "Contact"); // not the polls of Account, read at the same time

        await().atMost(WITHIN).until(() -> "SYNCED".equals(r.state("contact").get("phase")) && rows("contact") == 4500);
        assertThat(r.t.db.count("SELECT count(DISTINCT sfid) FROM salesforce.contact")).isEqualTo(4500);
        assertThat(r.t.db.query("SELECT sfid FROM salesforce.contact ORDER BY sfid")).extracting(row -> (String) row.get("sfid"))
                .containsExactlyElementsOf(ids.stream().sorted().toList());
        assertThat(r.t.calls("REST", "queryMore")).extracting(CallLog.Call::outcome).contains("RESPONSE_DROPPED");
        assertThat(queries("Contact")).extracting(CallLog.Call::operation).as("the read began again, from its watermark").containsSubsequence("queryMore", "queryAll");
    }

    @Test
    void aRowWithAChangeNotYetWrittenKeepsItAndARowAwaitingItsSfidGetsNoTwin() throws Exception {
        r.resume();
        String remote = r.create("Account", Map.of("Name", "Remote", "External_Id__c", "R-1"));
        await().atMost(WITHIN).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid = ?", remote) == 1);

        r.pause();
        // in Salesforce, another user changes R-1 and creates U-2; in Postgres, the application changes R-1 and inserts U-2
        r.update("Account", remote, Map.of("Name", "Remote again"));
        String twin = r.create("Account", Map.of("Name", "Twin in Salesforce", "External_Id__c", "U-2"));
        r.t.db.update("UPDATE salesforce.account SET name = 'Local' WHERE sfid = ?", remote);
        r.t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Twin in Postgres', 'U-2')");
        // the changes cannot be written (maintenance); Salesforce is still read
        r.t.sf.faults().maintenance(true);
        r.resume();

        r.polledAfterNow("account");
        assertThat(r.t.db.scalar("SELECT name FROM salesforce.account WHERE sfid = ?", remote)).as("not overwritten by Salesforce's state").isEqualTo("Local");
        assertThat(r.t.db.query("SELECT sfid, name FROM salesforce.account WHERE external_id__c = 'U-2'"))
                .as("the record is the row's, whose insert waits: no second row").containsExactly(mapOf("sfid", null, "name", "Twin in Postgres"));

        r.t.sf.faults().maintenance(false);
        r.t.drained(WITHIN);
        await().atMost(WITHIN).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.account WHERE _hc_lastop = 'SYNCED'") == 2);
        assertThat(r.t.db.query("SELECT sfid, name FROM salesforce.account ORDER BY id")).containsExactly(
                mapOf("sfid", remote, "name", "Local"), mapOf("sfid", twin, "name", "Twin in Postgres"));
        assertThat(r.t.record("Account", "R-1").get("Name")).isEqualTo("Local");
    }

    @Test
    void aValueTooLongForItsColumnFailsOnlyThatRecord() throws Exception {
        r.createMany("Account", List.of(Map.of("Name", "Short", "External_Id__c", "V-1"),
                Map.of("Name", "Long", "External_Id__c", "V-2", "Description", "x".repeat(100)),
                Map.of("Name", "Also short", "External_Id__c", "V-3", "Description", "fits")));

        r.resume();

        await().atMost(WITHIN).until(() -> "SYNCED".equals(r.state("account").get("phase")));
        assertThat(r.t.db.query("SELECT external_id__c FROM salesforce.account ORDER BY external_id__c")).extracting(row -> row.get("external_id__c"))
                .containsExactly("V-1", "V-3");
        assertThat(r.state("account")).containsEntry("records_failed", 1L).containsEntry("records_applied", 2L);
    }

    /**
     * A session expiry meets the readers (camel-salesforce logs in again by itself on the 401) and the
     * writer (the SOAP call's INVALID_SESSION_ID renews the session) at the same moment: the
     * simulator holds their logins and answers them together. Both go on; neither waits for the
     * other's login to time out.
     */
    @Test
    void readsAndWritesGoOnWhenTheirLoginsAfterAnExpiredSessionMeet() throws Exception {
        r.resumedAndSynced("account", "contact");
        int met = 0;
        for (int i = 1; i <= 4; i++) {
            r.t.sf.faults().holdLogins(1, Duration.ZERO);
            RestTestClient otherUser = RestTestClient.login(r.t.sf);
            var created = otherUser.send("POST", "/services/data/v62.0/sobjects/Contact", "{\"LastName\": \"Read " + i + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String contact = RestTestClient.json(created).path("id").asText();
            r.t.sf.calls().clear();

            // the two mappings' reads (read at once) meet the expired session first; the writer renews it while their logins are held
            r.t.sf.faults().holdLogins(3, Duration.ofSeconds(5));
            r.t.sf.sessions().expireAll();
            await().atMost(Duration.ofSeconds(5)).until(() -> r.t.sf.faults().loginsHeld() == 2);
            String written = "S-" + i;
            r.t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (?, ?)", "Written " + i, written);

            await().atMost(Duration.ofSeconds(20)).until(() -> r.t.db.count("SELECT count(*) FROM salesforce.contact WHERE sfid = ?", contact) == 1
                    && r.t.db.count("SELECT count(*) FROM salesforce.account WHERE external_id__c = ? AND sfid IS NOT NULL", written) == 1);
            List<CallLog.Call> logins = r.t.calls("OAUTH", "token");
            if (logins.size() >= 3 && Duration.between(logins.get(0).at(), logins.get(2).at()).abs().toMillis() < 1000) {
                met++;
            }
        }
        assertThat(met).as("the reader's and the writer's logins were answered together at least once").isPositive();
    }

    private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
