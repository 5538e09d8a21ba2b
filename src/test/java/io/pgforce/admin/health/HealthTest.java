package io.pgforce.admin.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.PauseSwitch;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * /q/health/ready and /q/health/live as Kubernetes probes them: pgforce's checks UP while it
 * writes, readiness DOWN for refused credentials and for a backlog older than the threshold, and
 * liveness UP through both (restarting pgforce would fix neither).
 */
@QuarkusTest
@EndToEnd
class HealthTest extends EndToEndWrites {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/q/health")
    URL health;
    @Inject
    ConnectionStatus status;
    @Inject
    PauseSwitch pauseSwitch;

    @AfterEach
    void close() throws Exception {
        t.sf.faults().refuseLogins(false);
        pauseSwitch.resume("test clean-up");
        t.drained(Duration.ofSeconds(30));
    }

    private JsonNode probe(String which) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(health + "/" + which)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        assertThat(r.statusCode()).isEqualTo("UP".equals(body.path("status").asText()) ? 200 : 503);
        return body;
    }

    private static JsonNode check(JsonNode probe, String name) {
        for (JsonNode c : probe.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + probe);
    }

    @Test
    void everyCheckIsUpWhileWriting() throws Exception {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('H1', 'H-1')");
        t.drained(Duration.ofSeconds(20));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(probe("ready").path("status").asText()).isEqualTo("UP"));
        JsonNode ready = probe("ready");
        assertThat(check(ready, "pgforce-database").path("status").asText()).isEqualTo("UP");
        assertThat(check(ready, "pgforce-salesforce").path("status").asText()).isEqualTo("UP");
        assertThat(check(ready, "pgforce-backlog").path("status").asText()).isEqualTo("UP");
        assertThat(check(ready, "pgforce-listener").path("data").path("listening").asText()).isEqualTo("yes");
        assertThat(check(ready, "pgforce-writer").path("data").path("leader").asBoolean()).isTrue();
        assertThat(probe("live").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void refusedCredentialsMakeReadinessDownButNotLiveness() throws Exception {
        t.sf.faults().refuseLogins(true);
        t.sf.sessions().expireAll();
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('H2', 'H-2')");
        await().atMost(Duration.ofSeconds(20)).until(() -> status.state() == ConnectionState.UNAUTHORIZED);

        JsonNode ready = probe("ready");
        assertThat(ready.path("status").asText()).isEqualTo("DOWN");
        assertThat(check(ready, "pgforce-salesforce").path("status").asText()).isEqualTo("DOWN");
        assertThat(check(ready, "pgforce-salesforce").path("data").path("state").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(probe("live").path("status").asText()).isEqualTo("UP");

        t.sf.faults().refuseLogins(false);
        t.drained(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(probe("ready").path("status").asText()).isEqualTo("UP"));
    }

    @Test
    void aBacklogOlderThanTheThresholdMakesReadinessDown() throws Exception {
        pauseSwitch.pause("health test");
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('H3', 'H-3')");
        assertThat(check(probe("ready"), "pgforce-backlog").path("status").asText()).as("just captured").isEqualTo("UP");

        t.db.update("UPDATE salesforce._trigger_log SET created_at = now() - interval '16 minutes'"); // past pgforce.health.max-backlog-age (15m)
        JsonNode backlog = check(probe("ready"), "pgforce-backlog");
        assertThat(backlog.path("status").asText()).isEqualTo("DOWN");
        assertThat(backlog.path("data").path("oldestChangeAgeSeconds").asLong()).isGreaterThanOrEqualTo(960);
        assertThat(backlog.path("data").path("maxAgeSeconds").asLong()).isEqualTo(900);
        assertThat(probe("live").path("status").asText()).isEqualTo("UP");
    }
}
