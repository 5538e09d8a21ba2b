package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The Streaming API's Bayeux messages as Salesforce answers them, without HTTP: an org, its event log, a server holding connects 300 ms. */
class BayeuxServerTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final SimulatedOrg org = new SimulatedOrg(OrgSchemaFile.defaults(), clock);
    private final BayeuxServer server = new BayeuxServer(org, clock, 300, () -> false);
    private int nextId;

    private List<Map<String, Object>> send(boolean authenticated, Map<String, Object> message) throws InterruptedException {
        return server.handle(List.of(message), authenticated);
    }

    private Map<String, Object> message(String channel, Object... fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel", channel);
        m.put("id", String.valueOf(++nextId));
        for (int i = 0; i < fields.length; i += 2) {
            m.put((String) fields[i], fields[i + 1]);
        }
        return m;
    }

    private String handshake() throws InterruptedException {
        Map<String, Object> reply = send(true, message("/meta/handshake", "version", "1.0", "supportedConnectionTypes", List.of("long-polling"),
                "ext", Map.of("replay", true))).get(0);
        assertThat(reply).containsEntry("successful", true).containsEntry("supportedConnectionTypes", List.of("long-polling"))
                .containsEntry("ext", Map.of("replay", true, "payload.format", true));
        return (String) reply.get("clientId");
    }

    private Map<String, Object> subscribe(String clientId, String channel, long replayId) throws InterruptedException {
        return send(true, message("/meta/subscribe", "clientId", clientId, "subscription", channel, "ext", Map.of("replay", Map.of(channel, replayId)))).get(0);
    }

    private List<Map<String, Object>> connect(String clientId) throws InterruptedException {
        return send(true, message("/meta/connect", "clientId", clientId, "connectionType", "long-polling"));
    }

    /** A committed transaction creating an Account of this name; its Id. */
    private String created(String name) {
        SimulatedOrg.Unit unit = org.unit();
        String id = org.create(unit, "Account", new RecordInput(null, Map.of("Name", name), null, null), WriteOptions.DEFAULT).id();
        unit.commit("soap");
        return id;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> header(Map<String, Object> event) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) event.get("data")).get("payload")).get("ChangeEventHeader");
    }

    @SuppressWarnings("unchecked")
    private static long replayId(Map<String, Object> event) {
        return ((Number) ((Map<String, Object>) ((Map<String, Object>) event.get("data")).get("event")).get("replayId")).longValue();
    }

    @Test
    void aConnectWithNothingToDeliverIsHeldUntilItsTimeoutThenAdvisesRetry() throws Exception {
        String client = handshake();
        assertThat(subscribe(client, "/data/AccountChangeEvent", -1)).containsEntry("successful", true).containsEntry("subscription", "/data/AccountChangeEvent");
        long start = System.nanoTime();
        List<Map<String, Object>> replies = connect(client);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(250);
        assertThat(replies).singleElement().satisfies(r -> assertThat(r).containsEntry("channel", "/meta/connect").containsEntry("successful", true)
                .containsEntry("advice", Map.of("reconnect", "retry", "interval", 0, "timeout", 300L)));
    }

    /** A /meta/connect sent on a thread of its own, returned once that thread waits for events (the connect is held). */
    private CompletableFuture<List<Map<String, Object>>> heldConnect(BayeuxServer server, String client) {
        AtomicReference<Thread> connecting = new AtomicReference<>();
        CompletableFuture<List<Map<String, Object>>> held = CompletableFuture.supplyAsync(() -> {
            connecting.set(Thread.currentThread());
            try {
                return server.handle(List.of(message("/meta/connect", "clientId", client)), true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> connecting.get() != null && connecting.get().getState() == Thread.State.TIMED_WAITING);
        return held;
    }

    @Test
    void aHeldConnectAnswersAsSoonAsAnEventIsPublished() throws Exception {
        BayeuxServer patient = new BayeuxServer(org, clock, 30_000, () -> false);
        String client = (String) patient.handle(List.of(message("/meta/handshake")), true).get(0).get("clientId");
        patient.handle(List.of(message("/meta/subscribe", "clientId", client, "subscription", "/data/AccountChangeEvent")), true);
        CompletableFuture<List<Map<String, Object>>> held = heldConnect(patient, client);
        assertThat(held).as("it must not have answered empty").isNotDone();
        String id = created("Acme");
        List<Map<String, Object>> replies = held.get(5, TimeUnit.SECONDS);
        assertThat(replies).hasSize(2);
        assertThat(header(replies.get(0))).containsEntry("recordIds", List.of(id)).containsEntry("changeType", "CREATE");
        assertThat(replies.get(1)).containsEntry("channel", "/meta/connect").containsEntry("successful", true);
    }

    @Test
    void eventsCarryTheDocumentedPayloadInCommitOrder() throws Exception {
        String client = handshake();
        subscribe(client, "/data/AccountChangeEvent", -1);
        String acme = created("Acme");
        SimulatedOrg.Unit unit = org.unit();
        org.update(unit, "Account", new RecordInput(acme, Map.of("Name", "Acme Corp", "Phone", ""), null, null), WriteOptions.DEFAULT);
        unit.commit("rest");
        unit = org.unit();
        org.delete(unit, acme);
        unit.commit("bulkapi");

        List<Map<String, Object>> replies = connect(client);
        assertThat(replies).hasSize(4);
        List<Map<String, Object>> events = replies.subList(0, 3);
        assertThat(events).allSatisfy(e -> assertThat(e).containsEntry("channel", "/data/AccountChangeEvent"));
        assertThat(events).extracting(BayeuxServerTest::replayId).isSorted().doesNotHaveDuplicates();
        assertThat(events).extracting(e -> header(e).get("changeType")).containsExactly("CREATE", "UPDATE", "DELETE");
        assertThat(events).extracting(e -> header(e).get("changeOrigin"))
                .containsExactly("com/salesforce/api/soap", "com/salesforce/api/rest", "com/salesforce/api/bulkapi");
        Map<String, Object> create = header(events.get(0));
        assertThat(create).containsEntry("entityName", "Account").containsEntry("recordIds", List.of(acme)).containsEntry("sequenceNumber", 1)
                .containsEntry("commitUser", org.userId()).containsEntry("changedFields", List.of())
                .containsEntry("commitTimestamp", clock.instant().toEpochMilli()).containsKeys("transactionKey", "commitNumber");
        @SuppressWarnings("unchecked")
        Map<String, Object> createPayload = (Map<String, Object>) ((Map<String, Object>) events.get(0).get("data")).get("payload");
        assertThat(createPayload).containsEntry("Name", "Acme").containsEntry("CreatedDate", "2026-01-05T10:00:00.000Z").doesNotContainKeys("Id", "SystemModstamp", "IsDeleted");
        @SuppressWarnings("unchecked")
        Map<String, Object> updatePayload = (Map<String, Object>) ((Map<String, Object>) events.get(1).get("data")).get("payload");
        assertThat(header(events.get(1))).containsEntry("changedFields", List.of("Name", "LastModifiedDate"));
        assertThat(updatePayload).containsEntry("Name", "Acme Corp").containsKey("LastModifiedDate").doesNotContainKey("Phone"); // "" on a null Phone changes nothing
        assertThat(header(events.get(0)).get("transactionKey")).isNotEqualTo(header(events.get(1)).get("transactionKey"));
    }

    @Test
    void theSameDeleteOfSeveralRecordsInOneTransactionIsOneEventOfTheirIds() throws Exception {
        String a = created("A");
        String b = created("B");
        String client = handshake();
        subscribe(client, "/data/ChangeEvents", -1);
        SimulatedOrg.Unit unit = org.unit();
        org.delete(unit, a);
        org.delete(unit, b);
        unit.commit("soap");
        List<Map<String, Object>> replies = connect(client);
        assertThat(replies).hasSize(2);
        assertThat(replies.get(0)).containsEntry("channel", "/data/ChangeEvents");
        assertThat(header(replies.get(0))).containsEntry("recordIds", List.of(a, b)).containsEntry("changeType", "DELETE");
    }

    @Test
    void aRolledBackTransactionPublishesNothing() throws Exception {
        String client = handshake();
        subscribe(client, "/data/AccountChangeEvent", -1);
        SimulatedOrg.Unit unit = org.unit();
        org.create(unit, "Account", new RecordInput(null, Map.of("Name", "Gone"), null, null), WriteOptions.DEFAULT);
        unit.rollback();
        unit.commit("soap");
        assertThat(connect(client)).singleElement().satisfies(r -> assertThat(r).containsEntry("channel", "/meta/connect"));
        assertThat(org.changeEvents().events()).isEmpty();
    }

    @Test
    void replayFromMinusTwoGivesEveryRetainedEventAndFromAnIdTheEventsAfterIt() throws Exception {
        String first = created("First");
        String second = created("Second");
        String third = created("Third");
        String all = handshake();
        subscribe(all, "/data/AccountChangeEvent", -2);
        List<Map<String, Object>> replayed = connect(all);
        assertThat(replayed.subList(0, 3)).extracting(e -> header(e).get("recordIds")).containsExactly(List.of(first), List.of(second), List.of(third));

        String after = handshake();
        subscribe(after, "/data/AccountChangeEvent", replayId(replayed.get(0)));
        assertThat(connect(after).subList(0, 2)).extracting(e -> header(e).get("recordIds")).containsExactly(List.of(second), List.of(third));

        String fresh = handshake();
        subscribe(fresh, "/data/AccountChangeEvent", -1);
        assertThat(connect(fresh)).singleElement().satisfies(r -> assertThat(r).containsEntry("channel", "/meta/connect"));
    }

    @Test
    void aReplayIdOlderThanTheRetentionFailsTheSubscribeAsSalesforceDoes() throws Exception {
        created("Old");
        long oldId = org.changeEvents().latest();
        clock.advance(Duration.ofHours(73));
        created("New");
        String client = handshake();
        Map<String, Object> reply = subscribe(client, "/data/AccountChangeEvent", oldId - 1);
        assertThat(reply).containsEntry("successful", false).containsEntry("subscription", "/data/AccountChangeEvent");
        assertThat((String) reply.get("error")).matches("400::The replayId \\{.*} you provided was invalid.*");
        assertThat(subscribe(client, "/data/AccountChangeEvent", oldId)).containsEntry("successful", true); // the retained event after it is whole
        assertThat(subscribe(client, "/data/AccountChangeEvent", org.changeEvents().latest() + 5)).containsEntry("successful", false);
    }

    @Test
    void aPositionFromBeforeTheOrgWasClearedReplaysOnlyWhatCameAfter() throws Exception {
        created("Old org");
        long old = org.changeEvents().latest();
        created("Old org too");
        org.clear(); // a reset: a client that kept its last replay id must not be refused for events the new org never had
        String fresh = created("New org");
        String client = handshake();
        assertThat(subscribe(client, "/data/AccountChangeEvent", old)).containsEntry("successful", true);
        assertThat(connect(client).get(0)).satisfies(e -> assertThat(header(e)).containsEntry("recordIds", List.of(fresh)));
    }

    @Test
    void anUnknownClientIsAdvisedToHandshakeAgain() throws Exception {
        String client = handshake();
        subscribe(client, "/data/AccountChangeEvent", -1);
        server.dropClients();
        for (Map<String, Object> reply : List.of(connect(client).get(0), subscribe(client, "/data/AccountChangeEvent", -1))) {
            assertThat(reply).containsEntry("successful", false).containsEntry("error", "403::Unknown client")
                    .containsEntry("advice", Map.of("reconnect", "handshake", "interval", 0));
        }
    }

    @Test
    void aDroppedClientsHeldConnectAnswersUnknownClientAtOnce() throws Exception {
        BayeuxServer patient = new BayeuxServer(org, clock, 30_000, () -> false);
        String client = (String) patient.handle(List.of(message("/meta/handshake")), true).get(0).get("clientId");
        CompletableFuture<List<Map<String, Object>>> held = heldConnect(patient, client);
        patient.dropClients();
        assertThat(held.get(5, TimeUnit.SECONDS)).singleElement().satisfies(r -> assertThat(r).containsEntry("error", "403::Unknown client"));
    }

    @Test
    void aClientThatDoesNotComeBackWithin40SecondsIsForgotten() throws Exception {
        String client = handshake();
        clock.advance(Duration.ofSeconds(41));
        assertThat(connect(client).get(0)).containsEntry("error", "403::Unknown client");
    }

    @Test
    void anInvalidSessionIsRefusedOnHandshakeAndConnectAsDocumented() throws Exception {
        Map<String, Object> handshake = send(false, message("/meta/handshake")).get(0);
        assertThat(handshake).containsEntry("successful", false).containsEntry("error", "403::Handshake denied")
                .containsEntry("advice", Map.of("reconnect", "none"))
                .containsEntry("ext", Map.of("sfdc", Map.of("failureReason", "401::Authentication invalid"), "replay", true));
        String client = handshake();
        assertThat(send(false, message("/meta/connect", "clientId", client)).get(0)).containsEntry("error", "401::Authentication invalid")
                .containsEntry("advice", Map.of("reconnect", "none", "interval", 0));
    }

    @Test
    void subscribingToAChannelThatIsNotThereFails() throws Exception {
        String client = handshake();
        assertThat(subscribe(client, "/data/NoSuchThingChangeEvent", -1)).containsEntry("successful", false)
                .containsEntry("error", "400::The channel you requested to subscribe to does not exist {/data/NoSuchThingChangeEvent}");
        assertThat(subscribe(client, "/data/ContactChangeEvent", -1)).containsEntry("successful", true);
    }

    @Test
    void unsubscribeAndDisconnectEndTheDeliveries() throws Exception {
        String client = handshake();
        subscribe(client, "/data/AccountChangeEvent", -1);
        assertThat(send(true, message("/meta/unsubscribe", "clientId", client, "subscription", "/data/AccountChangeEvent")).get(0))
                .containsEntry("successful", true).containsEntry("subscription", "/data/AccountChangeEvent");
        created("Unseen");
        assertThat(connect(client)).hasSize(1);
        assertThat(send(true, message("/meta/disconnect", "clientId", client)).get(0)).containsEntry("successful", true);
        List<Map<String, Object>> after = new ArrayList<>(connect(client));
        assertThat(after.get(0)).containsEntry("error", "403::Unknown client");
    }
}
