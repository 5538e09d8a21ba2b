package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.simulator.CallLog;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * TRUNCATE of a mapping table, end to end: recorded either way; under {@code truncate: delete}
 * (Account here) every record its rows had written is deleted in Salesforce, through a Bulk delete
 * when there are 2,000 or more; under the default {@code ignore} (Contact) the records stay, as
 * with the original.
 */
@QuarkusTest
@EndToEnd(mapping = "test-truncate.yaml")
class TruncateTest extends EndToEndWrites {

    @Test
    void aTruncateUnderDeleteDeletesEveryRecordThroughABulkJob() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Account ' || g, 'T-' || g FROM generate_series(1, 2500) g");
        t.drained(Duration.ofSeconds(60));
        assertThat(t.sf.org().count("Account")).isEqualTo(2500);

        t.db.execute("TRUNCATE salesforce.account");
        t.drained(Duration.ofSeconds(60));

        assertThat(t.sf.org().count("Account")).isZero();
        assertThat(t.calls("BULK", "ingest:delete")).extracting(CallLog.Call::records).containsExactly(2500);
        assertThat(t.db.query("SELECT action, state, count(*) AS n FROM salesforce._trigger_log WHERE action IN ('TRUNCATE', 'DELETE') GROUP BY 1, 2 ORDER BY 1"))
                .extracting(r -> r.get("action") + " " + r.get("state") + " " + r.get("n")).containsExactly("DELETE SUCCESS 2500", "TRUNCATE IGNORE 1");
    }

    @Test
    void aRowTruncatedBeforeItsInsertWentOutLeavesNoRecord() {
        t.transaction(db -> {
            db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Brief', 'B-1'), ('Briefer', 'B-2')");
            db.execute("TRUNCATE salesforce.account");
        });
        t.drained(Duration.ofSeconds(30));

        assertThat(t.states("FAILED")).isZero();
        assertThat(t.sf.org().count("Account")).as("the queued inserts are deleted after them: no orphan").isZero();
    }

    @Test
    void aTruncateUnderTheDefaultIsRecordedAndTheRecordsStay() {
        t.db.update("INSERT INTO salesforce.contact (lastname, external_id__c) VALUES ('Doe', 'C-1'), ('Roe', 'C-2')");
        t.drained(Duration.ofSeconds(20));
        t.sf.calls().clear();

        t.db.execute("TRUNCATE salesforce.contact");
        t.drained(Duration.ofSeconds(20));

        assertThat(t.sf.org().count("Contact")).isEqualTo(2);
        assertThat(t.sf.calls().calls()).extracting(CallLog.Call::operation).doesNotContain("delete", "ingest:delete");
        assertThat(t.db.scalar("SELECT values::text FROM salesforce._trigger_log WHERE action = 'TRUNCATE' AND state = 'IGNORE'"))
                .isEqualTo("{\"rows\": 2, \"truncate\": \"ignore\"}");
    }
}
