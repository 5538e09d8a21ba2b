package io.pgforce.plan;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One SOAP call or one Bulk job, in plan order.
 *
 * @param externalIdField the upsert key, for UPSERT only (one per call)
 */
public record WriteBatch(int sequence, Api api, Operation operation, String externalIdField, List<WriteItem> items) {

    public WriteBatch {
        items = List.copyOf(items);
    }

    /** Contiguous runs of one object: Salesforce processes a call chunk by chunk. */
    public int chunks() {
        int chunks = 0;
        String previous = null;
        for (WriteItem item : items) {
            if (!item.object().equals(previous)) {
                chunks++;
                previous = item.object();
            }
        }
        return chunks;
    }

    public Set<String> objects() {
        Set<String> objects = new LinkedHashSet<>();
        items.forEach(i -> objects.add(i.object()));
        return objects;
    }
}
