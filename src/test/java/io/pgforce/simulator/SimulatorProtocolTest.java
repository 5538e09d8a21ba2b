package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OAuth, REST, faults and the admin API over plain HTTP. */
@ExtendWith(SimulatorExtension.class)
class SimulatorProtocolTest {

    private static String token(SalesforceSimulator sf) throws Exception {
        return OAuthTestClient.passwordToken(sf).get("access_token").asText();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return OAuthTestClient.JSON.readTree(r.body());
    }

    private static HttpResponse<String> post(SalesforceSimulator sf, String path, String body, String contentType) throws Exception {
        return OAuthTestClient.HTTP.send(HttpRequest.newBuilder(URI.create(sf.loginUrl() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePasswordGrantAnswersAsSalesforceDoes(SalesforceSimulator sf) throws Exception {
        JsonNode t = OAuthTestClient.passwordToken(sf);
        assertThat(t.get("instance_url").asText()).isEqualTo(sf.instanceUrl());
        assertThat(t.get("id").asText()).isEqualTo(sf.instanceUrl() + "/id/" + sf.org().orgId() + "/" + sf.org().userId());
        assertThat(t.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(t.get("issued_at").isTextual()).isTrue();
        assertThat(t.has("signature")).isTrue();

        HttpResponse<String> bad = OAuthTestClient.token(sf, Map.of("grant_type", "password", "client_id", sf.credentials().clientId(),
                "client_secret", sf.credentials().clientSecret(), "username", sf.credentials().username(), "password", "nope"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).isEqualTo("invalid_grant");
        HttpResponse<String> badClient = OAuthTestClient.token(sf, Map.of("grant_type", "client_credentials", "client_id", "x", "client_secret", "y"));
        assertThat(json(badClient).get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void clientCredentialsAndJwtBearerGrants(SalesforceSimulator sf) throws Exception {
        Credentials c = sf.credentials();
        assertThat(json(OAuthTestClient.token(sf, Map.of("grant_type", "client_credentials", "client_id", c.clientId(), "client_secret", c.clientSecret())))
                .has("access_token")).isTrue();

        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        sf.credentials(c.withJwtKey(keys.getPublic()));
        String header = b64("{\"alg\":\"RS256\"}");
        long exp = System.currentTimeMillis() / 1000 + 300;
        String claims = b64("{\"iss\":\"" + c.clientId() + "\",\"sub\":\"" + c.username() + "\",\"aud\":\"https://login.salesforce.com\",\"exp\":\"" + exp + "\"}");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(keys.getPrivate());
        rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        String jwt = header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());

        assertThat(json(OAuthTestClient.token(sf, Map.of("grant_type", OAuthEndpoint.JWT_BEARER, "assertion", jwt))).has("access_token")).isTrue();
        String forged = jwt.substring(0, jwt.length() - 4) + "AAAA";
        assertThat(OAuthTestClient.token(sf, Map.of("grant_type", OAuthEndpoint.JWT_BEARER, "assertion", forged)).statusCode()).isEqualTo(400);
        sf.credentials(c);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void revokedAndExpiredTokensAreRefused(SalesforceSimulator sf) throws Exception {
        String token = token(sf);
        assertThat(OAuthTestClient.get(sf, "/services/data/v62.0/limits", token).statusCode()).isEqualTo(200);
        post(sf, "/services/oauth2/revoke", "token=" + token, "application/x-www-form-urlencoded");
        HttpResponse<String> refused = OAuthTestClient.get(sf, "/services/data/v62.0/limits", token);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");

        sf.sessions().ttl(Duration.ofMillis(1));
        String shortLived = token(sf);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> OAuthTestClient.get(sf, "/services/data/v62.0/limits", shortLived).statusCode() == 401);
        sf.sessions().ttl(Duration.ofHours(2));
    }

    @Test
    void restBasics(SalesforceSimulator sf) throws Exception {
        String token = token(sf);
        assertThat(json(OAuthTestClient.get(sf, "/services/data/", token)).findValuesAsText("version")).contains("38.0", "62.0");
        JsonNode describe = json(OAuthTestClient.get(sf, "/services/data/v62.0/sobjects/Invoice__c/describe", token));
        assertThat(describe.get("keyPrefix").asText()).isEqualTo("a0X");
        assertThat(describe.get("fields").findValuesAsText("name")).contains("Id", "Amount__c", "Account__c", "External_Id__c");

        SimulatedOrg.Unit unit = sf.org().unit();
        String id = sf.org().create(unit, "Account", new RecordInput(null, Map.of("Name", "Acme", "External_Id__c", "A-1", "NumberOfEmployees", "7"),
                null, null), WriteOptions.DEFAULT).id();
        JsonNode byId = json(OAuthTestClient.get(sf, "/services/data/v62.0/sobjects/Account/" + id, token));
        assertThat(byId.get("Name").asText()).isEqualTo("Acme");
        assertThat(byId.get("attributes").get("type").asText()).isEqualTo("Account");
        assertThat(json(OAuthTestClient.get(sf, "/services/data/v62.0/sobjects/Account/External_Id__c/A-1", token)).get("Id").asText()).isEqualTo(id);
        assertThat(OAuthTestClient.get(sf, "/services/data/v62.0/sobjects/Account/001000000000000AAA", token).statusCode()).isEqualTo(404);

        HttpResponse<String> query = OAuthTestClient.get(sf, "/services/data/v62.0/query?q="
                + java.net.URLEncoder.encode("SELECT Id, Name FROM Account WHERE NumberOfEmployees > 5 AND Name LIKE 'Ac%' ORDER BY Name LIMIT 10",
                StandardCharsets.UTF_8), token);
        assertThat(json(query).get("totalSize").asInt()).isEqualTo(1);
        assertThat(json(query).get("records").get(0).get("Name").asText()).isEqualTo("Acme");
        assertThat(query.headers().firstValue("Sforce-Limit-Info").orElseThrow()).matches("api-usage=\\d+/15000000");
        assertThat(json(OAuthTestClient.get(sf, "/services/data/v62.0/query?q=SELECT+Id+FROM+Nothing", token)).get(0).get("errorCode").asText())
                .isEqualTo("INVALID_TYPE");
    }

    @Test
    void theDailyApiLimitIsEnforced(SalesforceSimulator sf) throws Exception {
        String token = token(sf);
        sf.faults().dailyApiLimit(sf.faults().apiRequests() + 1);
        assertThat(OAuthTestClient.get(sf, "/services/data/v62.0/limits", token).statusCode()).isEqualTo(200);
        HttpResponse<String> over = OAuthTestClient.get(sf, "/services/data/v62.0/limits", token);
        assertThat(over.statusCode()).isEqualTo(403);
        assertThat(json(over).get(0).get("message").asText()).isEqualTo("TotalRequests Limit exceeded.");
    }

    @Test
    void unavailabilityAnswers503OrDropsTheConnection(SalesforceSimulator sf) throws Exception {
        sf.faults().unavailable(Faults.Unavailable.HTTP_503);
        assertThat(OAuthTestClient.get(sf, "/services/data/", "x").statusCode()).isEqualTo(503);
        sf.faults().unavailable(Faults.Unavailable.CONNECTION_RESET);
        assertThatThrownBy(() -> OAuthTestClient.get(sf, "/services/data/", "x")).isInstanceOf(java.io.IOException.class);
        sf.faults().unavailable(Faults.Unavailable.NONE);
        assertThat(OAuthTestClient.get(sf, "/services/data/", "x").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> createBulkJob(SalesforceSimulator sf, String token) throws Exception {
        return OAuthTestClient.HTTP.send(HttpRequest.newBuilder(URI.create(sf.instanceUrl() + "/services/data/v62.0/jobs/ingest"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"object\": \"Account\", \"operation\": \"insert\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBulkStepFaultAnswers503OrAppliesTheStepAndDropsTheConnection(SalesforceSimulator sf) throws Exception {
        String token = token(sf);
        HttpResponse<String> set = post(sf, "/__sim/faults", "{\"bulkFault\": \"CREATE\", \"bulkFaultTimes\": 1}", "application/json");
        assertThat(json(set).get("bulkFault").asText()).isEqualTo("CREATE");
        assertThat(createBulkJob(sf, token).statusCode()).isEqualTo(503);
        assertThat(createBulkJob(sf, token).statusCode()).as("only once").isEqualTo(200);

        post(sf, "/__sim/faults", "{\"bulkFault\": \"CREATE\", \"bulkFaultLoseResponse\": true}", "application/json");
        assertThatThrownBy(() -> createBulkJob(sf, token)).isInstanceOf(java.io.IOException.class);
        JsonNode jobs = json(OAuthTestClient.get(sf, "/services/data/v62.0/jobs/ingest", token)).get("records");
        assertThat(jobs).as("the lost create was applied").hasSize(2);
        assertThat(sf.calls().calls("BULK", "CREATE")).extracting(CallLog.Call::outcome).containsExactly("HTTP_503", "LOST_RESPONSE");

        sf.faults().bulkFault(Faults.BulkStep.POLL, 1);
        String id = jobs.get(0).get("id").asText();
        assertThat(OAuthTestClient.get(sf, "/services/data/v62.0/jobs/ingest/" + id, token).statusCode()).isEqualTo(503);
        assertThat(OAuthTestClient.get(sf, "/services/data/v62.0/jobs/ingest/" + id, token).statusCode()).isEqualTo(200);
    }

    @Test
    void latencyIsAddedPerCall(SalesforceSimulator sf) throws Exception {
        sf.faults().latency(200, 0);
        long start = System.nanoTime();
        OAuthTestClient.get(sf, "/services/data/", "x");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void theAdminApiSwitchesFaultsAndShowsCallsAndRecords(SalesforceSimulator sf) throws Exception {
        HttpResponse<String> set = post(sf, "/__sim/faults", "{\"maintenance\": true, \"lockRowRate\": 0.5, \"loseResponses\": 2, \"dailyApiLimit\": 99}", "application/json");
        assertThat(json(set).get("maintenance").asBoolean()).isTrue();
        assertThat(sf.faults().maintenance()).isTrue();
        assertThat(sf.faults().lockRowRate()).isEqualTo(0.5);
        assertThat(sf.faults().responsesToLose()).isEqualTo(2);
        OAuthTestClient.HTTP.send(HttpRequest.newBuilder(URI.create(sf.loginUrl() + "/__sim/faults")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sf.faults().maintenance()).isFalse();

        token(sf);
        JsonNode calls = json(OAuthTestClient.get(sf, "/__sim/calls", "x"));
        assertThat(calls.get(0).get("api").asText()).isEqualTo("OAUTH");
        assertThat(json(OAuthTestClient.get(sf, "/__sim/counters", "x")).get("OAUTH.token").asInt()).isEqualTo(1);
        post(sf, "/__sim/sessions/expire", "", "application/json");
        assertThat(sf.sessions().active()).isZero();
        assertThat(json(OAuthTestClient.get(sf, "/__sim/records/Account", "x")).isArray()).isTrue();
    }
}
