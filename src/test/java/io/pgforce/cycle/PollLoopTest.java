package io.pgforce.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.CallLog;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.pgforce.testing.SalesforceTestResource;
import io.pgforce.testing.UserSession;
import io.pgforce.triggerlog.ClaimedChange;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poll loop as it runs: real routes, real Postgres, real notifications. In the test profile
 * the timer polls only every 60 s, so anything claimed sooner was claimed because of a notify or
 * a reconnect.
 */
@QuarkusTest
@EndToEnd
class PollLoopTest extends EndToEndWrites {

    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate producer;
    @Inject
    PollCadence cadence;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    UserSession user;

    @BeforeEach
    void user() {
        user = t.db;
    }

    private String state(long id) {
        return (String) user.scalar("SELECT state FROM salesforce._trigger_log WHERE id = ?", id);
    }

    @Test
    void aNotifyWakesACycleThatClaimsAndWritesTheChange() {
        user.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Acme', 'A-1')");

        await().atMost(Duration.ofSeconds(3)).until(() -> "SUCCESS".equals(state(1)));
    }

    @Test
    void afterTheListenerDropsItReconnectsAndRescans() {
        await().atMost(Duration.ofSeconds(5)).until(() -> user.count(
                "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN salesforce_hc_trigger_log%'") == 1);
        user.scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN salesforce_hc_trigger_log%'");
        // written while nobody listens: only the rescan after reconnecting can find it this soon
        user.update("INSERT INTO salesforce.account (name) VALUES ('while away')");

        await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCESS".equals(state(1)));
        // camel-pgevent's reconnect asks for a connection every reconnectDelay (500 ms here) for good:
        // it must keep getting the one it has, not a new one each time
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> user.count(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgforce-listener' AND datname = current_database()") == 1);
    }

    /** Cycles run so far (the writer's cycle timer). */
    private long cycles() {
        var timer = registry.find(io.pgforce.connection.WriteActivity.CYCLES).timer();
        return timer == null ? 0 : timer.count(); // registered with the first cycle's activity
    }

    @Test
    void wakeUpsDuringACycleFoldIntoOneMoreAndCyclesKeepTheMinimumInterval() {
        long before = cycles();
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            producer.sendBody("direct:pgforce-wake", "burst");
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> cadence.millisUntilNextCycle() == 0 && cycles() > before);
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        long cycles = cycles() - before;

        // 50 wake-ups, one slot: a running cycle plus at most one queued, never one per wake-up;
        // and no more cycles than the 200 ms minimum interval allows
        assertThat(cycles).isBetween(1L, 2 + elapsedMillis / 200);
    }

    @Test
    void cyclesNeverOverlapEvenWhileSalesforceIsSlow() {
        SalesforceTestResource.simulator().faults().latency(300, 0);
        try {
            for (int i = 0; i < 15; i++) {
                user.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (?, ?)", "n" + i, "S-" + i);
                producer.sendBody("direct:pgforce-wake", "extra wake-up");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> user.count("SELECT count(*) FROM salesforce._trigger_log WHERE state = 'SUCCESS'") == 15);
            // one cycle at a time writes one batch at a time: no two write calls ever overlap
            List<CallLog.Call> writes = SalesforceTestResource.simulator().calls().calls().stream()
                    .filter(c -> c.api().equals("SOAP") && !c.operation().equals("login")).sorted(java.util.Comparator.comparing(CallLog.Call::at)).toList();
            for (int i = 1; i < writes.size(); i++) {
                assertThat(writes.get(i).at()).isAfterOrEqualTo(writes.get(i - 1).at().plusMillis(writes.get(i - 1).durationMillis()));
            }
        } finally {
            SalesforceTestResource.simulator().faults().clear();
        }
    }

    @Test
    void aFailedInsertHoldsBackLaterChangesOfItsRecordUntilResubmitted() throws Exception {
        camel.getRouteController().stopRoute("pgforce-cycle");
        try {
            user.update("INSERT INTO salesforce.account (name) VALUES ('a')");
            user.update("INSERT INTO salesforce.account (name) VALUES ('b')");
            user.update("UPDATE salesforce._trigger_log SET state = 'FAILED' WHERE id = 1");
            user.update("UPDATE salesforce.account SET name = 'a2' WHERE id = 1");
            user.update("UPDATE salesforce.account SET name = 'b2' WHERE id = 2");

            assertThat(claim()).extracting(ClaimedChange::id).containsExactly(2L, 4L);

            user.update("UPDATE salesforce._trigger_log SET state = 'NEW' WHERE id = 1");
            assertThat(claim()).extracting(ClaimedChange::id).containsExactly(1L, 3L);
        } finally {
            camel.getRouteController().startRoute("pgforce-cycle");
        }
    }

    @SuppressWarnings("unchecked")
    List<ClaimedChange> claim() {
        List<ClaimedChange> rows = producer.requestBody("direct:pgforce-claim", null, List.class);
        return rows.stream().sorted(java.util.Comparator.comparingLong(ClaimedChange::id)).toList();
    }
}
