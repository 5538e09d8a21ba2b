package io.pgforce.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One record as a client sent it: raw field text (by API name), fields to clear, and parents
 * referenced by external ID (by relationship name).
 */
public record RecordInput(String id, Map<String, String> values, List<String> fieldsToNull, Map<String, ParentKey> parents) {

    /** A parent identified by one of its external ID fields. */
    public record ParentKey(String type, String field, String value) {
    }

    public RecordInput {
        values = values == null ? Map.of() : new LinkedHashMap<>(values);
        fieldsToNull = fieldsToNull == null ? List.of() : List.copyOf(fieldsToNull);
        parents = parents == null ? Map.of() : new LinkedHashMap<>(parents);
    }
}
