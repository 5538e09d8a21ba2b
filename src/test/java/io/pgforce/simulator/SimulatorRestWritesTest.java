package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** REST sObject writes and sObject collections over plain HTTP: answers, all-or-none, limits and faults. */
@ExtendWith(SimulatorExtension.class)
class SimulatorRestWritesTest {

    private static final String V = "/services/data/v62.0";

    private RestTestClient rest;

    @BeforeEach
    void login(SalesforceSimulator sf) throws Exception {
        rest = RestTestClient.login(sf);
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return rest.send(method, V + path, body);
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return RestTestClient.json(r);
    }

    private static String records(String... records) {
        return "[" + String.join(", ", records) + "]";
    }

    private static String account(String name) {
        return "{\"attributes\": {\"type\": \"Account\"}, \"Name\": " + (name == null ? "null" : "\"" + name + "\"") + "}";
    }

    @Test
    void createUpdateAndDeleteOneRecord(SalesforceSimulator sf) throws Exception {
        HttpResponse<String> created = call("POST", "/sobjects/Account", "{\"Name\": \"Acme\", \"NumberOfEmployees\": 12, \"Phone\": \"555\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode result = json(created);
        assertThat(result.get("success").asBoolean()).isTrue();
        assertThat(result.get("errors")).isEmpty();
        String id = result.get("id").asText();
        assertThat(sf.org().find(id).orElseThrow().get("NumberOfEmployees")).isEqualTo(12.0);

        assertThat(call("PATCH", "/sobjects/Account/" + id, "{\"NumberOfEmployees\": 13.0, \"Phone\": null}").statusCode()).isEqualTo(204);
        SimRecord updated = sf.org().find(id).orElseThrow();
        assertThat(updated.get("NumberOfEmployees")).isEqualTo(13.0);
        assertThat(updated.get("Phone")).as("null clears a field").isNull();

        assertThat(call("DELETE", "/sobjects/Account/" + id, null).statusCode()).isEqualTo(204);
        assertThat(sf.org().find(id).orElseThrow().deleted()).isTrue();
        HttpResponse<String> again = call("DELETE", "/sobjects/Account/" + id, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again).get(0).get("errorCode").asText()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(sf.calls().calls("REST", null)).extracting(CallLog.Call::operation).containsExactly("create", "update", "delete");
    }

    @Test
    void aRecordThatFailsAnswersSalesforcesErrorArray(SalesforceSimulator sf) throws Exception {
        HttpResponse<String> missing = call("POST", "/sobjects/Account", "{\"Phone\": \"555\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        JsonNode error = json(missing).get(0);
        assertThat(error.get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(error.get("message").asText()).isEqualTo("Required fields are missing: [Name]");
        assertThat(error.get("fields")).extracting(JsonNode::asText).containsExactly("Name");

        String id = json(call("POST", "/sobjects/Account", "{\"Name\": \"A\"}")).get("id").asText();
        JsonNode rule = json(call("PATCH", "/sobjects/Account/" + id, "{\"NumberOfEmployees\": -1}")).get(0);
        assertThat(rule.get("errorCode").asText()).isEqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        assertThat(json(call("POST", "/sobjects/Account", "{\"Name\": \"A\", \"Nope__c\": 1}")).get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(json(call("POST", "/sobjects/Account", "{\"Name\": ")).get(0).get("errorCode").asText()).isEqualTo("JSON_PARSER_ERROR");

        HttpResponse<String> noType = call("POST", "/sobjects/Nothing__c", "{}");
        assertThat(noType.statusCode()).isEqualTo(404);
        assertThat(json(noType).get(0).get("errorCode").asText()).isEqualTo("NOT_FOUND");
        assertThat(call("PATCH", "/sobjects/Account/001000000000000AAA", "{\"Name\": \"B\"}").statusCode()).isEqualTo(404);
        assertThat(call("PATCH", "/sobjects/Contact/" + id, "{\"LastName\": \"B\"}").statusCode()).as("an Account's Id under Contact").isEqualTo(404);
        assertThat(sf.org().count("Account")).isEqualTo(1);
    }

    @Test
    void upsertByExternalIdAnswers201Then200WithCreated(SalesforceSimulator sf) throws Exception {
        HttpResponse<String> inserted = call("PATCH", "/sobjects/Account/External_Id__c/A%2F1", "{\"Name\": \"New\"}");
        assertThat(inserted.statusCode()).isEqualTo(201);
        assertThat(json(inserted).get("created").asBoolean()).isTrue();
        String id = json(inserted).get("id").asText();
        assertThat(sf.org().find(id).orElseThrow().get("External_Id__c")).as("an encoded '/' stays in the value").isEqualTo("A/1");

        HttpResponse<String> updated = call("PATCH", "/sobjects/Account/External_Id__c/A%2F1", "{\"Name\": \"Newer\"}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(json(updated).get("created").asBoolean()).isFalse();
        assertThat(json(updated).get("id").asText()).isEqualTo(id);
        assertThat(sf.org().find(id).orElseThrow().get("Name")).isEqualTo("Newer");

        HttpResponse<String> old = rest.send("PATCH", "/services/data/v45.0/sobjects/Account/External_Id__c/A%2F1", "{\"Name\": \"Old\"}");
        assertThat(old.statusCode()).as("before API 46.0 an update answers 204").isEqualTo(204);
        HttpResponse<String> oldInsert = rest.send("PATCH", "/services/data/v45.0/sobjects/Account/External_Id__c/A-2", "{\"Name\": \"Old\"}");
        assertThat(oldInsert.statusCode()).isEqualTo(201);
        assertThat(json(oldInsert).has("created")).isFalse();

        assertThat(call("PATCH", "/sobjects/Account/Name/Acme", "{\"Phone\": \"1\"}").statusCode()).as("Name is no external ID").isEqualTo(404);
        assertThat(json(call("GET", "/sobjects/Account/External_Id__c/A%2F1?fields=Name", null)).get("Name").asText()).isEqualTo("Old");
        assertThat(call("DELETE", "/sobjects/Account/External_Id__c/A-2", null).statusCode()).isEqualTo(204);
        assertThat(sf.calls().calls("REST", "upsert")).hasSize(4);
    }

    @Test
    void aParentIsReferencedByItsExternalId(SalesforceSimulator sf) throws Exception {
        String parent = json(call("POST", "/sobjects/Account", "{\"Name\": \"P\", \"External_Id__c\": \"P-1\"}")).get("id").asText();
        String child = json(call("POST", "/sobjects/Contact", "{\"LastName\": \"Doe\", \"Account\": {\"External_Id__c\": \"P-1\"}}")).get("id").asText();
        assertThat(sf.org().find(child).orElseThrow().get("AccountId")).isEqualTo(parent);
        JsonNode missing = json(call("POST", "/sobjects/Contact", "{\"LastName\": \"Roe\", \"Account\": {\"External_Id__c\": \"P-2\"}}")).get(0);
        assertThat(missing.get("errorCode").asText()).isEqualTo("INVALID_CROSS_REFERENCE_KEY");
    }

    @Test
    void collectionsAnswerOneResultARecordInRequestOrder(SalesforceSimulator sf) throws Exception {
        HttpResponse<String> created = call("POST", "/composite/sobjects", "{\"allOrNone\": false, \"records\": " + records(account("A"), account(null),
                "{\"attributes\": {\"type\": \"Contact\"}, \"LastName\": \"Doe\"}", account("B")) + "}");
        assertThat(created.statusCode()).isEqualTo(200);
        JsonNode results = json(created);
        assertThat(results).extracting(r -> r.get("success").asBoolean()).containsExactly(true, false, true, true);
        assertThat(results.get(1).get("id").isNull()).isTrue();
        JsonNode error = results.get(1).get("errors").get(0);
        assertThat(error.get("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(error.get("fields")).extracting(JsonNode::asText).containsExactly("Name");
        assertThat(results.get(0).has("created")).isFalse();
        assertThat(sf.org().count("Account")).isEqualTo(2);
        CallLog.Call logged = sf.calls().calls("COLLECTIONS", "create").get(0);
        assertThat(logged.records()).isEqualTo(4);
        assertThat(logged.objects()).containsExactly("Account", "Contact", "Account");
        assertThat(logged.outcome()).isEqualTo("1 failed");

        String a = results.get(0).get("id").asText();
        String b = results.get(3).get("id").asText();
        JsonNode updated = json(call("PATCH", "/composite/sobjects", "{\"records\": " + records(
                "{\"attributes\": {\"type\": \"Account\"}, \"id\": \"" + a + "\", \"Phone\": \"1\"}",
                "{\"attributes\": {\"type\": \"Account\"}, \"Id\": \"" + b + "\", \"Phone\": \"2\"}",
                "{\"attributes\": {\"type\": \"Account\"}, \"Phone\": \"3\"}") + "}"));
        assertThat(updated).extracting(r -> r.get("success").asBoolean()).containsExactly(true, true, false);
        assertThat(updated.get(2).get("errors").get(0).get("statusCode").asText()).isEqualTo("MISSING_ARGUMENT");
        assertThat(sf.org().find(b).orElseThrow().get("Phone")).isEqualTo("2");

        JsonNode upserted = json(call("PATCH", "/composite/sobjects/Account/External_Id__c", "{\"records\": " + records(
                "{\"attributes\": {\"type\": \"Account\"}, \"Name\": \"X\", \"External_Id__c\": \"X-1\"}") + "}"));
        assertThat(upserted.get(0).get("created").asBoolean()).isTrue();
        JsonNode again = json(call("PATCH", "/composite/sobjects/Account/External_Id__c", "{\"records\": " + records(
                "{\"attributes\": {\"type\": \"Account\"}, \"Name\": \"X2\", \"External_Id__c\": \"X-1\"}",
                "{\"attributes\": {\"type\": \"Account\"}, \"Name\": \"Y\", \"External_Id__c\": \"Y-1\"}") + "}"));
        assertThat(again).extracting(r -> r.get("created").asBoolean()).containsExactly(false, true);

        JsonNode deleted = json(call("DELETE", "/composite/sobjects?ids=" + a + "," + b + ",001000000000000AAA&allOrNone=false", null));
        assertThat(deleted).extracting(r -> r.get("success").asBoolean()).containsExactly(true, true, false);
        assertThat(deleted.get(0).get("id").asText()).isEqualTo(a);
        assertThat(sf.org().find(a).orElseThrow().deleted()).isTrue();

        String x = upserted.get(0).get("id").asText();
        JsonNode retrieved = json(call("GET", "/composite/sobjects/Account?ids=" + x + "," + a + "&fields=Id,Name", null));
        assertThat(retrieved.get(0).get("Name").asText()).isEqualTo("X2");
        assertThat(retrieved.get(1).isNull()).as("a deleted record").isTrue();
    }

    @Test
    void allOrNoneRollsEveryRecordBack(SalesforceSimulator sf) throws Exception {
        String existing = TestRecords.account(sf, "Before");
        JsonNode results = json(call("POST", "/composite/sobjects", "{\"allOrNone\": true, \"records\": " + records(account("A"), account(null), account("C")) + "}"));
        assertThat(results).extracting(r -> r.get("success").asBoolean()).containsExactly(false, false, false);
        assertThat(results.get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        for (int i : new int[] {0, 2}) {
            JsonNode rolledBack = results.get(i).get("errors").get(0);
            assertThat(rolledBack.get("statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
            assertThat(results.get(i).get("id").isNull()).isTrue();
        }
        assertThat(sf.org().count("Account")).isEqualTo(1);

        JsonNode deletes = json(call("DELETE", "/composite/sobjects?ids=" + existing + ",001000000000000AAA&allOrNone=true", null));
        assertThat(deletes.get(0).get("errors").get(0).get("statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(sf.org().find(existing).orElseThrow().deleted()).isFalse();
    }

    @Test
    void moreThan200RecordsAreRefused(SalesforceSimulator sf) throws Exception {
        String many = IntStream.range(0, 201).mapToObj(i -> account("N" + i)).collect(Collectors.joining(", ", "[", "]"));
        HttpResponse<String> refused = call("POST", "/composite/sobjects", "{\"records\": " + many + "}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get(0).get("errorCode").asText()).isEqualTo("EXCEEDED_ID_LIMIT");
        assertThat(json(refused).get(0).get("message").asText()).isEqualTo("record limit reached. cannot submit more than 200 records into this call");
        assertThat(sf.org().count("Account")).isZero();

        String ids = String.join(",", TestRecords.accounts(sf, 201));
        assertThat(call("DELETE", "/composite/sobjects?ids=" + ids, null).statusCode()).isEqualTo(400);
        assertThat(sf.org().count("Account")).isEqualTo(201);
        String exactly200 = IntStream.range(0, 200).mapToObj(i -> account("M" + i)).collect(Collectors.joining(", ", "[", "]"));
        assertThat(json(call("POST", "/composite/sobjects", "{\"records\": " + exactly200 + "}"))).hasSize(200);
        assertThat(sf.calls().calls("COLLECTIONS", "create")).extracting(CallLog.Call::outcome).containsExactly("EXCEEDED_ID_LIMIT", "OK");
    }

    @Test
    void maintenanceRefusesEveryWriteAndWritesNothing(SalesforceSimulator sf) throws Exception {
        sf.faults().maintenance(true);
        HttpResponse<String> single = call("POST", "/sobjects/Account", "{\"Name\": \"A\"}");
        assertThat(single.statusCode()).isEqualTo(503);
        assertThat(json(single).get(0).get("errorCode").asText()).isEqualTo("INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE");
        JsonNode collection = json(call("POST", "/composite/sobjects", "{\"records\": " + records(account("A"), account("B")) + "}"));
        assertThat(collection).extracting(r -> r.get("errors").get(0).get("statusCode").asText())
                .containsOnly("INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE");
        assertThat(sf.org().count("Account")).isZero();
    }

    @Test
    void aLostResponseWasCommittedAndAnUnavailableOrgWritesNothing(SalesforceSimulator sf) throws Exception {
        sf.faults().loseResponses(2);
        assertThatThrownBy(() -> call("POST", "/composite/sobjects", "{\"records\": " + records(account("A"), account("B")) + "}"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> call("POST", "/sobjects/Account", "{\"Name\": \"C\"}")).isInstanceOf(IOException.class);
        assertThat(sf.org().count("Account")).as("committed, never answered").isEqualTo(3);
        assertThat(sf.calls().calls("COLLECTIONS", "create").get(0).outcome()).isEqualTo("RESPONSE_LOST (OK)");
        assertThat(call("POST", "/sobjects/Account", "{\"Name\": \"D\"}").statusCode()).isEqualTo(201);

        sf.faults().unavailable(Faults.Unavailable.HTTP_503);
        assertThat(call("POST", "/composite/sobjects", "{\"records\": " + records(account("E")) + "}").statusCode()).isEqualTo(503);
        sf.faults().unavailable(Faults.Unavailable.CONNECTION_RESET);
        assertThatThrownBy(() -> call("POST", "/sobjects/Account", "{\"Name\": \"F\"}")).isInstanceOf(IOException.class);
        sf.faults().unavailable(Faults.Unavailable.NONE);
        assertThat(sf.org().count("Account")).isEqualTo(4);
    }

    @Test
    void sessionsRequestLimitsInjectedFaultsAndRowLocks(SalesforceSimulator sf) throws Exception {
        sf.faults().faultCalls("UNKNOWN_EXCEPTION", 1);
        HttpResponse<String> faulted = call("POST", "/composite/sobjects", "{\"records\": " + records(account("A")) + "}");
        assertThat(faulted.statusCode()).isEqualTo(500);
        assertThat(json(faulted).get(0).get("errorCode").asText()).isEqualTo("UNKNOWN_EXCEPTION");
        assertThat(sf.org().count("Account")).isZero();

        sf.faults().lockRows(1.0, 7);
        JsonNode locked = json(call("POST", "/composite/sobjects", "{\"records\": " + records(account("A")) + "}"));
        assertThat(locked.get(0).get("errors").get(0).get("statusCode").asText()).isEqualTo("UNABLE_TO_LOCK_ROW");
        assertThat(json(call("POST", "/sobjects/Account", "{\"Name\": \"A\"}")).get(0).get("errorCode").asText()).isEqualTo("UNABLE_TO_LOCK_ROW");
        sf.faults().lockRows(0, 7);

        sf.faults().dailyApiLimit(sf.faults().apiRequests());
        HttpResponse<String> overLimit = call("POST", "/composite/sobjects", "{\"records\": " + records(account("A")) + "}");
        assertThat(overLimit.statusCode()).isEqualTo(403);
        assertThat(json(overLimit).get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        sf.faults().dailyApiLimit(15_000_000);

        sf.sessions().expireAll();
        HttpResponse<String> expired = call("POST", "/sobjects/Account", "{\"Name\": \"A\"}");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json(expired).get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        assertThat(sf.org().count("Account")).isZero();
    }

    @Test
    void collectionsCarryAtMostTenChunks(SalesforceSimulator sf) throws Exception {
        List<String> alternating = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            alternating.add(i % 2 == 0 ? account("A" + i) : "{\"attributes\": {\"type\": \"Contact\"}, \"LastName\": \"C" + i + "\"}");
        }
        HttpResponse<String> refused = call("POST", "/composite/sobjects", "{\"records\": " + records(alternating.toArray(String[]::new)) + "}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get(0).get("errorCode").asText()).isEqualTo("INVALID_BATCH_REQUEST");
        assertThat(json(call("POST", "/composite/sobjects", "{\"records\": [{\"Name\": \"typeless\"}]}")).get(0).get("errorCode").asText())
                .isEqualTo("INVALID_TYPE");
    }
}
