package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Streaming API's HTTP side and its admin switches: the version in the path, the stream alone down, the retained events. */
@ExtendWith(SimulatorExtension.class)
class StreamingAdminTest {

    private static HttpResponse<String> post(SalesforceSimulator sf, String path, String json) throws Exception {
        return OAuthTestClient.HTTP.send(HttpRequest.newBuilder(URI.create(sf.instanceUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStreamAloneGoesDownAndComesBackThroughTheAdminApi(SalesforceSimulator sf) throws Exception {
        RestTestClient rest = RestTestClient.login(sf);
        String handshake = "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}]";
        assertThat(rest.send("POST", "/cometd/62.0", handshake).statusCode()).isEqualTo(200);
        assertThat(rest.send("POST", "/cometd", handshake).statusCode()).isEqualTo(400);
        assertThat(rest.send("POST", "/cometd/36.0", handshake).statusCode()).isEqualTo(400);

        assertThat(RestTestClient.json(post(sf, "/__sim/faults", "{\"streamingUnavailable\": \"HTTP_503\"}")).get("streamingUnavailable").asText())
                .isEqualTo("HTTP_503");
        assertThat(rest.send("POST", "/cometd/62.0", handshake).statusCode()).isEqualTo(503);
        assertThat(rest.send("POST", "/services/data/v62.0/sobjects/Account", "{\"Name\":\"The org answers\"}").statusCode()).isEqualTo(201);
        assertThat(sf.calls().calls("STREAMING", "request")).extracting(CallLog.Call::outcome).containsExactly("HTTP_503");

        post(sf, "/__sim/faults", "{\"streamingUnavailable\": \"NONE\"}");
        JsonNode reply = RestTestClient.json(rest.send("POST", "/cometd/62.0", handshake)).get(0);
        assertThat(reply.get("successful").asBoolean()).isTrue();
        String clientId = reply.get("clientId").asText();

        post(sf, "/__sim/faults", "{\"dropStreamingClients\": true}");
        JsonNode connect = RestTestClient.json(rest.send("POST", "/cometd/62.0",
                "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + clientId + "\",\"connectionType\":\"long-polling\"}]")).get(0);
        assertThat(connect.get("error").asText()).isEqualTo("403::Unknown client");

        JsonNode events = RestTestClient.json(OAuthTestClient.HTTP.send(HttpRequest.newBuilder(URI.create(sf.instanceUrl() + "/__sim/events")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("channel").asText()).isEqualTo("/data/AccountChangeEvent");
        assertThat(events.get(0).at("/data/payload/ChangeEventHeader/changeType").asText()).isEqualTo("CREATE");
        assertThat(events.get(0).at("/data/payload/Name").asText()).isEqualTo("The org answers");
    }
}
