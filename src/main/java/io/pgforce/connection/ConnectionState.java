package io.pgforce.connection;

/**
 * The connection's state, as Heroku Connect names it where it has a name (IDLE,
 * POLLING_DB_CHANGES, PAUSED, DB_UNAVAILABLE, UNAUTHORIZED, SYSTEM_ERROR), plus pgforce's own.
 * The label is what the original's dashboard shows for it.
 */
public enum ConnectionState {
    IDLE(false, "OK"),
    /** A cycle is claiming changes. */
    POLLING_DB_CHANGES(false, "Polling DB"),
    /** A cycle is sending a batch to Salesforce (pgforce). */
    WRITING(false, "Writing"),
    /** An operator paused writing; changes are still captured and wait (the trigger log grows). */
    PAUSED(false, "Paused"),
    /**
     * The org has used its daily API requests up to pgforce.api.max-share: nothing is claimed, sent
     * or read until its usage is back under the share; nothing fails (pgforce).
     */
    WAITING_FOR_API_ALLOCATION(false, "Waiting for API allocation"),
    /** Another instance holds the writer lease; this one waits to take over (pgforce). */
    STANDBY(false, "Standby"),
    DB_UNAVAILABLE(true, "DB Unavailable"),
    /** Salesforce cannot take writes now: maintenance, 5xx, no connection (the spent API allocation waits in WAITING_FOR_API_ALLOCATION) (pgforce). */
    SF_UNAVAILABLE(true, "SF Unavailable"),
    /** Salesforce refuses the credentials. */
    UNAUTHORIZED(true, "SF Auth Failed"),
    /** The schema is Heroku Connect's: nothing is installed, claimed or written until an operator adopts it (pgforce). */
    NOT_ADOPTED(true, "Not adopted"),
    /** A cycle failed for a reason pgforce did not expect; it is retried with back-off. */
    SYSTEM_ERROR(true, "Unexpected error");

    private final boolean problem;
    private final String label;

    ConnectionState(boolean problem, String label) {
        this.problem = problem;
        this.label = label;
    }

    /** A state an operator must hear about, and hear again while it lasts. */
    public boolean problem() {
        return problem;
    }

    public String label() {
        return label;
    }
}
