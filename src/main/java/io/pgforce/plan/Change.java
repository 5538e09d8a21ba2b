package io.pgforce.plan;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * One claimed trigger-log row, in id order.
 *
 * @param values     captured column values (INSERT: every mapped column; UPDATE: those that changed)
 * @param sfid       the record's Salesforce Id when known
 * @param currentRow the mapping row as it is now, loaded only when Merged Writes may resend a failed insert
 * @param sent       the change was handed to Salesforce before (a crash or lost response followed): it may have arrived
 * @param bulkJobId  the Bulk job that was carrying it when its cycle was interrupted, or null
 * @param txid       the Postgres transaction that wrote it: a unit under {@code atomic_transactions}
 */
public record Change(long logId, String table, String object, Action action, long recordId, String sfid,
                     Map<String, Object> values, Map<String, Object> currentRow, boolean sent, String bulkJobId, long txid) {

    public Change {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(values));
        currentRow = currentRow == null ? null : Collections.unmodifiableMap(new HashMap<>(currentRow));
    }
}
