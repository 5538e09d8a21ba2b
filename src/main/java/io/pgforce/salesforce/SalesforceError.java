package io.pgforce.salesforce;

import java.util.List;

/** One error Salesforce reported for a record: status code, message and the fields it names. */
public record SalesforceError(String statusCode, String message, List<String> fields) {

    public SalesforceError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** As the trigger log's sf_message shows it: {@code REQUIRED_FIELD_MISSING: Required fields are missing: [Name]}. */
    public String describe() {
        return statusCode + ": " + message;
    }
}
