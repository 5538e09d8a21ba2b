package io.pgforce.admin.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Calls {@code /api/diagnose} of the running test application over HTTP, as the CLI does. */
final class DiagnoseClient {

    /** The admin API's token in the test profile (another part of the admin API checks it). */
    private static final String AUTHORIZATION = "Bearer test-admin-token";

    private final URI uri;
    private final HttpClient http = HttpClient.newHttpClient();

    DiagnoseClient(URL endpoint) {
        try {
            this.uri = endpoint.toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The running configuration. */
    Report get() {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    /** A mapping file, named {@code name} in the messages. */
    Report post(String name, String content) {
        URI target = URI.create(uri + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(target).header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(content)));
    }

    private Report send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", AUTHORIZATION).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("HTTP status of %s: %s", uri, response.body()).isEqualTo(200);
            return new Report(new ObjectMapper().readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON answer: {@code {"status", "checks": [{"scope", "check", "status", "message", "action"}]}}. */
    record Report(JsonNode json) {

        String status() {
            return json.path("status").asText();
        }

        List<JsonNode> checks(String scope, String check) {
            List<JsonNode> found = new ArrayList<>();
            json.path("checks").forEach(c -> {
                if (c.path("scope").asText().equals(scope) && c.path("check").asText().equals(check)) {
                    found.add(c);
                }
            });
            return found;
        }

        /** The check's one result of this status; fails naming what the report holds instead. */
        JsonNode one(String scope, String check, String status) {
            List<JsonNode> found = checks(scope, check).stream().filter(c -> c.path("status").asText().equals(status)).toList();
            assertThat(found).as("%s %s %s in %s", scope, check, status, json.toPrettyString()).hasSize(1);
            return found.get(0);
        }

        /** Every result of the check has this status. */
        void all(String scope, String check, String status) {
            List<JsonNode> found = checks(scope, check);
            assertThat(found).as("%s %s in %s", scope, check, json.toPrettyString()).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.path("status").asText()).as(c.toString()).isEqualTo(status));
        }
    }
}
