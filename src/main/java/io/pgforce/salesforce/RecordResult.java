package io.pgforce.salesforce;

import java.util.List;

/**
 * Salesforce's answer for one record of a call, in call order: SaveResult, UpsertResult and
 * DeleteResult over SOAP, a successful/failed results row over Bulk.
 *
 * @param id      the record's Id (on success)
 * @param created for upserts: whether a record was created
 */
public record RecordResult(boolean success, String id, boolean created, List<RecordError> errors) {

    public RecordResult {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static RecordResult ok(String id, boolean created) {
        return new RecordResult(true, id, created, List.of());
    }

    public static RecordResult failed(RecordError error) {
        return new RecordResult(false, null, false, List.of(error));
    }

    public RecordError firstError() {
        return errors.isEmpty() ? RecordError.fromSalesforce("UNKNOWN_EXCEPTION", "Salesforce reported a failure without an error", List.of())
                : errors.get(0);
    }
}
