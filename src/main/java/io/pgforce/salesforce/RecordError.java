package io.pgforce.salesforce;

import java.util.List;

/**
 * Why a record was not written: the status code, message and fields Salesforce reported, or an
 * error pgforce found before sending (source {@code PGFORCE}).
 */
public record RecordError(String source, String statusCode, String message, List<String> fields) {

    public static final String SALESFORCE = "SALESFORCE";
    public static final String PGFORCE = "PGFORCE";

    public RecordError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static RecordError fromSalesforce(String statusCode, String message, List<String> fields) {
        return new RecordError(SALESFORCE, statusCode, message, fields);
    }

    public static RecordError fromPgforce(String code, String message) {
        return new RecordError(PGFORCE, code, message, List.of());
    }

    /** As the trigger log's sf_message shows it: {@code REQUIRED_FIELD_MISSING: Required fields are missing: [Name]}. */
    public String describe() {
        return statusCode + ": " + message;
    }
}
