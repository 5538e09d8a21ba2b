package io.pgforce.plan;

import java.util.List;
import java.util.Map;

/**
 * One SOAP call, one Bulk job or one Composite Graph payload, in plan order.
 *
 * @param externalIdField the upsert key, for UPSERT only (one per call); null for a graph payload, whose items vary
 * @param graphs          a graph payload's graph of each item (by trigger-log id); empty for SOAP and Bulk
 */
public record WriteBatch(int sequence, Api api, Operation operation, String externalIdField, List<WriteItem> items, Map<Long, String> graphs) {

    public WriteBatch {
        items = List.copyOf(items);
        graphs = Map.copyOf(graphs);
    }

    public WriteBatch(int sequence, Api api, Operation operation, String externalIdField, List<WriteItem> items) {
        this(sequence, api, operation, externalIdField, items, Map.of());
    }

    /** The same call with only these of its items (the others settled before it goes out). */
    public WriteBatch with(List<WriteItem> remaining) {
        return new WriteBatch(sequence, api, operation, externalIdField, remaining, graphs);
    }
}
