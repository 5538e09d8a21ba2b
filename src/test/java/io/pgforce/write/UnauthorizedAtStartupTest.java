package io.pgforce.write;

import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.ConnectionState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.PostgresTestResource;
import io.pgforce.testing.SalesforceTestResource;
import io.pgforce.testing.UserSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** pgforce started while Salesforce refuses its credentials keeps running in UNAUTHORIZED and writes once they work. */
@QuarkusTest
@EndToEnd(refuseLogins = true)
class UnauthorizedAtStartupTest {

    @Inject
    ConnectionStatus status;

    @Test
    void waitsInUnauthorizedAndWritesOnceTheCredentialsWork() {
        SalesforceSimulator sf = SalesforceTestResource.simulator();
        try (UserSession user = PostgresTestResource.userSession()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> status.state() == ConnectionState.UNAUTHORIZED);

            user.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('waits', 'U-1')");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> status.state() == ConnectionState.UNAUTHORIZED);
            assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE state IN ('NEW', 'PENDING')")).isEqualTo(1);

            sf.faults().refuseLogins(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(user.scalar("SELECT state FROM salesforce._trigger_log WHERE id = 1")));
            assertThat(sf.org().count("Account")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> !status.state().problem());
        }
    }
}
