package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The REST API over plain HTTP with a token of the password grant, for tests that check the wire itself. */
public final class RestTestClient {

    private final SalesforceSimulator sf;
    private String token;

    private RestTestClient(SalesforceSimulator sf) {
        this.sf = sf;
    }

    public static RestTestClient login(SalesforceSimulator sf) throws Exception {
        RestTestClient client = new RestTestClient(sf);
        client.relogin();
        return client;
    }

    /** A fresh token, as a client gets after its session expired. */
    void relogin() throws Exception {
        token = OAuthTestClient.passwordToken(sf).get("access_token").asText();
    }

    /** A call with a body (null: none), JSON unless a Content-Type header says otherwise, and more headers, name then value in turn. */
    public HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sf.instanceUrl() + path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            request.header("Content-Type", "application/json");
        }
        return OAuthTestClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The status line a GET answers over a bare socket, or null when the connection was closed
     * without an answer. No client library in between: the JDK client sends a GET again, unasked,
     * when a connection closes before the answer, and the caller would never see the drop.
     */
    String statusLineOfBareGet(String path) throws IOException {
        URI instance = URI.create(sf.instanceUrl());
        try (Socket socket = new Socket(instance.getHost(), instance.getPort())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + instance.getHost() + "\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers);
    }

    /** {@code resource} (query or queryAll) with this SOQL, in API version 62.0. */
    HttpResponse<String> query(String resource, String soql, String... headers) throws Exception {
        return get("/services/data/v62.0/" + resource + "?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), headers);
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return OAuthTestClient.JSON.readTree(response.body());
    }
}
