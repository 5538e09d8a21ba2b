package io.pgforce.plan;

import java.util.Map;

public record Change(long logId, String table, String object, Action action, long recordId, String sfid,
                     Map<String, Object> values, Map<String, Object> currentRow) {
}
