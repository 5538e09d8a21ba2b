package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every newly FAILED change is posted once, as JSON, to the webhook (route pgforce-change-failed);
 * a receiver that fails is tried again with back-off; one that is down never holds writing up.
 */
@QuarkusTest
@EndToEnd
@TestProfile(FailureNotificationTest.WithWebhook.class)
class FailureNotificationTest extends EndToEndWrites {

    /** A webhook receiver on a free loopback port: it keeps what it is sent and fails the first requests when told. */
    public static class Receiver implements QuarkusTestResourceLifecycleManager {

        static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
        static final AtomicInteger REFUSE_NEXT = new AtomicInteger();
        static final AtomicInteger REQUESTS = new AtomicInteger();
        private static final ObjectMapper JSON = new ObjectMapper();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/hooks/pgforce", exchange -> {
                REQUESTS.incrementAndGet();
                byte[] body = exchange.getRequestBody().readAllBytes();
                boolean refuse = REFUSE_NEXT.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                if (!refuse) {
                    RECEIVED.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
                }
                exchange.sendResponseHeaders(refuse ? 503 : 204, -1);
                exchange.close();
            });
            server.start();
            return Map.of("pgforce.notify.webhook.url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/pgforce");
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }

    public static class WithWebhook implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Receiver.class));
        }
    }

    @BeforeEach
    void clean() {
        Receiver.RECEIVED.clear();
        Receiver.REFUSE_NEXT.set(0);
        Receiver.REQUESTS.set(0);
    }

    @Test
    void eachNewlyFailedChangeIsPostedOnceWithWhatWentWrong() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Fine', 'A-1'), (NULL, 'A-2')");
        t.drained(Duration.ofSeconds(20));
        t.db.update("UPDATE salesforce.account SET numberofemployees = -5 WHERE external_id__c = 'A-1'");
        t.drained(Duration.ofSeconds(20));

        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.RECEIVED.size() >= 2);
        assertThat(Receiver.RECEIVED).hasSize(2);
        JsonNode insert = Receiver.RECEIVED.stream().filter(n -> n.path("action").asText().equals("INSERT")).findFirst().orElseThrow();
        assertThat(insert.path("mapping").asText()).isEqualTo("Account");
        assertThat(insert.path("table").asText()).isEqualTo("account");
        assertThat(insert.path("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(insert.path("triggerLogId").asLong()).isEqualTo(t.db.count("SELECT id FROM salesforce._trigger_log WHERE state = 'FAILED' AND action = 'INSERT'"));
        assertThat(insert.path("recordId").asLong()).isEqualTo(t.db.count("SELECT id FROM salesforce.account WHERE external_id__c = 'A-2'"));
        JsonNode update = Receiver.RECEIVED.stream().filter(n -> n.path("action").asText().equals("UPDATE")).findFirst().orElseThrow();
        assertThat(update.path("statusCode").asText()).isEqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        assertThat(update.path("message").asText()).contains("Number of employees cannot be negative");
    }

    @Test
    void aReceiverThatFailsIsTriedAgainWithBackOff() {
        Receiver.REFUSE_NEXT.set(2);
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (NULL, 'B-1')");
        t.drained(Duration.ofSeconds(20));

        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.RECEIVED.size() == 1);
        assertThat(Receiver.REQUESTS.get()).as("two refused, the third taken").isEqualTo(3);
        assertThat(Receiver.RECEIVED.get(0).path("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
    }

    @Test
    void aReceiverThatKeepsFailingNeverHoldsWritingUp() {
        Receiver.REFUSE_NEXT.set(1_000);
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT CASE WHEN g % 2 = 0 THEN NULL ELSE 'Account ' || g END, "
                + "'C-' || g FROM generate_series(1, 40) g");
        t.drained(Duration.ofSeconds(20));
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('After', 'C-41')");
        t.drained(Duration.ofSeconds(20));

        assertThat(t.states("SUCCESS")).isEqualTo(21);
        assertThat(t.states("FAILED")).isEqualTo(20);
        // each notice is tried 1 + pgforce.notify.attempts (3 in the tests) times, then given up
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.REQUESTS.get() == 20 * 4);
        assertThat(Receiver.RECEIVED).isEmpty();
    }
}
