package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.sobject.SObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every API that saves records publishes their change events when its transaction commits, and only then. */
@ExtendWith(SimulatorExtension.class)
class ChangeEventCaptureTest {

    private static List<String> changes(SalesforceSimulator sf) {
        return sf.org().changeEvents().events().stream().map(e -> e.changeType() + " " + e.entityName() + " " + e.recordIds().size()).toList();
    }

    @Test
    void soapCallsPublishOneEventPerRecordInOneTransaction(SalesforceSimulator sf) throws Exception {
        PartnerConnection soap = SimulatorClients.partner(sf);
        String a = soap.create(new SObject[] {SimulatorClients.sobject("Account", "Name", "A"), SimulatorClients.sobject("Contact", "LastName", "B")})[0].getId();
        soap.update(new SObject[] {withId(SimulatorClients.sobject("Account", "Name", "A2"), a)});
        soap.delete(new String[] {a});
        List<ChangeEvent> events = sf.org().changeEvents().events();
        assertThat(changes(sf)).containsExactly("CREATE Account 1", "CREATE Contact 1", "UPDATE Account 1", "DELETE Account 1");
        assertThat(events.get(0).payload().get("ChangeEventHeader")).isInstanceOf(java.util.Map.class);
        assertThat(header(events.get(0)).get("transactionKey")).isEqualTo(header(events.get(1)).get("transactionKey"));
        assertThat(header(events.get(1))).containsEntry("sequenceNumber", 2);
        assertThat(events.get(1).channel()).isEqualTo("/data/ContactChangeEvent");
    }

    private static SObject withId(SObject s, String id) {
        s.setId(id);
        return s;
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> header(ChangeEvent e) {
        return (java.util.Map<String, Object>) e.payload().get("ChangeEventHeader");
    }

    @Test
    void restWritesAndCollectionsPublishTheirs(SalesforceSimulator sf) throws Exception {
        RestTestClient rest = RestTestClient.login(sf);
        String id = RestTestClient.json(rest.send("POST", "/services/data/v62.0/sobjects/Account", "{\"Name\":\"One\"}")).get("id").asText();
        rest.send("PATCH", "/services/data/v62.0/composite/sobjects",
                "{\"records\":[{\"attributes\":{\"type\":\"Account\"},\"id\":\"" + id + "\",\"Name\":\"Two\"}]}");
        rest.send("DELETE", "/services/data/v62.0/composite/sobjects?ids=" + id, null);
        assertThat(changes(sf)).containsExactly("CREATE Account 1", "UPDATE Account 1", "DELETE Account 1");
        assertThat(sf.org().changeEvents().events()).extracting(e -> header(e).get("changeOrigin")).containsOnly("com/salesforce/api/rest");
    }

    @Test
    void anAllOrNoneCallThatFailsPublishesNothingAndMaintenanceNeither(SalesforceSimulator sf) throws Exception {
        RestTestClient rest = RestTestClient.login(sf);
        rest.send("POST", "/services/data/v62.0/composite/sobjects",
                "{\"allOrNone\":true,\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Name\":\"Fine\"},{\"attributes\":{\"type\":\"Account\"}}]}");
        sf.faults().maintenance(true);
        rest.send("POST", "/services/data/v62.0/sobjects/Account", "{\"Name\":\"Refused\"}");
        assertThat(sf.org().changeEvents().events()).isEmpty();
    }

    @Test
    void aBulkJobPublishesItsRecordsInTransactionsOf200(SalesforceSimulator sf) throws Exception {
        RestTestClient rest = RestTestClient.login(sf);
        String job = RestTestClient.json(rest.send("POST", "/services/data/v62.0/jobs/ingest",
                "{\"object\":\"Account\",\"operation\":\"insert\",\"contentType\":\"CSV\",\"lineEnding\":\"LF\"}")).get("id").asText();
        StringBuilder csv = new StringBuilder("Name\n");
        for (int i = 0; i < 450; i++) {
            csv.append("Bulk ").append(i).append('\n');
        }
        rest.send("PUT", "/services/data/v62.0/jobs/ingest/" + job + "/batches", csv.toString(), "Content-Type", "text/csv");
        rest.send("PATCH", "/services/data/v62.0/jobs/ingest/" + job, "{\"state\":\"UploadComplete\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> sf.org().changeEvents().events().size() == 450);
        List<ChangeEvent> events = sf.org().changeEvents().events();
        assertThat(events).extracting(e -> header(e).get("changeOrigin")).containsOnly("com/salesforce/api/bulkapi");
        assertThat(events.stream().map(e -> header(e).get("transactionKey")).distinct()).hasSize(3);
        assertThat(events).extracting(e -> e.payload().get("Name")).first().isEqualTo("Bulk 0");
    }
}
