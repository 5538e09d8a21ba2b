package io.pgforce.simulator;

import java.util.List;

/** A per-record error, as SaveResult.errors and Bulk's sf__Error report it. */
public record SimError(String statusCode, String message, List<String> fields) {

    public SimError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    static SimError of(String code, String message, String... fields) {
        return new SimError(code, message, List.of(fields));
    }
}
