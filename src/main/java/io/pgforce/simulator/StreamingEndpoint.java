package io.pgforce.simulator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Streaming API's HTTP side at {@code /cometd/<apiVersion>}: the version (37.0 and later, as
 * Salesforce now serves), the bearer token, the streaming faults, and one call log entry per Bayeux
 * reply; the protocol itself is {@link BayeuxServer}'s.
 */
final class StreamingEndpoint {

    /** CometD clients may append the message type to the URL (/cometd/62.0/connect). */
    private static final Pattern PATH = Pattern.compile("/cometd(?:/(\\d+)\\.(\\d))?(/.*)?");
    private static final int OLDEST_VERSION = 37;
    private static final TypeReference<Map<String, Object>> MESSAGE = new TypeReference<>() {
    };

    private final SimulatorContext ctx;
    private final BayeuxServer bayeux;

    StreamingEndpoint(SimulatorContext ctx, BayeuxServer bayeux) {
        this.ctx = ctx;
        this.bayeux = bayeux;
    }

    static boolean serves(String path) {
        return path.equals("/cometd") || path.startsWith("/cometd/");
    }

    void handle(HttpExchange ex, String path) throws IOException {
        long start = System.nanoTime();
        if (refusedWhileDown(ex)) {
            return;
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches() || m.group(1) == null) {
            HttpIo.errors(ex, 400, "INVALID_VERSION", "API version in the URI is mandatory. URI format: '/cometd/62.0'");
            return;
        }
        if (Integer.parseInt(m.group(1)) < OLDEST_VERSION) {
            HttpIo.errors(ex, 400, "INVALID_VERSION", "Unsupported API version. Only API versions '37.0' and later are supported. URI format: '/cometd/62.0'");
            return;
        }
        List<Map<String, Object>> messages = messages(HttpIo.JSON.readTree(HttpIo.body(ex)));
        List<Map<String, Object>> replies;
        try {
            replies = bayeux.handle(messages, ctx.sessions().valid(HttpIo.bearer(ex)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close(); // the simulator is stopping
            return;
        }
        // a connect held when the stream went down ends as the fault says, unless it already took events
        if (replies.stream().allMatch(r -> String.valueOf(r.get("channel")).startsWith("/meta/")) && refusedWhileDown(ex)) {
            return;
        }
        log(replies, (System.nanoTime() - start) / 1_000_000);
        HttpIo.json(ex, 200, replies);
    }

    /** Answers as {@link Faults#streamingUnavailable} says, when it is set; true then. */
    private boolean refusedWhileDown(HttpExchange ex) throws IOException {
        Faults.Unavailable mode = ctx.faults().streamingUnavailable();
        if (mode == Faults.Unavailable.NONE) {
            return false;
        }
        ctx.log("STREAMING", "request", 0, mode.name());
        if (mode == Faults.Unavailable.HTTP_503) {
            HttpIo.text(ex, 503, "text/html", "<html><body>Service Unavailable</body></html>");
        } else {
            ex.close();
        }
        return true;
    }

    /** A request carries an array of messages, or one message alone. */
    private static List<Map<String, Object>> messages(JsonNode body) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(n -> out.add(HttpIo.JSON.convertValue(n, MESSAGE)));
        } else if (body.isObject()) {
            out.add(HttpIo.JSON.convertValue(body, MESSAGE));
        }
        return out;
    }

    /** One entry per reply: the operation (handshake, connect, ...), the events a connect delivered, OK or the error. */
    private void log(List<Map<String, Object>> replies, long millis) {
        int events = 0;
        for (Map<String, Object> r : replies) {
            String channel = String.valueOf(r.get("channel"));
            if (!channel.startsWith("/meta/")) {
                events++;
                continue;
            }
            Map<String, String> detail = new LinkedHashMap<>();
            if (r.get("clientId") != null) {
                detail.put("clientId", r.get("clientId").toString());
            }
            if (r.get("subscription") != null) {
                detail.put("subscription", r.get("subscription").toString());
            }
            String operation = channel.substring("/meta/".length());
            String outcome = Boolean.TRUE.equals(r.get("successful")) ? "OK" : String.valueOf(r.get("error"));
            ctx.calls().add(new CallLog.Call(Instant.now(), "STREAMING", operation, List.of(), operation.equals("connect") ? events : 0, 0,
                    millis, outcome, detail));
        }
    }
}
