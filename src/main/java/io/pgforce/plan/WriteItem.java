package io.pgforce.plan;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One record to write.
 *
 * @param values       column values to send (captured columns; for updates only those that changed)
 * @param logId        the trigger-log row that carries the outcome
 * @param foldedLogIds rows merged into this one (Merged Writes); they end MERGED
 */
public record WriteItem(String table, String object, long recordId, Operation operation, String sfid,
                        Map<String, Object> values, long logId, List<Long> foldedLogIds) {

    public WriteItem {
        values = Collections.unmodifiableMap(new HashMap<>(values)); // values may be null: Map.copyOf would refuse them
        foldedLogIds = List.copyOf(foldedLogIds);
    }
}
