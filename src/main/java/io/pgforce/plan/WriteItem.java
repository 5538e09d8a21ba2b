package io.pgforce.plan;

import java.util.List;
import java.util.Map;

public record WriteItem(String table, String object, long recordId, Operation operation, String sfid,
                        Map<String, Object> values, long logId, List<Long> foldedLogIds) {
}
