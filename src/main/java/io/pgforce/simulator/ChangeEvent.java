package io.pgforce.simulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A published Change Data Capture event: its replay id, the object it is about, when it was
 * committed, and its payload (the {@code ChangeEventHeader} and the changed fields) as the
 * Streaming API delivers it.
 */
public record ChangeEvent(long replayId, String entityName, List<String> recordIds, String changeType, Instant committed,
                          Map<String, Object> payload) {

    /** The channel that carries all change events of every object. */
    static final String ALL_CHANGES = "/data/ChangeEvents";

    public ChangeEvent {
        recordIds = List.copyOf(recordIds);
    }

    /** The object's own channel: {@code /data/AccountChangeEvent}, {@code /data/Employee__ChangeEvent} for {@code Employee__c}. */
    static String channelOf(String entityName) {
        String base = entityName.endsWith("__c") ? entityName.substring(0, entityName.length() - 1) : entityName;
        return "/data/" + base + "ChangeEvent";
    }

    public String channel() {
        return channelOf(entityName);
    }

    /** Whether a subscriber of {@code channel} receives this event. */
    boolean on(String channel) {
        return channel.equals(ALL_CHANGES) || channel.equals(channel());
    }

    /** The Bayeux message delivering it to a subscriber of {@code channel}. */
    Map<String, Object> message(String channel) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("schema", schemaId(entityName));
        data.put("payload", payload);
        data.put("event", Map.of("replayId", replayId));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        m.put("channel", channel);
        return m;
    }

    /**
     * A schema id per object. Salesforce's is the id of the event's Avro schema, opaque to clients
     * (they may fetch the schema by it); the simulator serves no schema, so any stable text will do.
     */
    private static String schemaId(String entityName) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.nio.ByteBuffer.allocate(8).putLong(entityName.hashCode() * 0x9E3779B97F4A7C15L).array());
    }
}
