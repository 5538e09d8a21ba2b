package io.pgforce.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One handshaken Bayeux client of the Streaming API: its subscriptions, each with the replay id
 * after which it has not yet received events, and whether it is still known to the server.
 */
final class StreamingClient {

    /** ACTIVE until the client disconnects or the server forgets it (a dropped stream, an expiry). */
    enum State { ACTIVE, DISCONNECTED, DROPPED }

    private final String id;
    /** channel -> the replay id of the last event delivered (or the position a subscription started from) */
    private final Map<String, Long> positions = new ConcurrentHashMap<>();
    private volatile State state = State.ACTIVE;
    private volatile Instant lastSeen;
    private volatile boolean connected;

    StreamingClient(String id, Instant now) {
        this.id = id;
        this.lastSeen = now;
    }

    String id() {
        return id;
    }

    State state() {
        return state;
    }

    void state(State state) {
        this.state = state;
    }

    void subscribe(String channel, long after) {
        positions.put(channel, after);
    }

    void unsubscribe(String channel) {
        positions.remove(channel);
    }

    /**
     * The events waiting for this client on all its channels, each as the message of the channel it
     * subscribed to, in replay order, at most {@code max}; the positions move past them.
     */
    List<Map<String, Object>> take(ChangeEventLog log, int max) {
        record Delivery(long replayId, Map<String, Object> message) {
        }
        List<Delivery> due = new ArrayList<>();
        positions.forEach((channel, after) -> log.after(after, channel, max).forEach(e -> due.add(new Delivery(e.replayId(), e.message(channel)))));
        due.sort(Comparator.comparingLong(Delivery::replayId));
        List<Delivery> sent = due.subList(0, Math.min(max, due.size()));
        positions.replaceAll((channel, after) -> sent.stream().filter(d -> channel.equals(d.message().get("channel")))
                .mapToLong(Delivery::replayId).max().orElse(after));
        return sent.stream().map(Delivery::message).toList();
    }

    /** A /meta/connect is held for it (true) or has been answered (false, seen now). */
    void connected(boolean held, Instant now) {
        this.connected = held;
        this.lastSeen = now;
    }

    /** Whether the server has given up on it: no /meta/connect held and none for {@code after} since the last. */
    boolean idleSince(Instant cutoff) {
        return !connected && lastSeen.isBefore(cutoff);
    }
}
