package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * camel-salesforce's own Streaming API consumer ({@code salesforce:subscribe:data/AccountChangeEvent},
 * CometD long polling with Salesforce's replay extension), unchanged, receiving the simulator's
 * Change Data Capture events.
 */
@ExtendWith(SimulatorExtension.class)
class CamelSalesforceStreamingConformanceTest {

    /** What the consumer made of one event: camel-salesforce's own headers. */
    record Received(String changeType, List<String> recordIds, long replayId) {
        @SuppressWarnings("unchecked")
        static Received of(Exchange exchange) {
            org.apache.camel.Message m = exchange.getMessage();
            return new Received(m.getHeader("CamelSalesforceChangeType", String.class), (List<String>) m.getHeader("CamelSalesforceRecordIds"),
                    m.getHeader("CamelSalesforceReplayId", Long.class));
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private CamelContext camel;
    private RestTestClient rest;

    @BeforeEach
    void subscribe(SalesforceSimulator sf) throws Exception {
        camel = SimulatorClients.camel(SimulatorClients.salesforce(sf));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("salesforce:subscribe:data/AccountChangeEvent?replayId=-1").process(e -> received.add(Received.of(e)));
            }
        });
        rest = RestTestClient.login(sf);
        awaitSubscribed(sf, 1); // replayId -1: only what is published after the subscribe is delivered
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    /**
     * Awaitility, not failing on exceptions in other threads: when a connection is reset, camel-salesforce's
     * connect listener may ask CometD to handshake while CometD is already doing so, and the
     * IllegalStateException it throws on its worker thread is camel's (the client goes on); what the
     * test checks is what the consumer receives.
     */
    private static ConditionFactory waiting(Duration atMost) {
        return await().dontCatchUncaughtExceptions().atMost(atMost);
    }

    private static void awaitSubscribed(SalesforceSimulator sf, int times) {
        waiting(Duration.ofSeconds(20)).until(() -> sf.calls().calls("STREAMING", "subscribe").stream().filter(c -> c.outcome().equals("OK")).count() >= times);
    }

    private String create(String name) throws Exception {
        return RestTestClient.json(rest.send("POST", "/services/data/v62.0/sobjects/Account", "{\"Name\":\"" + name + "\"}")).get("id").asText();
    }

    @Test
    void createUpdateAndDeleteArriveInOrderWithTheirChangeTypesAndRecordIds(SalesforceSimulator sf) throws Exception {
        String acme = create("Acme");
        rest.send("PATCH", "/services/data/v62.0/sobjects/Account/" + acme, "{\"Name\":\"Acme Corp\"}");
        String globex = create("Globex");
        rest.send("DELETE", "/services/data/v62.0/sobjects/Account/" + acme, null);
        SimulatorClients.partner(sf).create(new com.sforce.soap.partner.sobject.SObject[] {SimulatorClients.sobject("Contact", "LastName", "Doe")});

        waiting(Duration.ofSeconds(20)).until(() -> received.size() >= 4);
        assertThat(received).extracting(Received::changeType).containsExactly("CREATE", "UPDATE", "CREATE", "DELETE"); // the Contact is not on this channel
        assertThat(received).extracting(Received::recordIds).containsExactly(List.of(acme), List.of(acme), List.of(globex), List.of(acme));
        assertThat(received).extracting(Received::replayId).isSorted().doesNotHaveDuplicates();
        assertThat(sf.calls().calls("STREAMING", "handshake")).hasSize(1);
    }

    @Test
    void afterADroppedStreamItHandshakesAgainAndReplaysFromItsLastEventLosingNothing(SalesforceSimulator sf) throws Exception {
        String before = create("Before the drop");
        waiting(Duration.ofSeconds(20)).until(() -> received.size() == 1);

        sf.dropStreamingClients();
        // written while the client has no subscription: only the replay from its last id can bring them
        String during = create("While it is away");
        rest.send("PATCH", "/services/data/v62.0/sobjects/Account/" + before, "{\"Phone\":\"555-0100\"}");
        awaitSubscribed(sf, 2);
        String after = create("After it is back");

        waiting(Duration.ofSeconds(30)).until(() -> received.size() >= 4);
        assertThat(received).extracting(Received::recordIds).containsExactly(List.of(before), List.of(during), List.of(before), List.of(after));
        assertThat(received).extracting(Received::changeType).containsExactly("CREATE", "CREATE", "UPDATE", "CREATE");
        assertThat(sf.calls().calls("STREAMING", "connect")).anyMatch(c -> c.outcome().equals("403::Unknown client"));
        assertThat(sf.calls().calls("STREAMING", "handshake")).hasSize(2);
    }

    @Test
    void whatIsPublishedWhileTheStreamAloneIsDownArrivesOnceItIsBack(SalesforceSimulator sf) throws Exception {
        String before = create("Before the outage");
        waiting(Duration.ofSeconds(20)).until(() -> received.size() == 1);

        sf.faults().streamingUnavailable(Faults.Unavailable.CONNECTION_RESET);
        waiting(Duration.ofSeconds(20)).until(() -> sf.calls().calls("STREAMING", "request").stream()
                .anyMatch(c -> c.outcome().equals("CONNECTION_RESET")));
        String during = create("While the stream is down"); // the rest of the org answers: a client would poll now
        assertThat(received).hasSize(1);

        sf.faults().streamingUnavailable(Faults.Unavailable.NONE);
        waiting(Duration.ofSeconds(60)).until(() -> received.size() >= 2);
        assertThat(received).extracting(Received::recordIds).containsExactly(List.of(before), List.of(during));
    }

    @Test
    void anExpiredSessionMakesItLogInAgainAndGoOn(SalesforceSimulator sf) throws Exception {
        sf.sessions().expireAll();
        rest.relogin();
        String first = create("Delivered on the connect held since before the expiry");
        // the next connect carries the expired token: 401::Authentication invalid, and the consumer logs in and handshakes again
        waiting(Duration.ofSeconds(30)).until(() -> sf.calls().calls("STREAMING", "connect").stream()
                .anyMatch(c -> c.outcome().equals("401::Authentication invalid")));
        String second = create("After the new login");
        waiting(Duration.ofSeconds(30)).until(() -> received.size() >= 2);
        assertThat(received).extracting(Received::recordIds).containsExactly(List.of(first), List.of(second));
        assertThat(sf.calls().calls("STREAMING", "handshake")).hasSize(2);
    }

    @Test
    void writesRefusedInMaintenancePublishNothingWhileTheStreamStaysUp(SalesforceSimulator sf) throws Exception {
        sf.faults().maintenance(true);
        assertThat(rest.send("POST", "/services/data/v62.0/sobjects/Account", "{\"Name\":\"Refused\"}").statusCode()).isEqualTo(503);
        sf.faults().maintenance(false);
        String id = create("Accepted");
        waiting(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
        assertThat(received).extracting(Received::recordIds).containsExactly(List.of(id));
    }
}
