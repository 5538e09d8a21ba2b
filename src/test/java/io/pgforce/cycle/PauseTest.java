package io.pgforce.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.PauseSwitch;
import io.pgforce.simulator.CallLog;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pause keeps capturing and stops writing; resume writes what waited, at once (the poll timer is a
 * minute away in tests, so only the resume's wake-up can start the cycle in time).
 */
@QuarkusTest
@EndToEnd
class PauseTest extends EndToEndWrites {

    @Inject
    PauseSwitch pauseSwitch;
    @Inject
    ConnectionStatus status;

    @AfterEach
    void close() throws Exception {
        pauseSwitch.resume("test clean-up");
    }

    @Test
    void whilePausedChangesAreCapturedAndWaitThenResumeWritesThem() throws Exception {
        pauseSwitch.pause("operator@example.com");
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'P' || g, 'P-' || g FROM generate_series(1, 3) g");

        // the insert's notify wakes a cycle, which finds the pause and says so
        await().atMost(Duration.ofSeconds(10)).until(() -> status.state() == ConnectionState.PAUSED);
        assertThat(status.reason()).contains("operator@example.com");
        assertThat(t.states("NEW")).isEqualTo(3);
        assertThat(t.sf.calls().calls().stream().mapToInt(CallLog.Call::records).sum()).as("records sent while paused").isZero();
        assertThat(pauseSwitch.current()).isPresent();

        pauseSwitch.resume("operator@example.com");
        t.drained(Duration.ofSeconds(10));
        assertThat(t.states("SUCCESS")).isEqualTo(3);
        assertThat(t.sf.org().count("Account")).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> status.state() == ConnectionState.IDLE);
        assertThat(pauseSwitch.current()).isEmpty();
    }
}
