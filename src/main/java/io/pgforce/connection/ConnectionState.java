package io.pgforce.connection;

/**
 * The connection's state, as Heroku Connect names it where it has a name (IDLE,
 * POLLING_DB_CHANGES, DB_UNAVAILABLE, UNAUTHORIZED, SYSTEM_ERROR), plus pgforce's own.
 */
public enum ConnectionState {
    IDLE(false),
    /** A cycle is claiming and writing changes. */
    POLLING_DB_CHANGES(false),
    /** Another instance holds the writer lease; this one waits to take over (pgforce). */
    STANDBY(false),
    DB_UNAVAILABLE(true),
    /** Salesforce cannot take writes now: maintenance, 5xx, no connection, the API limit (pgforce). */
    SF_UNAVAILABLE(true),
    /** Salesforce refuses the credentials. */
    UNAUTHORIZED(true),
    /** A cycle failed for a reason pgforce did not expect; it is retried with back-off. */
    SYSTEM_ERROR(true);

    private final boolean problem;

    ConnectionState(boolean problem) {
        this.problem = problem;
    }

    /** A state an operator must hear about, and hear again while it lasts. */
    public boolean problem() {
        return problem;
    }
}
