package io.pgforce.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.pgforce.testing.UserSession;
import io.pgforce.testing.WriteTestSupport;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Archive, requeue and purge through the real housekeeping routes (archive delay 0 in tests). */
@QuarkusTest
@EndToEnd
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HousekeepingTest extends EndToEndWrites {

    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate producer;

    UserSession user;

    @BeforeAll
    void stopCycles() throws Exception {
        camel.getRouteController().stopRoute("pgforce-cycle"); // states here are set by hand
    }

    @AfterAll
    void startCycles() throws Exception {
        new WriteTestSupport().close(); // rows set PENDING by hand here must not be written by the next test's cycles
        camel.getRouteController().startRoute("pgforce-cycle");
    }

    @BeforeEach
    void user() {
        user = t.db;
    }

    private void states(String... idAndState) {
        for (String s : idAndState) {
            String[] p = s.split("=");
            user.update("UPDATE salesforce._trigger_log SET state = ? WHERE id = ?", p[1], Long.parseLong(p[0]));
        }
    }

    private List<Object> ids(String table) {
        return user.query("SELECT id FROM salesforce." + table + " ORDER BY id").stream().map(r -> r.get("id")).toList();
    }

    @Test
    void processedRowsMoveToTheArchiveWithTheirIds() {
        user.update("INSERT INTO salesforce.account (name) SELECT 'n' || g FROM generate_series(1, 6) g");
        states("1=SUCCESS", "2=FAILED", "3=MERGED", "4=IGNORED", "5=PENDING");
        user.update("UPDATE salesforce._trigger_log SET sent_at = now(), bulk_job_id = '750000000000001AAA' WHERE id = 1");

        producer.sendBody("direct:pgforce-archive", null);

        assertThat(ids("_trigger_log")).containsExactly(5L, 6L);
        assertThat(ids("_trigger_log_archive")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(user.scalar("SELECT values ->> 'name' FROM salesforce._trigger_log_archive WHERE id = 1")).isEqualTo("n1");
        assertThat(user.query("SELECT bulk_job_id, sent_at IS NOT NULL AS sent FROM salesforce._trigger_log_archive WHERE id = 1"))
                .containsExactly(Map.of("bulk_job_id", "750000000000001AAA", "sent", true));
    }

    @Test
    void aFailedInsertWithChangesWaitingBehindItStays() {
        user.update("INSERT INTO salesforce.account (name) VALUES ('a')");
        user.update("UPDATE salesforce.account SET name = 'b'");
        states("1=FAILED");

        producer.sendBody("direct:pgforce-archive", null);

        assertThat(ids("_trigger_log")).containsExactly(1L, 2L);
    }

    @Test
    void aRequeuedArchiveRowReturnsAsNewInItsPlace() {
        user.update("INSERT INTO salesforce.account (name) SELECT 'n' || g FROM generate_series(1, 2) g");
        states("1=FAILED", "2=SUCCESS");
        producer.sendBody("direct:pgforce-archive", null);

        user.update("UPDATE salesforce._trigger_log_archive SET state = 'REQUEUE' WHERE id = 1");
        producer.sendBody("direct:pgforce-requeue", null);

        assertThat(user.query("SELECT id, state, action FROM salesforce._trigger_log")).extracting(r -> r.get("id") + " " + r.get("state") + " " + r.get("action"))
                .containsExactly("1 NEW INSERT");
        assertThat(user.query("SELECT id, state FROM salesforce._trigger_log_archive ORDER BY id")).extracting(r -> r.get("id") + " " + r.get("state"))
                .containsExactly("1 REQUEUED", "2 SUCCESS");
    }

    @Test
    void archivedRowsArePurgedAfterTheRetention() {
        user.update("INSERT INTO salesforce.account (name) SELECT 'n' || g FROM generate_series(1, 2) g");
        states("1=SUCCESS", "2=SUCCESS");
        producer.sendBody("direct:pgforce-archive", null);
        user.update("UPDATE salesforce._trigger_log_archive SET created_at = now() - interval '32 days' WHERE id = 1");
        user.update("UPDATE salesforce._trigger_log_archive SET created_at = now() - interval '30 days' WHERE id = 2");

        producer.sendBody("direct:pgforce-purge", null);

        assertThat(ids("_trigger_log_archive")).containsExactly(2L);
    }

    @Test
    void anUnresolvedWriteErrorIsNeverPurged() {
        // 1 a failed insert nothing followed; 2 a failed insert a later change of its record wrote (3);
        // 5 a failed update resolved by a later change still in the live log (6); 7 a failed insert set to REQUEUE
        user.update("INSERT INTO salesforce.account (name) VALUES ('a'), ('b')");
        user.update("UPDATE salesforce.account SET name = 'b2' WHERE name = 'b'");
        user.update("INSERT INTO salesforce.account (name) VALUES ('c')");
        user.update("UPDATE salesforce.account SET name = 'c2' WHERE name = 'c'");
        user.update("UPDATE salesforce.account SET name = 'c3' WHERE name = 'c2'");
        user.update("INSERT INTO salesforce.account (name) VALUES ('d')");
        states("1=FAILED", "2=FAILED", "3=SUCCESS", "4=SUCCESS", "5=FAILED", "7=FAILED");
        producer.sendBody("direct:pgforce-archive", null);
        states("6=MERGED");
        user.update("UPDATE salesforce._trigger_log_archive SET state = 'REQUEUE' WHERE id = 7");
        user.update("UPDATE salesforce._trigger_log_archive SET created_at = now() - interval '400 days'");
        assertThat(ids("_trigger_log_archive")).containsExactly(1L, 2L, 3L, 4L, 5L, 7L);

        producer.sendBody("direct:pgforce-purge", null);

        assertThat(ids("_trigger_log_archive")).containsExactly(1L, 7L);
    }

    @Test
    void aFailedRowSetBackToNewIsClaimedAgain() {
        user.update("INSERT INTO salesforce.account (name) VALUES ('a')");
        states("1=FAILED");
        user.update("UPDATE salesforce._trigger_log SET state = 'NEW' WHERE id = 1");

        List<?> claimed = producer.requestBody("direct:pgforce-claim", null, List.class);
        assertThat(claimed).hasSize(1);
        assertThat(user.scalar("SELECT state FROM salesforce._trigger_log WHERE id = 1")).isEqualTo("PENDING");
    }
}
