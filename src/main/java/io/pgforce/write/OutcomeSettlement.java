package io.pgforce.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteItem;
import io.pgforce.salesforce.Outcome;
import io.pgforce.salesforce.RecordError;
import io.pgforce.triggerlog.Settlement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the trigger log and the mapping row record of an outcome. The write-back translates here,
 * so that salesforce only says what Salesforce answered and never how the trigger log settles it.
 */
public final class OutcomeSettlement {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OutcomeSettlement() {
    }

    public static Settlement of(Outcome outcome) {
        WriteItem item = outcome.item();
        boolean delete = item.operation() == Operation.DELETE;
        return switch (outcome.kind()) {
            case SUCCESS -> Settlement.success(item.logId(), item.table(), item.recordId(), item.foldedLogIds(), outcome.sfid(),
                    item.operation().isInsert(), delete, outcome.note());
            case FAILED -> Settlement.failed(item.logId(), item.table(), item.recordId(), item.foldedLogIds(), outcome.error().describe(),
                    errorJson(item, outcome.error()), delete);
            case HELD -> Settlement.held(item.logId(), item.table(), item.recordId(), outcome.note());
            case IGNORED -> Settlement.ignored(item.logId(), item.table(), item.recordId(), item.foldedLogIds(), outcome.note());
        };
    }

    /** {@code _hc_err}: what failed, who said so, and why. */
    private static String errorJson(WriteItem item, RecordError error) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("operation", item.operation().isInsert() ? "INSERT" : item.operation().name());
        json.put("source", error.source());
        json.put("statusCode", error.statusCode());
        json.put("message", error.message());
        json.put("fields", error.fields());
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
