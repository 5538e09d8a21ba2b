package io.pgforce.plan;

import java.util.LinkedHashSet;
import java.util.Set;

/** What the planner tests look at in a batch. */
final class Batches {

    private Batches() {
    }

    /** Contiguous runs of one object: Salesforce processes a call chunk by chunk (at most 10). */
    static int chunks(WriteBatch batch) {
        int chunks = 0;
        String previous = null;
        for (WriteItem item : batch.items()) {
            if (!item.object().equals(previous)) {
                chunks++;
                previous = item.object();
            }
        }
        return chunks;
    }

    static Set<String> objects(WriteBatch batch) {
        Set<String> objects = new LinkedHashSet<>();
        batch.items().forEach(i -> objects.add(i.object()));
        return objects;
    }
}
