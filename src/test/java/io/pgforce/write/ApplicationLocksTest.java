package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.connection.PauseSwitch;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.pgforce.testing.PostgresTestResource;
import io.pgforce.testing.UserSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * pgforce never waits for a lock the application holds, so it can never deadlock the
 * application's transaction: while the application holds one mapping row, the write-back of the
 * other rows goes through, and the held row's follows once the application lets go. (Before, the
 * write-back locked the rows in its own order and waited; an application locking them in another
 * order got "deadlock detected", which the benchmark's steady load saw.)
 */
@QuarkusTest
@EndToEnd
class ApplicationLocksTest extends EndToEndWrites {

    @Inject
    PauseSwitch pauseSwitch;

    @AfterEach
    void close() throws Exception {
        pauseSwitch.resume("test clean-up");
    }

    private String lastOp(String externalId) {
        return (String) t.db.scalar("SELECT _hc_lastop FROM salesforce.account WHERE external_id__c = ?", externalId);
    }

    private String stateOfLastChange(String externalId) {
        return (String) t.db.scalar("SELECT l.state FROM salesforce._trigger_log l JOIN salesforce.account a ON a.id = l.record_id "
                + "WHERE l.table_name = 'account' AND a.external_id__c = ? ORDER BY l.id DESC LIMIT 1", externalId);
    }

    @Test
    void theWriteBackNeverWaitsForARowTheApplicationHolds() throws Exception {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('One', 'A-1'), ('Two', 'A-2')");
        t.drained(Duration.ofSeconds(20));
        pauseSwitch.pause("test");
        t.db.update("UPDATE salesforce.account SET description = 'changed' WHERE external_id__c IN ('A-1', 'A-2')");

        try (UserSession app = PostgresTestResource.userSession()) {
            app.connection().setAutoCommit(false);
            app.query("SELECT 1 FROM salesforce.account WHERE external_id__c = 'A-2' FOR UPDATE"); // the application holds A-2
            pauseSwitch.resume("test");

            // A-1's outcome is recorded while the application still holds A-2
            await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCESS".equals(stateOfLastChange("A-1")));
            assertThat(lastOp("A-1")).isEqualTo("UPDATED");
            assertThat(stateOfLastChange("A-2")).as("its row is held by the application").isEqualTo("PENDING");

            // so the application can take A-1 too without waiting for pgforce, and commit
            app.update("UPDATE salesforce.account SET name = 'One again' WHERE external_id__c = 'A-1'");
            app.connection().commit();
        }
        t.drained(Duration.ofSeconds(20));

        assertThat(t.states("FAILED")).isZero();
        assertThat(lastOp("A-2")).isEqualTo("UPDATED");
        assertThat(t.record("Account", "A-2").get("Description")).isEqualTo("changed");
        assertThat(t.record("Account", "A-1").get("Name")).isEqualTo("One again");
    }
}
