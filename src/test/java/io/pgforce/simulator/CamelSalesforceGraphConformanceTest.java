package io.pgforce.simulator;

import static io.pgforce.simulator.SimulatorCompositeGraphTest.graph;
import static io.pgforce.simulator.SimulatorCompositeGraphTest.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * camel-salesforce has no Composite Graph operation; its {@code raw} operation, unchanged, posts a
 * payload of graphs to the simulator: a parent and its children by reference, a graph that rolls
 * back, the payload limits, and the session camel renews by itself.
 */
@ExtendWith(SimulatorExtension.class)
class CamelSalesforceGraphConformanceTest {

    private static final String GRAPH = "salesforce:raw?rawPath=/services/data/v62.0/composite/graph&rawMethod=POST";

    private CamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void camel(SalesforceSimulator sf) {
        camel = SimulatorClients.camel(SimulatorClients.salesforce(sf));
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private JsonNode post(String... graphs) throws Exception {
        String answer = producer.requestBody(GRAPH, "{\"graphs\": [" + String.join(", ", graphs) + "]}", String.class);
        return HttpIo.JSON.readTree(answer);
    }

    private static String accountWithContacts(String graphId, String key, String secondContact) {
        return graph(graphId,
                node("PATCH", "/sobjects/Account/External_Id__c/" + key, "acc", "{\"Name\": \"Acme " + key + "\"}"),
                node("POST", "/sobjects/Contact", "c1", "{\"LastName\": \"One\", \"AccountId\": \"@{acc.id}\"}"),
                node("POST", "/sobjects/Contact", "c2", secondContact));
    }

    @Test
    void aParentAndItsChildrenByReferenceCommitAndAFailingGraphRollsBack(SalesforceSimulator sf) throws Exception {
        JsonNode answer = post(
                accountWithContacts("kept", "A-1", "{\"LastName\": \"Two\", \"AccountId\": \"@{acc.id}\"}"),
                accountWithContacts("gone", "A-2", "{\"FirstName\": \"No last name\", \"AccountId\": \"@{acc.id}\"}"));
        JsonNode kept = answer.get("graphs").get(0);
        assertThat(kept.get("isSuccessful").asBoolean()).isTrue();
        JsonNode nodes = kept.get("graphResponse").get("compositeResponse");
        String accountId = nodes.get(0).get("body").get("id").asText();
        assertThat(nodes).extracting(n -> n.get("httpStatusCode").asInt()).containsExactly(201, 201, 201);
        assertThat(sf.org().find(nodes.get(2).get("body").get("id").asText()).orElseThrow().get("AccountId")).isEqualTo(accountId);

        JsonNode gone = answer.get("graphs").get(1);
        assertThat(gone.get("isSuccessful").asBoolean()).isFalse();
        assertThat(gone.get("graphResponse").get("compositeResponse")).extracting(n -> n.get("body").get(0).get("errorCode").asText())
                .containsExactly("PROCESSING_HALTED", "PROCESSING_HALTED", "REQUIRED_FIELD_MISSING");
        assertThat(sf.org().count("Account")).isEqualTo(1);
        assertThat(sf.org().count("Contact")).isEqualTo(2);

        sf.sessions().expireAll();
        JsonNode again = post(accountWithContacts("again", "A-1", "{\"LastName\": \"Three\", \"AccountId\": \"@{acc.id}\"}"));
        assertThat(again.get("graphs").get(0).get("isSuccessful").asBoolean()).as("camel renewed the session").isTrue();
        assertThat(sf.org().count("Account")).as("the upsert matched").isEqualTo(1);
    }

    @Test
    void aPayloadOverTheLimitsIsRefusedWhole(SalesforceSimulator sf) {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            nodes.add(node("POST", "/sobjects/Account", "a" + i, "{\"Name\": \"A" + i + "\"}"));
        }
        assertThatThrownBy(() -> post(graph("big", nodes.toArray(String[]::new))))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(SalesforceException.class)
                .satisfies(e -> assertThat(((SalesforceException) e).getStatusCode()).isEqualTo(400));
        assertThat(sf.org().count("Account")).isZero();
    }
}
