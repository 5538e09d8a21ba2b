package io.pgforce.triggerlog;

/**
 * The values of a mapping row's {@code _hc_lastop}, as Heroku Connect names them: what last
 * happened to the row's record. The capture's status trigger writes PENDING for an application's
 * write; the write-back writes the outcome.
 */
public enum LastOp {
    /** The application changed the row; the change is queued. */
    PENDING,
    /** The row's insert reached Salesforce; {@code sfid} holds the record's Id. */
    INSERTED,
    /** The row's update reached Salesforce. */
    UPDATED,
    /** Salesforce (or pgforce) refused the row's last change; {@code _hc_err} says why. */
    FAILED,
    /** Written by the read side from Salesforce (Heroku Connect's, on a schema pgforce adopted). */
    SYNCED
}
