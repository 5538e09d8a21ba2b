package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Composite Graph over plain HTTP: answers, references, each graph all or nothing, the payload limits and faults. */
@ExtendWith(SimulatorExtension.class)
class SimulatorCompositeGraphTest {

    private static final String V = "/services/data/v62.0";

    private RestTestClient rest;

    @BeforeEach
    void login(SalesforceSimulator sf) throws Exception {
        rest = RestTestClient.login(sf);
    }

    private HttpResponse<String> graphs(String... graphs) throws Exception {
        return rest.send("POST", V + "/composite/graph", "{\"graphs\": [" + String.join(", ", graphs) + "]}");
    }

    static String graph(String id, String... nodes) {
        return "{\"graphId\": \"" + id + "\", \"compositeRequest\": [" + String.join(", ", nodes) + "]}";
    }

    static String node(String method, String url, String ref, String body) {
        return "{\"method\": \"" + method + "\", \"url\": \"" + V + url + "\", \"referenceId\": \"" + ref + "\""
                + (body == null ? "" : ", \"body\": " + body) + "}";
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return RestTestClient.json(r);
    }

    /** One node's answer in a graph's answer. */
    private static JsonNode answer(JsonNode graph, String ref) {
        for (JsonNode n : graph.get("graphResponse").get("compositeResponse")) {
            if (n.get("referenceId").asText().equals(ref)) {
                return n;
            }
        }
        throw new AssertionError("no answer for " + ref + " in " + graph);
    }

    @Test
    void aParentAndItsChildrenByReferenceInOneCall(SalesforceSimulator sf) throws Exception {
        long before = sf.faults().apiRequests();
        HttpResponse<String> r = graphs(graph("g1",
                node("PATCH", "/sobjects/Account/External_Id__c/A-1", "acc", "{\"Name\": \"Acme\"}"),
                node("POST", "/sobjects/Contact", "c1", "{\"LastName\": \"One\", \"AccountId\": \"@{acc.id}\"}"),
                node("POST", "/sobjects/Contact", "c2", "{\"LastName\": \"Two\", \"AccountId\": \"@{acc.id}\"}"),
                node("PATCH", "/sobjects/Contact/External_Id__c/C-3", "c3", "{\"LastName\": \"Three\", \"AccountId\": \"@{acc.id}\"}")));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode g = json(r).get("graphs").get(0);
        assertThat(g.get("graphId").asText()).isEqualTo("g1");
        assertThat(g.get("isSuccessful").asBoolean()).isTrue();
        JsonNode acc = answer(g, "acc");
        assertThat(acc.get("httpStatusCode").asInt()).isEqualTo(201);
        assertThat(acc.get("body").get("created").asBoolean()).isTrue();
        String accountId = acc.get("body").get("id").asText();
        JsonNode c1 = answer(g, "c1");
        assertThat(c1.get("httpStatusCode").asInt()).isEqualTo(201);
        assertThat(c1.get("httpHeaders").get("Location").asText()).isEqualTo(V + "/sobjects/Contact/" + c1.get("body").get("id").asText());
        for (String ref : List.of("c1", "c2", "c3")) {
            String id = answer(g, ref).get("body").get("id").asText();
            assertThat(sf.org().find(id).orElseThrow().get("AccountId")).isEqualTo(accountId);
        }
        assertThat(sf.faults().apiRequests() - before).as("the payload is one API request").isEqualTo(1);
        assertThat(sf.calls().calls("GRAPH", "graph")).singleElement().satisfies(c -> {
            assertThat(c.records()).isEqualTo(4);
            assertThat(c.outcome()).isEqualTo("OK");
        });
        assertThat(sf.org().changeEvents().events()).hasSize(4);

        // the same upserts again update: no duplicate
        JsonNode again = json(graphs(graph("g1", node("PATCH", "/sobjects/Account/External_Id__c/A-1", "acc", "{\"Name\": \"Acme 2\"}"))));
        assertThat(answer(again.get("graphs").get(0), "acc").get("httpStatusCode").asInt()).isEqualTo(200);
        assertThat(sf.org().count("Account")).isEqualTo(1);

        // update and delete by Id, a reference in the URL
        JsonNode changed = json(graphs(graph("g2",
                node("PATCH", "/sobjects/Account/" + accountId, "upd", "{\"Phone\": \"555\"}"),
                node("DELETE", "/sobjects/Contact/@{c.id}".replace("@{c.id}", c1.get("body").get("id").asText()), "del", null))));
        JsonNode g2 = changed.get("graphs").get(0);
        assertThat(g2.get("isSuccessful").asBoolean()).isTrue();
        assertThat(answer(g2, "upd").get("httpStatusCode").asInt()).isEqualTo(204);
        assertThat(answer(g2, "del").get("httpStatusCode").asInt()).isEqualTo(204);
        assertThat(sf.org().find(accountId).orElseThrow().get("Phone")).isEqualTo("555");
        assertThat(sf.org().count("Contact")).isEqualTo(2);
    }

    @Test
    void aFailingNodeRollsBackItsGraphAndNoOther(SalesforceSimulator sf) throws Exception {
        String existing = json(rest.send("POST", V + "/sobjects/Account", "{\"Name\": \"Before\", \"Phone\": \"1\"}")).get("id").asText();
        Object stamp = sf.org().find(existing).orElseThrow().get("SystemModstamp");
        int events = sf.org().changeEvents().events().size();

        JsonNode r = json(graphs(
                graph("ok", node("POST", "/sobjects/Account", "a", "{\"Name\": \"Kept\"}")),
                graph("bad",
                        node("PATCH", "/sobjects/Account/" + existing, "upd", "{\"Phone\": \"2\"}"),
                        node("POST", "/sobjects/Account", "acc", "{\"Name\": \"Gone\"}"),
                        node("POST", "/sobjects/Contact", "c1", "{\"LastName\": \"One\", \"AccountId\": \"@{acc.id}\"}"),
                        node("POST", "/sobjects/Contact", "c2", "{\"FirstName\": \"No last name\", \"AccountId\": \"@{acc.id}\"}"),
                        node("POST", "/sobjects/Contact", "c3", "{\"LastName\": \"Three\", \"AccountId\": \"@{acc.id}\"}"))));
        JsonNode ok = r.get("graphs").get(0);
        JsonNode bad = r.get("graphs").get(1);
        assertThat(ok.get("isSuccessful").asBoolean()).isTrue();
        assertThat(bad.get("graphId").asText()).isEqualTo("bad");
        assertThat(bad.get("isSuccessful").asBoolean()).isFalse();
        JsonNode failed = answer(bad, "c2");
        assertThat(failed.get("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(failed.get("body").get(0).get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        for (String ref : List.of("upd", "acc", "c1", "c3")) {
            JsonNode halted = answer(bad, ref);
            assertThat(halted.get("httpStatusCode").asInt()).isEqualTo(400);
            assertThat(halted.get("body").get(0).get("errorCode").asText()).as(ref).isEqualTo("PROCESSING_HALTED");
        }
        assertThat(sf.org().count("Account")).as("the first graph kept, the second left nothing").isEqualTo(2);
        assertThat(sf.org().count("Contact")).isZero();
        SimRecord untouched = sf.org().find(existing).orElseThrow();
        assertThat(untouched.get("Phone")).isEqualTo("1");
        assertThat(untouched.get("SystemModstamp")).as("no modstamp bump").isEqualTo(stamp);
        assertThat(sf.org().changeEvents().events()).as("only the kept graph's record published").hasSize(events + 1);
        assertThat(sf.calls().calls("GRAPH", "graph").get(0).outcome()).isEqualTo("1 graph failed");

        JsonNode rule = json(graphs(graph("rule", node("POST", "/sobjects/Account", "a", "{\"Name\": \"R\", \"NumberOfEmployees\": -1}"))));
        assertThat(answer(rule.get("graphs").get(0), "a").get("body").get(0).get("errorCode").asText()).isEqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        JsonNode dangling = json(graphs(graph("ref", node("POST", "/sobjects/Contact", "c", "{\"LastName\": \"X\", \"AccountId\": \"@{nowhere.id}\"}"))));
        assertThat(dangling.get("graphs").get(0).get("isSuccessful").asBoolean()).as("a reference to no earlier node").isFalse();
        assertThat(sf.org().count("Contact")).isZero();
    }

    @Test
    void afterMoreThanFourteenFailedGraphsTheRestAreHalted(SalesforceSimulator sf) throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            many.add(graph("g" + i, node("POST", "/sobjects/Account", "a", i < 15 ? "{\"Phone\": \"no name\"}" : "{\"Name\": \"late\"}")));
        }
        JsonNode r = json(graphs(many.toArray(String[]::new)));
        assertThat(answer(r.get("graphs").get(14), "a").get("body").get(0).get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(answer(r.get("graphs").get(15), "a").get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(sf.org().count("Account")).isZero();
    }

    @Test
    void payloadLimitsRefuseTheWholeRequest(SalesforceSimulator sf) throws Exception {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            nodes.add(node("POST", "/sobjects/Account", "a" + i, "{\"Name\": \"A" + i + "\"}"));
        }
        HttpResponse<String> tooMany = graphs(graph("g", nodes.toArray(String[]::new)));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).get(0).get("message").asText()).contains("500");
        List<String> split = new ArrayList<>();
        split.add(graph("g1", nodes.subList(0, 250).toArray(String[]::new)));
        split.add(graph("g2", nodes.subList(250, 501).toArray(String[]::new)));
        assertThat(graphs(split.toArray(String[]::new)).statusCode()).as("500 nodes per payload").isEqualTo(400);

        List<String> graphs = new ArrayList<>();
        for (int i = 0; i < 76; i++) {
            graphs.add(graph("g" + i, node("POST", "/sobjects/Account", "a", "{\"Name\": \"A\"}")));
        }
        HttpResponse<String> tooManyGraphs = graphs(graphs.toArray(String[]::new));
        assertThat(tooManyGraphs.statusCode()).isEqualTo(400);
        assertThat(json(tooManyGraphs).get(0).get("message").asText()).contains("75");

        List<String> chain = new ArrayList<>();
        chain.add(node("POST", "/sobjects/Account", "n0", "{\"Name\": \"root\"}"));
        for (int i = 1; i < 16; i++) {
            chain.add(node("PATCH", "/sobjects/Account/@{n" + (i - 1) + ".id}", "n" + i, "{\"Phone\": \"" + i + "\"}"));
        }
        HttpResponse<String> tooDeep = graphs(graph("deep", chain.toArray(String[]::new)));
        assertThat(tooDeep.statusCode()).isEqualTo(400);
        assertThat(json(tooDeep).get(0).get("message").asText()).contains("depth");

        List<String> kinds = new ArrayList<>();
        String[] objects = {"Account", "Contact", "Lead", "Case", "Opportunity", "Invoice__c"};
        for (String object : objects) {
            for (String method : List.of("POST", "DELETE", "PATCH")) {
                kinds.add(node(method, "/sobjects/" + object + (method.equals("POST") ? "" : "/001000000000000AAA"), object + method, "{}"));
            }
        }
        HttpResponse<String> tooVaried = graphs(graph("kinds", kinds.toArray(String[]::new)));
        assertThat(tooVaried.statusCode()).isEqualTo(400);
        assertThat(json(tooVaried).get(0).get("message").asText()).contains("15");

        assertThat(graphs(graph("a", node("POST", "/sobjects/Account", "x", "{\"Name\": \"A\"}")),
                graph("a", node("POST", "/sobjects/Account", "x", "{\"Name\": \"B\"}"))).statusCode()).as("graphId twice").isEqualTo(400);
        assertThat(graphs(graph("a", node("POST", "/sobjects/Account", "x", "{\"Name\": \"A\"}"),
                node("POST", "/sobjects/Account", "x", "{\"Name\": \"B\"}"))).statusCode()).as("referenceId twice").isEqualTo(400);
        assertThat(sf.org().count("Account")).isZero();

        HttpResponse<String> exactly500 = graphs(graph("g", nodes.subList(0, 500).toArray(String[]::new)));
        assertThat(json(exactly500).get("graphs").get(0).get("isSuccessful").asBoolean()).isTrue();
        assertThat(sf.org().count("Account")).isEqualTo(500);
    }

    @Test
    void faultsOfTheOtherWriteApisApply(SalesforceSimulator sf) throws Exception {
        String one = graph("g", node("POST", "/sobjects/Account", "a", "{\"Name\": \"A\"}"),
                node("POST", "/sobjects/Contact", "c", "{\"LastName\": \"C\", \"AccountId\": \"@{a.id}\"}"));

        sf.faults().loseResponses(1);
        assertThatThrownBy(() -> graphs(one)).isInstanceOf(IOException.class);
        assertThat(sf.org().count("Contact")).as("committed, never answered").isEqualTo(1);
        assertThat(sf.calls().calls("GRAPH", "graph").get(0).outcome()).isEqualTo("RESPONSE_LOST (OK)");

        sf.faults().unavailable(Faults.Unavailable.HTTP_503);
        assertThat(graphs(one).statusCode()).isEqualTo(503);
        sf.faults().unavailable(Faults.Unavailable.NONE);

        sf.faults().maintenance(true);
        JsonNode maintenance = json(graphs(one)).get("graphs").get(0);
        assertThat(maintenance.get("isSuccessful").asBoolean()).isFalse();
        assertThat(answer(maintenance, "a").get("httpStatusCode").asInt()).isEqualTo(503);
        assertThat(answer(maintenance, "a").get("body").get(0).get("errorCode").asText()).isEqualTo("INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE");
        sf.faults().maintenance(false);

        sf.faults().lockRows(1.0, 7);
        JsonNode locked = json(graphs(one)).get("graphs").get(0);
        assertThat(answer(locked, "a").get("body").get(0).get("errorCode").asText()).isEqualTo("UNABLE_TO_LOCK_ROW");
        sf.faults().lockRows(0, 7);

        sf.faults().faultCalls("UNKNOWN_EXCEPTION", 1);
        HttpResponse<String> faulted = graphs(one);
        assertThat(faulted.statusCode()).isEqualTo(500);
        assertThat(json(faulted).get(0).get("errorCode").asText()).isEqualTo("UNKNOWN_EXCEPTION");

        sf.sessions().expireAll();
        assertThat(graphs(one).statusCode()).isEqualTo(401);
        assertThat(sf.org().count("Contact")).as("only the lost response's graph was written").isEqualTo(1);
    }
}
