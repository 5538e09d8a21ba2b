package io.pgforce.salesforce;

import java.util.List;
import java.util.Map;

/**
 * One record as Salesforce receives it: its type, its Id (updates and deletes), the field values
 * as their wire text, the fields to clear, and parent references by external ID.
 */
public record SObjectData(String type, String id, Map<String, String> fields, List<String> fieldsToNull, List<ParentReference> parents) {

    public SObjectData {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        fieldsToNull = List.copyOf(fieldsToNull);
        parents = List.copyOf(parents);
    }
}
