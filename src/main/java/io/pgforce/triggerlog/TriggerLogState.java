package io.pgforce.triggerlog;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a trigger-log row, as Heroku Connect names them, and the one place their names
 * live (the trigger log's SQL gets them as placeholders, see {@link FencedLog}). Only this
 * package ({@link Claims}, {@link Settler}, {@link OperatorActions}, {@link Housekeeping}; and the
 * capture DDL, which writes NEW, IGNORE and READONLY) moves a row from one to another.
 */
public enum TriggerLogState {
    /** Captured, to send. */
    NEW,
    /** Captured, nothing to send (no mapped column changed; a delete of a row never sent). */
    IGNORE,
    /** Claimed by the writer and being written. */
    PENDING,
    SUCCESS,
    /** Salesforce (or pgforce) rejected it; sf_message says why. Set back to NEW to resubmit. */
    FAILED,
    /** Folded into another change (Merged Writes). */
    MERGED,
    /** Not attempted (nothing to do), or silenced by a user. */
    IGNORED,
    /** Captured on a read-only mapping. */
    READONLY,
    /** An archived row a user marked to be copied back to the live log. */
    REQUEUE,
    /** An archived row that was copied back. */
    REQUEUED;

    /** States that end a row's life in the live log: housekeeping archives them. */
    public static final Set<TriggerLogState> PROCESSED = EnumSet.of(SUCCESS, FAILED, MERGED, IGNORE, IGNORED, READONLY);

    /** States a change waits in before it is settled. */
    public static final Set<TriggerLogState> QUEUED = EnumSet.of(NEW, PENDING);
}
