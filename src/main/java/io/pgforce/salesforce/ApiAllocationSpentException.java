package io.pgforce.salesforce;

import io.pgforce.connection.ConnectionState;

/**
 * Salesforce refused a call because the org's daily API requests are used up
 * (REQUEST_LIMIT_EXCEEDED), or pgforce holds a call back since it was told so: the batch waits as
 * for an outage, but in WAITING_FOR_API_ALLOCATION, since nothing is down and the allocation
 * recovers by itself as the org's rolling 24 hours pass (see {@link ApiAllocation}).
 */
public class ApiAllocationSpentException extends SalesforceUnavailableException {

    public ApiAllocationSpentException(String message) {
        super(message);
    }

    public ApiAllocationSpentException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ConnectionState state() {
        return ConnectionState.WAITING_FOR_API_ALLOCATION;
    }
}
