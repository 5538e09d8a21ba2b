package io.pgforce.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Calls the running test application's admin API over HTTP and keeps every answer, to scan them for secrets. */
final class ApiClient {

    /** An answer: status, headers and body as JSON. */
    record Answer(int status, HttpResponse<String> response, JsonNode json) {

        /** The {@code error} line of a refused call, after checking its status. */
        String error(int expected) {
            assertThat(status).as(response.body()).isEqualTo(expected);
            assertThat(json.path("error").isTextual()).as(response.body()).isTrue();
            assertThat(json.size()).as("only 'error' in %s", response.body()).isEqualTo(1);
            return json.path("error").asText();
        }

        JsonNode ok() {
            assertThat(status).as(response.body()).isEqualTo(200);
            return json;
        }
    }

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> bodies;

    ApiClient(URL base, String token, List<String> bodies) {
        this.base = URI.create(base.toString().replaceAll("/$", ""));
        this.token = token;
        this.bodies = bodies;
    }

    ApiClient withToken(String other) {
        return new ApiClient(toUrl(base), other, bodies);
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private Answer send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            bodies.add(response.headers().map() + " " + response.body());
            JsonNode json = response.body().isEmpty() ? null : new ObjectMapper().readTree(response.body());
            return new Answer(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URL toUrl(URI uri) {
        try {
            return uri.toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<String> answers() {
        return new ArrayList<>();
    }
}
