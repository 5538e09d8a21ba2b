package io.pgforce.admin.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/** Calls the admin API over HTTP with the bearer token; a call that fails is one {@link CallFailed} line. */
final class AdminClient {

    /** The call did not get a successful answer: unreachable, refused, 4xx or 5xx; the message is the one line to print. */
    static final class CallFailed extends RuntimeException {
        CallFailed(String message) {
            super(message);
        }
    }

    /** An answer: the body as sent (for --json) and parsed. */
    record Answer(String body, JsonNode json) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminClient(String url, String token) {
        this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.token = token;
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Answer send(HttpRequest.Builder request) {
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new CallFailed("pgforce at " + base + " did not answer in time");
        } catch (IOException e) {
            throw new CallFailed("cannot reach pgforce at " + base + ": " + reason(e) + " (set --url or PGFORCE_URL)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed("interrupted");
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() >= 400) {
            String error = json != null && json.path("error").isTextual() ? json.path("error").asText() : "HTTP " + response.statusCode();
            throw new CallFailed(error + (response.statusCode() == 401 ? " (set --token or PGFORCE_ADMIN_TOKEN)" : ""));
        }
        if (json == null) {
            throw new CallFailed("pgforce at " + base + " answered HTTP " + response.statusCode() + " with something that is not JSON: is it pgforce?");
        }
        return new Answer(response.body(), json);
    }

    /** What went wrong in words: the HTTP client's exceptions often carry no message, only their kind says it. */
    private static String reason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : "no connection";
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String pretty(JsonNode json) {
        return json.toPrettyString();
    }
}
