package io.pgforce.salesforce;

import io.pgforce.connection.ConnectionState;

/**
 * Salesforce refuses pgforce's credentials (a revoked connected app, a changed password, an
 * expired certificate). Nothing is wrong with the records: like an outage, the batch waits, in
 * the connection state UNAUTHORIZED, until a login works again.
 */
public class SalesforceUnauthorizedException extends SalesforceUnavailableException {

    public SalesforceUnauthorizedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ConnectionState state() {
        return ConnectionState.UNAUTHORIZED;
    }
}
