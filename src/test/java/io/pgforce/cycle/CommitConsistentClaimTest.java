package io.pgforce.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgforce.connection.WriteActivity;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.pgforce.testing.PostgresTestResource;
import io.pgforce.testing.UserSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Commit-consistent claiming: a change committed while an older transaction is still open waits
 * for it (at most pgforce.claim.max-wait, 3 s in the tests), so a child committed before its
 * parent's transaction is never sent first.
 */
@QuarkusTest
@EndToEnd
class CommitConsistentClaimTest extends EndToEndWrites {

    @Inject
    MeterRegistry registry;

    private long cycles() {
        return registry.find(WriteActivity.CYCLES).timer().count();
    }

    private String stateOf(String table, String externalId) {
        return (String) t.db.scalar("SELECT l.state FROM salesforce._trigger_log l JOIN salesforce." + table + " r ON r.id = l.record_id "
                + "AND l.table_name = ? WHERE r.external_id__c = ? ORDER BY l.id DESC LIMIT 1", table, externalId);
    }

    @Test
    void aChildCommittedBeforeItsParentsTransactionWaitsForIt() throws SQLException {
        try (UserSession parent = PostgresTestResource.userSession()) {
            parent.connection().setAutoCommit(false);
            parent.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Parent', 'P-1')");
            t.db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES ('Child', 'K-1', 'P-1')");
            // two more cycles end, at least one of them begun after the child's commit (each poll wakes pgforce again)
            long before = cycles();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                t.db.execute("NOTIFY salesforce_hc_trigger_log");
                return cycles() >= before + 2;
            });
            assertThat(stateOf("contact", "K-1")).as("the child, while its parent's transaction is open").isEqualTo("NEW");
            parent.connection().commit();
        }
        t.drained(Duration.ofSeconds(20));

        assertThat(t.states("FAILED")).isZero();
        assertThat(stateOf("contact", "K-1")).isEqualTo("SUCCESS");
        t.assertParentOf("K-1", "P-1");
    }

    @Test
    void aLongOpenTransactionDelaysClaimingByAtMostTheMaximumWait() throws SQLException {
        double pastBefore = registry.find(WriteActivity.CLAIMS_PAST_OPEN_TRANSACTIONS).counter().count();
        try (UserSession open = PostgresTestResource.userSession()) {
            open.connection().setAutoCommit(false);
            open.scalar("SELECT txid_current()"); // a transaction with an id, left open: an idle session holding back others
            long start = System.nanoTime();
            t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Late', 'L-1')");
            await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCESS".equals(stateOf("account", "L-1")));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(waited).as("it waited for the open transaction, up to the maximum").isGreaterThanOrEqualTo(Duration.ofMillis(2500));
            open.connection().rollback();
        }
        assertThat(registry.find(WriteActivity.CLAIMS_PAST_OPEN_TRANSACTIONS).counter().count()).isEqualTo(pastBefore + 1);
    }
}
