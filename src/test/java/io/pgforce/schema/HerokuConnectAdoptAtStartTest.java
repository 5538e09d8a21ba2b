package io.pgforce.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code pgforce.schema.adopt=true}: pgforce started on a database Heroku Connect laid out adopts
 * it at start, unattended, and writes at once.
 */
@QuarkusTest
@EndToEnd(mapping = "takeover.yaml", herokuConnectHcver = 52)
@TestProfile(HerokuConnectAdoptAtStartTest.AdoptAtStart.class)
class HerokuConnectAdoptAtStartTest extends EndToEndWrites {

    public static class AdoptAtStart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgforce.schema.adopt", "true");
        }
    }

    @Inject
    ConnectionStatus status;

    @Test
    void adoptsAtStartAndWrites() {
        assertThat(t.db.query("SELECT details FROM salesforce._pgforce_schema"))
                .containsExactly(Map.of("details", "adopted by pgforce from Heroku Connect (hcver 52)"));
        assertThat(t.db.count("SELECT count(*) FROM pg_trigger WHERE tgname = 'hc_account_logtrigger'")).isZero();

        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Adopted at start', 'S-1')");
        t.drained(Duration.ofSeconds(30));

        assertThat(t.record("Account", "S-1").get("Name")).isEqualTo("Adopted at start");
        assertThat(status.state()).isNotEqualTo(ConnectionState.NOT_ADOPTED);
    }
}
