package io.pgforce.simulator;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Streaming API's Bayeux protocol over long polling, as Salesforce answers it, for Change Data
 * Capture channels: {@code /meta/handshake}, {@code /meta/connect} (held until events arrive or the
 * poll times out), {@code /meta/subscribe} with the replay extension, {@code /meta/unsubscribe} and
 * {@code /meta/disconnect}. One request's messages in, the replies and events to answer with out;
 * HTTP is {@link StreamingEndpoint}'s.
 */
final class BayeuxServer {

    /** How long Salesforce holds a /meta/connect with nothing to deliver, and advises the client it will. */
    static final long CONNECT_TIMEOUT_MILLIS = 110_000;
    /** A client that has not come back with a /meta/connect within this is forgotten (Salesforce: 40 s after events). */
    static final Duration CLIENT_EXPIRY = Duration.ofSeconds(40);
    /** Events in one /meta/connect answer at most: the simulator's own bound, Salesforce documents none. */
    static final int MAX_EVENTS_PER_CONNECT = 1_000;
    /** How often a held connect looks whether its client was dropped meanwhile. */
    private static final long RECHECK_MILLIS = 100;

    private static final String HANDSHAKE = "/meta/handshake";
    private static final String CONNECT = "/meta/connect";
    private static final String SUBSCRIBE = "/meta/subscribe";
    private static final String UNSUBSCRIBE = "/meta/unsubscribe";
    private static final String DISCONNECT = "/meta/disconnect";

    private final SimulatedOrg org;
    private final Clock clock;
    private final long connectTimeoutMillis;
    private final java.util.function.BooleanSupplier streamDown;
    private final Map<String, StreamingClient> clients = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param connectTimeoutMillis how long a connect is held at most ({@link #CONNECT_TIMEOUT_MILLIS} as Salesforce)
     * @param streamDown           true while the stream is down: a held connect then gives up at once, delivering nothing
     */
    BayeuxServer(SimulatedOrg org, Clock clock, long connectTimeoutMillis, java.util.function.BooleanSupplier streamDown) {
        this.org = org;
        this.clock = clock;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.streamDown = streamDown;
    }

    /**
     * Answers one request's messages; a /meta/connect among them is answered last, after the others,
     * and may wait for events.
     *
     * @param authenticated whether the request carried a valid session
     */
    List<Map<String, Object>> handle(List<Map<String, Object>> messages, boolean authenticated) throws InterruptedException {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> connect = null;
        for (Map<String, Object> m : messages) {
            String channel = String.valueOf(m.get("channel"));
            switch (channel) {
                case HANDSHAKE -> out.add(handshake(m, authenticated));
                case CONNECT -> connect = m;
                case SUBSCRIBE -> out.add(subscribe(m, authenticated));
                case UNSUBSCRIBE -> out.add(unsubscribe(m, authenticated));
                case DISCONNECT -> out.add(disconnect(m));
                default -> out.add(failed(m, "403::Publish denied", null)); // change event channels are Salesforce's to publish on
            }
        }
        if (connect != null) {
            out.addAll(connect(connect, authenticated));
        }
        return out;
    }

    /** Forgets every client, as Salesforce does after a network failure: held connects and later calls answer 403::Unknown client. */
    void dropClients() {
        clients.values().forEach(c -> c.state(StreamingClient.State.DROPPED));
        clients.clear();
    }

    private Map<String, Object> handshake(Map<String, Object> m, boolean authenticated) {
        if (!authenticated) {
            Map<String, Object> reply = reply(m, false);
            reply.put("ext", Map.of("sfdc", Map.of("failureReason", "401::Authentication invalid"), "replay", true));
            reply.put("advice", Map.of("reconnect", "none"));
            reply.put("error", "403::Handshake denied");
            return reply;
        }
        StreamingClient client = new StreamingClient(new BigInteger(130, random).toString(36), clock.instant());
        clients.put(client.id(), client);
        Map<String, Object> reply = reply(m, true);
        reply.put("clientId", client.id());
        reply.put("version", "1.0");
        reply.put("minimumVersion", "1.0");
        reply.put("supportedConnectionTypes", List.of("long-polling"));
        reply.put("ext", Map.of("replay", true, "payload.format", true));
        return reply;
    }

    private List<Map<String, Object>> connect(Map<String, Object> m, boolean authenticated) throws InterruptedException {
        StreamingClient client = known(m);
        Map<String, Object> refusal = refusal(client, m, authenticated);
        if (refusal != null) {
            return List.of(refusal);
        }
        long hold = Math.min(connectTimeoutMillis, requestedTimeout(m));
        long deadline = System.nanoTime() + hold * 1_000_000;
        client.connected(true, clock.instant());
        List<Map<String, Object>> events;
        try {
            ChangeEventLog log = org.changeEvents();
            long seen = log.latest(); // events up to here are taken or not for this client: wait for later ones
            events = client.take(log, MAX_EVENTS_PER_CONNECT);
            while (events.isEmpty() && client.state() == StreamingClient.State.ACTIVE && !streamDown.getAsBoolean()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                log.awaitAfter(seen, Math.min(left, RECHECK_MILLIS)); // a subscription made meanwhile is seen at the next recheck
                seen = log.latest();
                events = client.take(log, MAX_EVENTS_PER_CONNECT);
            }
        } finally {
            client.connected(false, clock.instant());
        }
        if (client.state() == StreamingClient.State.DROPPED) {
            return List.of(refusal(null, m, authenticated));
        }
        Map<String, Object> reply = reply(m, true);
        reply.put("clientId", client.id());
        reply.put("advice", Map.of("reconnect", client.state() == StreamingClient.State.ACTIVE ? "retry" : "none", "interval", 0,
                "timeout", connectTimeoutMillis));
        List<Map<String, Object>> out = new ArrayList<>(events);
        out.add(reply);
        return out;
    }

    /** The connect timeout the client asked for in its advice (CometD asks for 0 on its first connect), else the server's. */
    private long requestedTimeout(Map<String, Object> m) {
        return m.get("advice") instanceof Map<?, ?> advice && advice.get("timeout") instanceof Number n ? n.longValue() : connectTimeoutMillis;
    }

    private Map<String, Object> subscribe(Map<String, Object> m, boolean authenticated) {
        StreamingClient client = known(m);
        Map<String, Object> refusal = refusal(client, m, authenticated);
        if (refusal != null) {
            return refusal;
        }
        Object subscription = m.get("subscription");
        if (!(subscription instanceof String channel) || channel.isEmpty()) {
            return failed(m, "400::Channel name not specified", null);
        }
        if (!channel.startsWith("/")) {
            return failed(m, "400::Channel subscriptions must start with a leading '/'", channel);
        }
        if (!exists(channel)) {
            return failed(m, "400::The channel you requested to subscribe to does not exist {" + channel + "}", channel);
        }
        long replayId = replayIdAsked(m, channel);
        ChangeEventLog log = org.changeEvents();
        long after;
        if (replayId == -1) {
            after = log.latest();
        } else if (replayId == -2) {
            after = log.beforeOldest();
        } else if (log.replayable(replayId)) {
            after = replayId;
        } else {
            return failed(m, "400::The replayId {" + replayId + "} you provided was invalid.  Please provide a valid ID, -2 to replay all events, "
                    + "or -1 to replay only new events.", channel);
        }
        client.subscribe(channel, after);
        return withSubscription(reply(m, true), channel);
    }

    /** The replay extension's position for the channel: {@code ext: {replay: {"/data/AccountChangeEvent": -1}}}; -1 without it. */
    private static long replayIdAsked(Map<String, Object> m, String channel) {
        if (m.get("ext") instanceof Map<?, ?> ext && ext.get("replay") instanceof Map<?, ?> replay && replay.get(channel) instanceof Number n) {
            return n.longValue();
        }
        return -1;
    }

    /** /data/ChangeEvents, or /data/&lt;Object&gt;ChangeEvent (/data/&lt;Name&gt;__ChangeEvent for Name__c) of an object of the org. */
    private boolean exists(String channel) {
        return channel.equals(ChangeEvent.ALL_CHANGES)
                || org.schema().keySet().stream().anyMatch(object -> ChangeEvent.channelOf(object).equalsIgnoreCase(channel));
    }

    private Map<String, Object> unsubscribe(Map<String, Object> m, boolean authenticated) {
        StreamingClient client = known(m);
        Map<String, Object> refusal = refusal(client, m, authenticated);
        if (refusal != null) {
            return refusal;
        }
        client.unsubscribe(String.valueOf(m.get("subscription")));
        return withSubscription(reply(m, true), m.get("subscription"));
    }

    private Map<String, Object> disconnect(Map<String, Object> m) {
        StreamingClient client = clients.remove(String.valueOf(m.get("clientId")));
        if (client == null) {
            return refusal(null, m, true);
        }
        client.state(StreamingClient.State.DISCONNECTED);
        Map<String, Object> reply = reply(m, true);
        reply.put("clientId", client.id());
        return reply;
    }

    /** The message's client, unless it is unknown or has not come back in time (then it is forgotten). */
    private StreamingClient known(Map<String, Object> m) {
        StreamingClient client = clients.get(String.valueOf(m.get("clientId")));
        if (client != null && client.idleSince(clock.instant().minus(CLIENT_EXPIRY))) {
            clients.remove(client.id());
            client.state(StreamingClient.State.DROPPED);
            return null;
        }
        return client;
    }

    /**
     * Why a client's message is refused before it is read, or null: an unknown client is advised to
     * handshake again, an invalid session not to reconnect (the client logs in first), as Salesforce does.
     */
    private static Map<String, Object> refusal(StreamingClient client, Map<String, Object> m, boolean authenticated) {
        if (client != null && authenticated) {
            return null;
        }
        Map<String, Object> reply = withSubscription(reply(m, false), m.get("subscription"));
        copyClientId(m, reply);
        reply.put("advice", Map.of("reconnect", client == null ? "handshake" : "none", "interval", 0));
        reply.put("error", client == null ? "403::Unknown client" : "401::Authentication invalid");
        return reply;
    }

    private static Map<String, Object> failed(Map<String, Object> m, String error, Object subscription) {
        Map<String, Object> reply = withSubscription(reply(m, false), subscription);
        copyClientId(m, reply);
        reply.put("error", error);
        return reply;
    }

    private static Map<String, Object> withSubscription(Map<String, Object> reply, Object subscription) {
        if (subscription != null) {
            reply.put("subscription", subscription);
        }
        return reply;
    }

    private static void copyClientId(Map<String, Object> m, Map<String, Object> reply) {
        if (m.get("clientId") != null) {
            reply.put("clientId", m.get("clientId"));
        }
    }

    private static Map<String, Object> reply(Map<String, Object> m, boolean successful) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("channel", m.get("channel"));
        if (m.get("id") != null) {
            reply.put("id", m.get("id"));
        }
        if (m.get("clientId") != null && successful) {
            reply.put("clientId", m.get("clientId"));
        }
        reply.put("successful", successful);
        return reply;
    }
}
