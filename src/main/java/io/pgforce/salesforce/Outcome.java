package io.pgforce.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteItem;
import io.pgforce.triggerlog.Settlement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What became of one write item in a cycle.
 *
 * @param sfid  the record's Id, when Salesforce returned one
 * @param error the reason, for FAILED
 * @param note  the explanation stored in sf_message: for HELD and IGNORED, and for SUCCESS after transient errors
 */
public record Outcome(WriteItem item, Kind kind, String sfid, RecordError error, String note) {

    public enum Kind {
        /** Written. */
        SUCCESS,
        /** Salesforce rejected the record, or pgforce could not build it: needs the user. */
        FAILED,
        /** Not sent: an earlier INSERT of the record failed (Ordered Writes); stays NEW. */
        HELD,
        /** Nothing to send (e.g. a delete of a record that never reached Salesforce). */
        IGNORED
    }

    public static Outcome success(WriteItem item, String sfid) {
        return new Outcome(item, Kind.SUCCESS, sfid, null, null);
    }

    public static Outcome success(WriteItem item, String sfid, String note) {
        return new Outcome(item, Kind.SUCCESS, sfid, null, note);
    }

    public static Outcome failed(WriteItem item, RecordError error) {
        return new Outcome(item, Kind.FAILED, null, error, null);
    }

    public static Outcome held(WriteItem item, String note) {
        return new Outcome(item, Kind.HELD, null, null, note);
    }

    public static Outcome ignored(WriteItem item, String note) {
        return new Outcome(item, Kind.IGNORED, null, null, note);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean isFailedInsert() {
        return kind == Kind.FAILED && item.operation().isInsert();
    }

    /** What the trigger log and the mapping row record of it. */
    public Settlement settlement() {
        boolean delete = item.operation() == Operation.DELETE;
        return switch (kind) {
            case SUCCESS -> Settlement.success(item.logId(), item.table(), item.recordId(), item.foldedLogIds(), sfid, item.operation().isInsert(),
                    delete, note);
            case FAILED -> Settlement.failed(item.logId(), item.table(), item.recordId(), item.foldedLogIds(), error.describe(), errorJson(), delete);
            case HELD -> Settlement.held(item.logId(), item.table(), item.recordId(), note);
            case IGNORED -> Settlement.ignored(item.logId(), item.table(), item.recordId(), item.foldedLogIds(), note);
        };
    }

    /** {@code _hc_err}: what failed, who said so, and why. */
    String errorJson() {
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
