package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain HTTP calls to the simulator for tests that check the wire itself. */
final class OAuthTestClient {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    private OAuthTestClient() {
    }

    static HttpResponse<String> token(SalesforceSimulator sf, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HTTP.send(HttpRequest.newBuilder(URI.create(sf.loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode passwordToken(SalesforceSimulator sf) throws Exception {
        Credentials c = sf.credentials();
        return JSON.readTree(token(sf, Map.of("grant_type", "password", "client_id", c.clientId(), "client_secret", c.clientSecret(),
                "username", c.username(), "password", c.password())).body());
    }

    static HttpResponse<String> get(SalesforceSimulator sf, String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(sf.instanceUrl() + path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
