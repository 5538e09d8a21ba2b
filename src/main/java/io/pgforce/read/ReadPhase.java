package io.pgforce.read;

/** Where a mapping's read stands, as {@code _pgforce_read_state.phase} holds it. */
public enum ReadPhase {
    /** Its first load has not got to the end of the object yet (an interrupted load goes on from its watermark). */
    LOADING,
    /** Loaded; polled for changes at its interval. */
    SYNCED,
    /** Its last read failed for a reason other than Salesforce or the database being unavailable; tried again at its interval. */
    ERROR,
    /** An operator paused the connection: nothing is read until it resumes. */
    PAUSED
}
