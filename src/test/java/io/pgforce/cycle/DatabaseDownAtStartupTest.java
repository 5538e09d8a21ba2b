package io.pgforce.cycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.database.EmbeddedPostgresServer;
import io.pgforce.testing.SalesforceTestResource;
import io.pgforce.testing.UserSession;
import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * pgforce started while its database is down keeps running in DB_UNAVAILABLE, and once the
 * database is up installs the schema, starts listening and writes.
 */
@QuarkusTest
@TestProfile(DatabaseDownAtStartupTest.DatabaseDown.class)
class DatabaseDownAtStartupTest {

    public static class DatabaseDown implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LatePostgres.class), new TestResourceEntry(SalesforceTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** A database the application is pointed at but that only starts when the test says so. */
    public static class LatePostgres implements QuarkusTestResourceLifecycleManager {

        private static Path dir;
        private static int port;
        private static EmbeddedPostgresServer server;

        @Override
        public Map<String, String> start() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                dir = Files.createTempDirectory("pgforce-late-pg");
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("pgforce.db.url", "jdbc:postgresql://127.0.0.1:" + port + "/" + EmbeddedPostgresServer.DATABASE,
                    "pgforce.db.username", EmbeddedPostgresServer.USER, "pgforce.db.password", "");
        }

        static synchronized EmbeddedPostgresServer startServer() {
            server = EmbeddedPostgresServer.start(dir.resolve("data"), port, false);
            return server;
        }

        @Override
        public synchronized void stop() {
            if (server != null) {
                server.close();
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory
            }
        }
    }

    @Inject
    ConnectionStatus status;
    @TestHTTPResource("/q/health")
    URL health;

    /** The probe's status and its pgforce-database check's. */
    private String probe(String which) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(health + "/" + which)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = new ObjectMapper().readTree(r.body());
        String database = "";
        for (JsonNode c : body.path("checks")) {
            if ("pgforce-database".equals(c.path("name").asText())) {
                database = " database " + c.path("status").asText();
            }
        }
        return body.path("status").asText() + database;
    }

    @Test
    void waitsInDbUnavailableThenInstallsTheSchemaListensAndWrites() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> status.state() == ConnectionState.DB_UNAVAILABLE);
        assertThat(probe("ready")).isEqualTo("DOWN database DOWN");
        assertThat(probe("live")).as("a restart would not bring the database back").isEqualTo("UP");

        EmbeddedPostgresServer server = LatePostgres.startServer();
        try (UserSession user = UserSession.open(server.jdbcUrl(), EmbeddedPostgresServer.USER, "")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> user.scalar("SELECT to_regclass('salesforce._trigger_log')::text") != null);
            await().atMost(Duration.ofSeconds(30)).until(() -> user.count(
                    "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN salesforce_hc_trigger_log%'") == 1);

            // the timer polls once a minute in tests: only the listener can wake a cycle this soon
            user.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('late', 'L-1')");
            await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCESS".equals(user.scalar("SELECT state FROM salesforce._trigger_log WHERE id = 1")));
            assertThat(SalesforceTestResource.simulator().org().count("Account")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> !status.state().problem());
            await().atMost(Duration.ofSeconds(10)).until(() -> probe("ready").equals("UP database UP"));
        }
    }
}
