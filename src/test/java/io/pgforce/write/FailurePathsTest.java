package io.pgforce.write;

import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.ConnectionState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The failure classes end to end: what waits (outages, refused credentials), what fails the
 * records (any other fault), what counts as done (a resent delete of a deleted record), and that
 * no outcome is lost when the write-back itself fails.
 */
@QuarkusTest
@EndToEnd
class FailurePathsTest extends EndToEndWrites {

    @Inject
    ConnectionStatus status;
    @Inject
    ProducerTemplate producer;

    @AfterEach
    void close() {
        t.db.execute("DROP TRIGGER IF EXISTS kill_write_back ON salesforce._trigger_log");
    }

    @Test
    void aFaultThatIsNotAnOutageFailsTheCallsRecordsInsteadOfBlockingAllWrites() {
        t.sf.faults().faultCalls("UNKNOWN_EXCEPTION", 1);
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'A' || g, 'U-' || g FROM generate_series(1, 3) g");
        t.drained(Duration.ofSeconds(20));

        assertThat(t.states("FAILED")).isEqualTo(3);
        assertThat(t.db.scalar("SELECT sf_message FROM salesforce._trigger_log WHERE id = 1").toString()).startsWith("UNKNOWN_EXCEPTION: ");
        assertThat(t.db.scalar("SELECT _hc_lastop FROM salesforce.account WHERE id = 1")).isEqualTo("FAILED");

        // later changes are not blocked, and the failed ones go once resubmitted
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('later', 'U-4')");
        t.db.update("UPDATE salesforce._trigger_log SET state = 'NEW' WHERE state = 'FAILED'");
        t.drained(Duration.ofSeconds(20));
        assertThat(t.states("SUCCESS")).isEqualTo(4);
        assertThat(t.sf.org().count("Account")).isEqualTo(4);
    }

    @Test
    void aDeleteWhoseAnswerWasLostIsDoneWhenSentAgain() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('gone', 'D-1')");
        t.drained(Duration.ofSeconds(20));
        String sfid = (String) t.db.scalar("SELECT sfid FROM salesforce.account");

        t.sf.faults().loseResponses(1);
        t.db.update("DELETE FROM salesforce.account");
        t.drainedAfterALostResponse(Duration.ofSeconds(20));

        assertThat(t.db.query("SELECT state, sf_message FROM salesforce._trigger_log WHERE action = 'DELETE'").get(0))
                .containsEntry("state", "SUCCESS");
        assertThat(t.sf.org().find(sfid).orElseThrow().deleted()).isTrue();
    }

    @Test
    void outcomesSurviveAWriteBackWhoseConnectionIsKilled() {
        // the engine's backend dies the first time it writes a SUCCESS: the write-back is lost mid-way
        // (a sequence counts the attempts: nextval survives the killed transaction's rollback)
        t.db.execute("DROP SEQUENCE IF EXISTS public.write_backs");
        t.db.execute("CREATE SEQUENCE public.write_backs");
        t.db.execute("CREATE OR REPLACE FUNCTION public.kill_write_back() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF nextval('public.write_backs') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; "
                + "RETURN NEW; END $$");
        t.db.execute("CREATE TRIGGER kill_write_back BEFORE UPDATE ON salesforce._trigger_log FOR EACH ROW "
                + "WHEN (NEW.state = 'SUCCESS') EXECUTE FUNCTION public.kill_write_back()");

        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'K' || g, 'K-' || g FROM generate_series(1, 5) g");
        t.drained(Duration.ofSeconds(30));

        assertThat(t.db.count("SELECT last_value FROM public.write_backs")).as("killed once, then written").isGreaterThan(1);
        assertThat(t.states("SUCCESS")).isEqualTo(5);
        assertThat(t.calls("SOAP", "upsert")).as("nothing was sent again").hasSize(1);
        assertThat(t.db.count("SELECT count(*) FROM salesforce.account WHERE sfid IS NOT NULL AND _hc_lastop = 'INSERTED'")).isEqualTo(5);
    }

    @Test
    void credentialsThatStopWorkingWaitInStateUnauthorizedAndWriteOnceTheyWorkAgain() {
        t.sf.faults().refuseLogins(true);
        t.sf.sessions().expireAll();
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('waits', 'W-1')");

        await().atMost(Duration.ofSeconds(20)).until(() -> status.state() == ConnectionState.UNAUTHORIZED);
        assertThat(t.states("PENDING")).isEqualTo(1);
        assertThat(t.states("FAILED")).isZero();

        t.sf.faults().refuseLogins(false);
        t.drained(Duration.ofSeconds(30));
        assertThat(t.states("SUCCESS")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !status.state().problem());
    }

    @Test
    void aRequeuedArchiveRowWakesPgforceAtOnceAndItsNewOutcomeIsKeptWhenArchivedAgain() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('again', 'R-1')");
        t.drained(Duration.ofSeconds(20));
        producer.sendBody("direct:pgforce-archive", null);
        assertThat(t.db.count("SELECT count(*) FROM salesforce._trigger_log")).isZero();

        // no housekeeping run (its interval is an hour in tests): the REQUEUE itself wakes pgforce
        t.db.update("UPDATE salesforce._trigger_log_archive SET state = 'REQUEUE' WHERE id = 1");
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCESS".equals(t.state(1)));
        assertThat(t.calls("SOAP", "upsert")).hasSize(2);

        producer.sendBody("direct:pgforce-archive", null);
        assertThat(t.db.query("SELECT state, processed_at > created_at AS processed FROM salesforce._trigger_log_archive WHERE id = 1").get(0))
                .containsEntry("state", "SUCCESS");
    }
}
