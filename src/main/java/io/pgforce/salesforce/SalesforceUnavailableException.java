package io.pgforce.salesforce;

import io.pgforce.connection.ConnectionProblem;
import io.pgforce.connection.ConnectionState;

/**
 * Salesforce cannot take writes right now: maintenance, 5xx, a refused or reset connection, the
 * API request limit (a {@link ApiAllocationSpentException}, in a state of its own), or a session
 * that cannot be renewed. Never a record failure: the batch waits with back-off and goes out
 * after recovery.
 */
public class SalesforceUnavailableException extends RuntimeException implements ConnectionProblem {

    public SalesforceUnavailableException(String message) {
        super(message);
    }

    public SalesforceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ConnectionState state() {
        return ConnectionState.SF_UNAVAILABLE;
    }
}
