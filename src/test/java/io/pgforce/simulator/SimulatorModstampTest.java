package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.sobject.SObject;
import io.pgforce.testing.Simulators;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SystemModstamp as Salesforce sets it, on a clock the test moves: set at save time in whole
 * seconds, polled with {@code WHERE SystemModstamp > X ORDER BY SystemModstamp}, and stamped late
 * by a write that committed late, whichever API the write came through.
 */
class SimulatorModstampTest {

    private static final Instant START = Instant.parse("2030-01-01T10:00:00.700Z");

    private final SettableClock clock = new SettableClock(START);
    private SalesforceSimulator sf;
    private RestTestClient rest;

    @BeforeEach
    void start() throws Exception {
        sf = Simulators.forTest().clock(clock).build().start();
        rest = RestTestClient.login(sf);
    }

    @AfterEach
    void stop() {
        sf.close();
    }

    private Instant stamp(String id) {
        return (Instant) sf.org().find(id).orElseThrow().get("SystemModstamp");
    }

    private List<String> ids(String soql) throws Exception {
        JsonNode page = RestTestClient.json(rest.query("query", soql));
        List<String> ids = new ArrayList<>();
        page.path("records").forEach(r -> ids.add(r.get("Id").asText()));
        return ids;
    }

    private String restCreate(String name) throws Exception {
        return RestTestClient.json(rest.send("POST", "/services/data/v62.0/sobjects/Account", "{\"Name\": \"" + name + "\"}")).get("id").asText();
    }

    @Test
    void aPollerReadsWhatChangedAfterTheStampItLastSaw() throws Exception {
        String a = restCreate("A");
        clock.advance(Duration.ofSeconds(1));
        String b = restCreate("B");
        clock.advance(Duration.ofSeconds(1));
        String c = restCreate("C");
        assertThat(stamp(a)).as("whole seconds").isEqualTo(Instant.parse("2030-01-01T10:00:00Z"));

        // the stamp as a reader got it from the API, fed back as a literal
        String seen = RestTestClient.json(rest.get("/services/data/v62.0/sobjects/Account/" + a)).get("SystemModstamp").asText();
        assertThat(seen).isEqualTo("2030-01-01T10:00:00.000+0000");
        assertThat(ids("SELECT Id FROM Account WHERE SystemModstamp > " + seen + " ORDER BY SystemModstamp")).containsExactly(b, c);
        assertThat(ids("SELECT Id FROM Account WHERE SystemModstamp > 2030-01-01T10:00:00Z AND SystemModstamp <= 2030-01-01T10:00:01Z"
                + " ORDER BY SystemModstamp")).containsExactly(b);
        assertThat(ids("SELECT Id FROM Account WHERE SystemModstamp >= 2030-01-01T11:00:00+01:00 ORDER BY SystemModstamp")).containsExactly(a, b, c);

        clock.advance(Duration.ofSeconds(1));
        assertThat(rest.send("PATCH", "/services/data/v62.0/sobjects/Account/" + a, "{\"Phone\": \"1\"}").statusCode()).isEqualTo(204);
        assertThat(ids("SELECT Id FROM Account WHERE SystemModstamp > 2030-01-01T10:00:00Z ORDER BY SystemModstamp")).containsExactly(b, c, a);
        assertThat(ids("SELECT Id FROM Account ORDER BY SystemModstamp DESC, Name")).containsExactly(a, c, b);

        clock.advance(Duration.ofSeconds(1));
        assertThat(rest.send("DELETE", "/services/data/v62.0/sobjects/Account/" + b, null).statusCode()).isEqualTo(204);
        assertThat(stamp(b)).as("a delete stamps the record too").isEqualTo(Instant.parse("2030-01-01T10:00:04Z"));
        assertThat(ids("SELECT Id FROM Account WHERE SystemModstamp > 2030-01-01T10:00:03Z")).as("query leaves the deleted out").isEmpty();
    }

    @Test
    void aLateWriteIsStampedBeforeWhatAReaderAlreadySaw() throws Exception {
        clock.advance(Duration.ofSeconds(10));
        String seen = restCreate("seen");
        Instant seenAt = stamp(seen);
        clock.advance(Duration.ofSeconds(2));

        sf.faults().lateWrites(Duration.ofSeconds(5), 1);
        String late = restCreate("late");
        assertThat(stamp(late)).isEqualTo(seenAt.minusSeconds(3));
        assertThat(ids("SELECT Id FROM Account WHERE SystemModstamp > 2030-01-01T10:00:10Z")).as("a poller past 'seen' never meets it").isEmpty();
        assertThat(stamp(restCreate("on time"))).as("only the next write is late").isEqualTo(seenAt.plusSeconds(2));

        rest.send("POST", "/__sim/faults", "{\"lateWriteMillis\": 5000, \"lateWrites\": 1}");
        assertThat(stamp(restCreate("late again"))).as("through the admin API").isEqualTo(seenAt.minusSeconds(3));
    }

    @Test
    void everyWriteApiStampsLateWritesTheSameWay() throws Exception {
        Instant late = START.minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

        sf.faults().lateWrites(Duration.ofSeconds(5), 1);
        JsonNode collection = RestTestClient.json(rest.send("POST", "/services/data/v62.0/composite/sobjects",
                "{\"records\": [{\"attributes\": {\"type\": \"Account\"}, \"Name\": \"C1\"}, {\"attributes\": {\"type\": \"Account\"}, \"Name\": \"C2\"}]}"));
        assertThat(stamp(collection.get(0).get("id").asText())).isEqualTo(late);
        assertThat(stamp(collection.get(1).get("id").asText())).as("one transaction, one stamp").isEqualTo(late);

        sf.faults().lateWrites(Duration.ofSeconds(5), 1);
        PartnerConnection soap = SimulatorClients.partner(sf);
        SObject account = SimulatorClients.sobject("Account", "Name", "S1");
        assertThat(stamp(soap.create(new SObject[] {account})[0].getId())).isEqualTo(late);

        sf.faults().lateWrites(Duration.ofSeconds(5), 1);
        String job = RestTestClient.json(rest.send("POST", "/services/data/v62.0/jobs/ingest", "{\"object\": \"Account\", \"operation\": \"insert\"}"))
                .get("id").asText();
        rest.send("PUT", "/services/data/v62.0/jobs/ingest/" + job + "/batches", "Name\nB1\n", "Content-Type", "text/csv");
        rest.send("PATCH", "/services/data/v62.0/jobs/ingest/" + job, "{\"state\": \"UploadComplete\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> sf.org().records("Account").stream().anyMatch(r -> "B1".equals(r.get("Name"))));
        SimRecord bulk = sf.org().records("Account").stream().filter(r -> "B1".equals(r.get("Name"))).findFirst().orElseThrow();
        assertThat(bulk.get("SystemModstamp")).isEqualTo(late);

        assertThat(stamp(restCreate("on time"))).isEqualTo(START.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
}
