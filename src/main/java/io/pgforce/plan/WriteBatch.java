package io.pgforce.plan;

import java.util.List;

/**
 * One SOAP call or one Bulk job, in plan order.
 *
 * @param externalIdField the upsert key, for UPSERT only (one per call)
 */
public record WriteBatch(int sequence, Api api, Operation operation, String externalIdField, List<WriteItem> items) {

    public WriteBatch {
        items = List.copyOf(items);
    }

    /** The same call with only these of its items (the others settled before it goes out). */
    public WriteBatch with(List<WriteItem> remaining) {
        return new WriteBatch(sequence, api, operation, externalIdField, remaining);
    }
}
